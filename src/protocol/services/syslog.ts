// syslog events (urn:cisco:pnp:syslog), §2.16: after a syslog notification request the agent pushes
// pnp/event/msg+/rawFormat. `event` has no attributes, so no correlator. (The notification request and
// its response are not modelled; they parse as kind "unknown".)

import type { Element } from "ltx";
import { element, leaf } from "../build.js";
import { invalidBuild } from "../errors.js";
import { NS_SYSLOG } from "../namespaces.js";
import { NamespaceReader } from "../read.js";

export interface SyslogEvent {
  /** msg/rawFormat of each message, as sent. */
  messages: string[];
}

const reader = new NamespaceReader(NS_SYSLOG);

export function buildSyslogEvent(event: SyslogEvent): Element {
  if (event.messages.length === 0) throw invalidBuild("syslog event", "needs at least one message");
  return element(
    "event",
    { xmlns: NS_SYSLOG },
    ...event.messages.map((message) => element("msg", {}, leaf("rawFormat", message))),
  );
}

export function parseSyslogEvent(event: Element): SyslogEvent {
  return { messages: reader.children(event, "msg").map((msg) => reader.textOrEmpty(msg, "rawFormat")) };
}
