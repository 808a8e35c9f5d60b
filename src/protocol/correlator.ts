// Correlators (§1.3). On HTTP the agent creates one per WORK-REQUEST and the server copies it verbatim onto
// its request and onto the bye: never invent one there, and never interpret one (they are opaque strings
// such as CiscoPnP-1.0-R35.201014-I10-P379-T226299-8). On push transports (XMPP) there is no work request,
// so the server creates its own, as Cisco's own server does (CiscoPnPPro-1.0-redirection-50823).

import { randomBytes } from "node:crypto";

export const SERVER_CORRELATOR_PREFIX = "PnPServer-1.0-";

export interface NewCorrelatorOptions {
  /** Included for readability in logs, e.g. "device-info". */
  service?: string;
  /** Milliseconds since the epoch; defaults to now. */
  now?: number;
}

/**
 * A fresh correlator for a server-originated request: `PnPServer-1.0-[<service>-]<time>-<random>`, unique
 * across server instances (48 random bits on top of the millisecond time).
 */
export function newCorrelator(options: NewCorrelatorOptions = {}): string {
  const time = (options.now ?? Date.now()).toString(36);
  const random = randomBytes(6).toString("hex");
  const service = options.service === undefined || options.service === "" ? "" : `${options.service}-`;
  return `${SERVER_CORRELATOR_PREFIX}${service}${time}-${random}`;
}

/** True for correlators made by `newCorrelator` (as opposed to agent-made ones to be echoed). */
export function isServerCorrelator(correlator: string): boolean {
  return correlator.startsWith(SERVER_CORRELATOR_PREFIX);
}
