// The `pnp` root (§1.1): <pnp xmlns="urn:cisco:pnp" version="1.0" udi="…" [sid] [usr pwd]
// [noCheckTime] [postReloadPriv]> with exactly one child. Attributes are unqualified.

import type { Element } from "ltx";
import { checkInteger, element, requireNonEmpty } from "./build.js";
import { invalidBuild, invalidMessage } from "./errors.js";
import { NS_PNP } from "./namespaces.js";
import { attributeOf, elementChildren, integerAttribute, pathOf } from "./read.js";

export interface Envelope {
  /** The device UDI, `PID:…,VID:…,SN:…`. */
  udi: string;
  /** Session id set by the server; the agent echoes it. */
  sid?: string;
  /**
   * Device login, written as usr/pwd only when given. Send it only when the work request said
   * authRequired=true (§6 item 13).
   */
  credentials?: { usr: string; pwd: string };
  /** Minutes 1–180; only cli-config, config-upgrade and image-install (and smu) allow it. */
  noCheckTime?: number;
  /** Fixed "ztd"; same services as noCheckTime. */
  postReloadPriv?: "ztd";
  /** As read from the wire. Builders always write "1.0" and ignore this. */
  version?: string;
}

export const PNP_VERSION = "1.0";

export function buildEnvelope(envelope: Envelope, child: Element, allowsReloadAttributes: boolean): Element {
  if (
    !allowsReloadAttributes &&
    (envelope.noCheckTime !== undefined || envelope.postReloadPriv !== undefined)
  ) {
    throw invalidBuild(
      "envelope",
      "noCheckTime and postReloadPriv exist only for cli-config, config-upgrade and image-install",
    );
  }
  if (envelope.postReloadPriv !== undefined && envelope.postReloadPriv !== "ztd") {
    throw invalidBuild("envelope.postReloadPriv", 'the only value is "ztd"');
  }
  const credentials = envelope.credentials;
  return element(
    "pnp",
    {
      xmlns: NS_PNP,
      version: PNP_VERSION,
      udi: requireNonEmpty(envelope.udi, "envelope.udi"),
      sid: envelope.sid,
      usr:
        credentials === undefined ? undefined : requireNonEmpty(credentials.usr, "envelope.credentials.usr"),
      pwd: credentials?.pwd,
      noCheckTime:
        envelope.noCheckTime === undefined
          ? undefined
          : checkInteger(envelope.noCheckTime, 1, 180, "envelope.noCheckTime"),
      postReloadPriv: envelope.postReloadPriv,
    },
    child,
  );
}

/** Checks the root and returns its envelope and its single child element. */
export function parseEnvelope(root: Element): { envelope: Envelope; child: Element } {
  if (root.getName() !== "pnp" || root.getNS() !== NS_PNP) {
    throw invalidMessage(
      root.getName(),
      `the root element must be pnp in ${NS_PNP}, got ${root.getName()} in ${root.getNS() ?? "no namespace"}`,
    );
  }
  const udi = attributeOf(root, "udi");
  if (udi === undefined || udi.trim() === "") throw invalidMessage("pnp@udi", "attribute is missing");
  const envelope: Envelope = { udi: udi.trim() };
  const version = attributeOf(root, "version");
  if (version !== undefined) envelope.version = version;
  const sid = attributeOf(root, "sid");
  if (sid !== undefined) envelope.sid = sid;
  const usr = attributeOf(root, "usr");
  const pwd = attributeOf(root, "pwd");
  if (usr !== undefined || pwd !== undefined) envelope.credentials = { usr: usr ?? "", pwd: pwd ?? "" };
  const noCheckTime = integerAttribute(root, "noCheckTime");
  if (noCheckTime !== undefined) envelope.noCheckTime = noCheckTime;
  if (attributeOf(root, "postReloadPriv") !== undefined) envelope.postReloadPriv = "ztd";

  const children = elementChildren(root);
  const child = children[0];
  if (child === undefined || children.length !== 1) {
    throw invalidMessage(pathOf(root), `must hold exactly one child element, found ${children.length}`);
  }
  return { envelope, child };
}
