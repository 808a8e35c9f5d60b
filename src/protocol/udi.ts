// UDI strings `PID:<pid>,VID:<vid>,SN:<serial>` (§4.1). PIDs contain `/` and `-` (CISCO2901/K9,
// ISR4451-X/K9), VID may be empty (`VID:,`), so nothing but the comma separates fields. Some wireless
// agents leave VID out entirely; parsing accepts that as an empty VID. Formatting always writes all three.

import type { Udi } from "./device-info-types.js";
import { PnpProtocolError } from "./errors.js";

export type { Udi } from "./device-info-types.js";

const UDI_PATTERN = /^\s*PID:([^,]*),\s*(?:VID:([^,]*),\s*)?SN:([^,\s]+)\s*$/i;

/** The parsed UDI, or undefined when `text` is not one. */
export function tryParseUdi(text: string): Udi | undefined {
  const match = UDI_PATTERN.exec(text);
  if (match === null) return undefined;
  const pid = (match[1] ?? "").trim();
  const sn = (match[3] ?? "").trim();
  if (pid === "" || sn === "") return undefined;
  return { pid, vid: (match[2] ?? "").trim(), sn };
}

/** Parses a UDI; throws PnpProtocolError PNP_UDI_INVALID when `text` is not one. */
export function parseUdi(text: string): Udi {
  const udi = tryParseUdi(text);
  if (udi === undefined) {
    throw new PnpProtocolError("PNP_UDI_INVALID", `"${text.slice(0, 80)}" is not a PID:…,VID:…,SN:… UDI`);
  }
  return udi;
}

/** `PID:<pid>,VID:<vid>,SN:<sn>`; throws PNP_UDI_INVALID for values that would not parse back. */
export function formatUdi(udi: Udi): string {
  const problems: string[] = [];
  if (udi.pid.trim() === "" || udi.pid.includes(",")) problems.push("PID must be non-empty without commas");
  if (udi.vid.includes(",")) problems.push("VID must not contain commas");
  if (!/^[^,\s]+$/.test(udi.sn)) problems.push("SN must be non-empty without commas or spaces");
  if (problems.length > 0)
    throw new PnpProtocolError("PNP_UDI_INVALID", `cannot format UDI: ${problems.join("; ")}`);
  return `PID:${udi.pid},VID:${udi.vid},SN:${udi.sn}`;
}
