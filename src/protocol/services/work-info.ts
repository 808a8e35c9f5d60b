// work-info (urn:cisco:pnp:work-info), §2.1: the HTTP-only pull messages.
// WORK-REQUEST (agent → server): info[@correlator]/deviceId/(udi, SUDI?, macAddress?, hostname,
// authRequired, viaProxy?, securityAdvise?). Real agents add siblings the XSD lacks, e.g. a CSR1000V's
// info/reason/reload/(message, code, startupConfigPresent): read leniently, other extras ignored.
// BYE (server → agent, the answer to WORK-RESPONSE): info[@correlator]/workInfo/(bye, sid?), bye empty.

import type { Element } from "ltx";
import { booleanText, element, leaf, requireNonEmpty } from "../build.js";
import { NS_WORK_INFO } from "../namespaces.js";
import { attributeOf, NamespaceReader, parseBooleanValue, pathOf } from "../read.js";

export interface DeviceId {
  udi: string;
  sudi?: string;
  macAddress?: string;
  hostname: string;
  /** When true, the next server message must carry usr/pwd on `pnp` (§6 item 13). */
  authRequired: boolean;
  viaProxy?: boolean;
  /** e.g. "Password in clear text in unsecured transport". */
  securityAdvise?: string;
}

/** info/reason/reload, sent by some agents after a reload (not in the XSD). */
export interface ReloadReason {
  message?: string;
  /** e.g. "PnP Service Info 2408". */
  code?: string;
  startupConfigPresent?: boolean;
}

export interface WorkRequest {
  /** Created by the agent; echo it verbatim on the request and on the bye (§1.3). */
  correlator: string;
  deviceId: DeviceId;
  reloadReason?: ReloadReason;
}

export interface Bye {
  correlator: string;
  /** Session id the agent sends back as pnp@sid. */
  sid?: string;
}

const reader = new NamespaceReader(NS_WORK_INFO);

export function buildWorkRequestInfo(request: WorkRequest): Element {
  const id = request.deviceId;
  const reason = request.reloadReason;
  return element(
    "info",
    { xmlns: NS_WORK_INFO, correlator: requireNonEmpty(request.correlator, "workRequest.correlator") },
    element(
      "deviceId",
      {},
      leaf("udi", requireNonEmpty(id.udi, "deviceId.udi")),
      leaf("SUDI", id.sudi),
      leaf("macAddress", id.macAddress),
      leaf("hostname", id.hostname),
      leaf("authRequired", booleanText(id.authRequired)),
      leaf("viaProxy", booleanText(id.viaProxy)),
      leaf("securityAdvise", id.securityAdvise),
    ),
    reason === undefined
      ? undefined
      : element(
          "reason",
          {},
          element(
            "reload",
            {},
            leaf("message", reason.message),
            leaf("code", reason.code),
            leaf("startupConfigPresent", booleanText(reason.startupConfigPresent)),
          ),
        ),
  );
}

export function parseWorkRequestInfo(info: Element, correlator: string): WorkRequest {
  const deviceIdElement = reader.requireChild(info, "deviceId");
  const authRequired = reader.text(deviceIdElement, "authRequired");
  const deviceId: DeviceId = {
    udi: reader.requireText(deviceIdElement, "udi").trim(),
    hostname: reader.textOrEmpty(deviceIdElement, "hostname"),
    authRequired:
      authRequired === undefined || authRequired.trim() === ""
        ? false
        : parseBooleanValue(authRequired, `${pathOf(deviceIdElement)}/authRequired`),
  };
  const sudi = reader.text(deviceIdElement, "SUDI");
  if (sudi !== undefined) deviceId.sudi = sudi;
  const macAddress = reader.text(deviceIdElement, "macAddress");
  if (macAddress !== undefined) deviceId.macAddress = macAddress;
  const viaProxy = reader.boolean(deviceIdElement, "viaProxy");
  if (viaProxy !== undefined) deviceId.viaProxy = viaProxy;
  const securityAdvise = reader.text(deviceIdElement, "securityAdvise");
  if (securityAdvise !== undefined) deviceId.securityAdvise = securityAdvise;

  const result: WorkRequest = { correlator, deviceId };
  const reasonElement = reader.child(info, "reason");
  const reload = reasonElement === undefined ? undefined : reader.child(reasonElement, "reload");
  if (reload !== undefined) {
    const reason: ReloadReason = {};
    const message = reader.text(reload, "message");
    if (message !== undefined) reason.message = message;
    const code = reader.text(reload, "code");
    if (code !== undefined) reason.code = code.trim();
    const startupConfigPresent = reader.boolean(reload, "startupConfigPresent");
    if (startupConfigPresent !== undefined) reason.startupConfigPresent = startupConfigPresent;
    result.reloadReason = reason;
  }
  return result;
}

export function buildByeInfo(bye: Bye): Element {
  return element(
    "info",
    { xmlns: NS_WORK_INFO, correlator: requireNonEmpty(bye.correlator, "bye.correlator") },
    element("workInfo", {}, element("bye"), leaf("sid", bye.sid)),
  );
}

export function parseByeInfo(info: Element, correlator: string): Bye {
  const workInfo = reader.requireChild(info, "workInfo");
  reader.requireChild(workInfo, "bye");
  const result: Bye = { correlator };
  const sid = reader.text(workInfo, "sid");
  if (sid !== undefined) result.sid = sid.trim();
  return result;
}

/** The work-info `info` element's correlator (required on both kinds). */
export function workInfoCorrelator(info: Element): string | undefined {
  return attributeOf(info, "correlator");
}
