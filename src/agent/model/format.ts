// Small formatting helpers shared by the model: MD5, IOS date and uptime strings, MAC arithmetic.

import { createHash } from "node:crypto";

export function md5Hex(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex");
}

/** Signed 32-bit view of a byte count: what real agents put in `mainMemSize` on big boxes. */
export function toInt32(value: number): number {
  return value | 0;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** `10:21:33.123 UTC Mon Mar 4 2024`, the body of `show clock` (the caller adds `*` when unsynchronised). */
export function iosClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} UTC ${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()}`;
}

/** `10:21:33 UTC Mon Mar 4 2024`, as in "Last configuration change at …". */
export function iosTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()}`;
}

/** `Mar 4 2024 10:21:33 +00:00`, the date column of `dir`. */
export function dirDate(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +00:00`;
}

/** IOS uptime wording: "1 week, 2 days, 3 hours, 4 minutes"; under a minute reads "0 minutes". */
export function iosUptime(elapsedMs: number): string {
  let minutes = Math.max(0, Math.floor(elapsedMs / 60_000));
  const units: [string, number][] = [
    ["year", 525_600],
    ["week", 10_080],
    ["day", 1_440],
    ["hour", 60],
  ];
  const parts: string[] = [];
  for (const [name, size] of units) {
    const n = Math.floor(minutes / size);
    minutes -= n * size;
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? "" : "s"}`);
  }
  parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  return parts.join(", ");
}

/** Parses `00a3.d111.2200`, `00:a3:d1:11:22:00` or `00-A3-…` into a 48-bit number; undefined if malformed. */
export function parseMac(text: string): number | undefined {
  const hex = text.replace(/[.:-]/g, "").toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) return undefined;
  return Number.parseInt(hex, 16);
}

/** Cisco dotted form `00a3.d111.2200` of a 48-bit number. */
export function dottedMac(value: number): string {
  const hex = value.toString(16).padStart(12, "0").slice(-12);
  return `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8, 12)}`;
}

/** Colon form `00:a3:d1:11:22:00`. */
export function colonMac(value: number): string {
  const hex = value.toString(16).padStart(12, "0").slice(-12);
  return hex.match(/../g)!.join(":");
}

/** Deterministic 32-bit FNV-1a hash, used to derive stable serials and MACs from a seed. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function isIpv4(text: string): boolean {
  const parts = text.split(".");
  if (parts.length !== 4) return false;
  return parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

export function padRight(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

export function padLeft(text: string, width: number): string {
  return text.length >= width ? text : " ".repeat(width - text.length) + text;
}

/** Byte length of a text as stored on flash/nvram. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
