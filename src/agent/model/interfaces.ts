// Interface names: the physical ports of a platform (shared per platform and unit set), IOS-style
// abbreviation matching ("gi1/0/1", "Te 1/1/1", "po1"), short forms for CDP and topology, and the
// ordering IOS uses in the running configuration.

import type { Platform } from "./platforms.js";

const LOGICAL_RANGES: Record<string, [number, number]> = {
  Loopback: [0, 2_147_483_647],
  Tunnel: [0, 2_147_483_647],
  "Port-channel": [1, 128],
  Vlan: [1, 4094],
};

const SHORT: Record<string, string> = {
  GigabitEthernet: "Gi",
  TenGigabitEthernet: "Te",
  FortyGigabitEthernet: "Fo",
  TwentyFiveGigE: "Twe",
  HundredGigE: "Hu",
  AppGigabitEthernet: "Ap",
  FastEthernet: "Fa",
  Loopback: "Lo",
  Tunnel: "Tu",
  "Port-channel": "Po",
  Vlan: "Vl",
};

const CDP_SHORT: Record<string, string> = {
  GigabitEthernet: "Gig",
  TenGigabitEthernet: "Ten",
  FortyGigabitEthernet: "For",
  TwentyFiveGigE: "Twe",
  HundredGigE: "Hun",
  AppGigabitEthernet: "App",
  FastEthernet: "Fas",
};

export interface InterfaceCatalog {
  /** Physical interfaces in running-config order (management port first). */
  readonly physical: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  /** Every interface type name accepted on this device (physical types first, then logical). */
  readonly types: readonly string[];
  readonly logicalTypes: readonly string[];
  readonly allowSubinterfaces: boolean;
}

const catalogs = new Map<string, InterfaceCatalog>();

/** The shared interface catalogue for a platform and the unit numbers present (stack members, HA chassis). */
export function interfaceCatalog(platform: Platform, units: readonly number[]): InterfaceCatalog {
  const key = `${platform.pid}|${units.join(",")}`;
  let cat = catalogs.get(key);
  if (cat) return cat;
  const physical: string[] = [];
  if (platform.mgmtPort) physical.push(platform.mgmtPort.name);
  const perUnit = platform.ports.some((r) => r.prefix.includes("{u}"));
  for (const unit of perUnit ? units : [units[0] ?? 1]) {
    for (const range of platform.ports) {
      const prefix = range.prefix.replaceAll("{u}", String(unit));
      for (let n = range.from; n <= range.to; n++) physical.push(`${range.type}${prefix}${n}`);
    }
  }
  const physTypes = [...new Set(physical.map((n) => splitInterface(n)!.type))];
  const logicalTypes =
    platform.kind === "switch"
      ? ["Loopback", "Tunnel", "Port-channel", "Vlan"]
      : ["Loopback", "Tunnel", "Port-channel"];
  cat = Object.freeze({
    physical: Object.freeze(physical),
    index: new Map(physical.map((n, i) => [n, i])),
    types: Object.freeze([...physTypes, ...logicalTypes]),
    logicalTypes: Object.freeze(logicalTypes),
    allowSubinterfaces: platform.kind === "router",
  });
  catalogs.set(key, cat);
  return cat;
}

/** Splits "GigabitEthernet1/0/1" into type and number part. */
export function splitInterface(name: string): { type: string; number: string } | undefined {
  const m = /^([A-Za-z][A-Za-z-]*?)\s*(\d[\d/.:]*)$/.exec(name.trim());
  if (!m) return undefined;
  return { type: m[1]!, number: m[2]! };
}

export type InterfaceLookup =
  | { ok: true; name: string; logical: boolean }
  | { ok: false; reason: "invalid" | "ambiguous" | "absent" };

/**
 * Resolves what a user typed to the full interface name, IOS style: the type may be any unique prefix
 * (case-insensitive). Physical interfaces must exist on this device; logical ones (Loopback, Vlan…)
 * must be in range; router subinterfaces (Gi0/0/0.100) need an existing parent.
 */
export function resolveInterface(cat: InterfaceCatalog, text: string): InterfaceLookup {
  const parts = splitInterface(text);
  if (!parts) return { ok: false, reason: "invalid" };
  const typed = parts.type.toLowerCase();
  const exact = cat.types.find((t) => t.toLowerCase() === typed);
  const candidates = exact ? [exact] : cat.types.filter((t) => t.toLowerCase().startsWith(typed));
  if (candidates.length > 1) return { ok: false, reason: "ambiguous" };
  const type = candidates[0];
  if (type === undefined) return { ok: false, reason: "invalid" };
  const range = LOGICAL_RANGES[type];
  if (range && cat.logicalTypes.includes(type)) {
    if (!/^\d+$/.test(parts.number)) return { ok: false, reason: "invalid" };
    const n = Number(parts.number);
    if (n < range[0] || n > range[1]) return { ok: false, reason: "invalid" };
    return { ok: true, name: `${type}${n}`, logical: true };
  }
  const name = `${type}${parts.number}`;
  if (cat.index.has(name)) return { ok: true, name, logical: false };
  const dot = name.lastIndexOf(".");
  if (
    cat.allowSubinterfaces &&
    dot > 0 &&
    cat.index.has(name.slice(0, dot)) &&
    /^\d+$/.test(name.slice(dot + 1))
  ) {
    return { ok: true, name, logical: true };
  }
  return { ok: false, reason: "absent" };
}

/** "GigabitEthernet1/0/1" → "Gi1/0/1" (topology `shortInterface`, `show ip interface brief` style). */
export function shortInterfaceName(name: string): string {
  const parts = splitInterface(name);
  if (!parts) return name;
  return `${SHORT[parts.type] ?? parts.type}${parts.number}`;
}

/** "GigabitEthernet1/0/1" → "Gig 1/0/1" (the `show cdp neighbors` table). */
export function cdpInterfaceName(name: string): string {
  const parts = splitInterface(name);
  if (!parts) return name;
  const short = CDP_SHORT[parts.type];
  return short ? `${short} ${parts.number}` : name;
}

function numericParts(text: string): number[] {
  return text.split(/[/.:]/).map((p) => Number(p));
}

/** Running-config order: Loopback, Tunnel, Port-channel, physical (catalogue order, subinterfaces after parent), Vlan. */
export function compareInterfaces(cat: InterfaceCatalog, a: string, b: string): number {
  const key = (name: string): [number, number, number[]] => {
    const parts = splitInterface(name);
    const type = parts?.type ?? name;
    const nums = numericParts(parts?.number ?? "0");
    if (type === "Loopback") return [0, 0, nums];
    if (type === "Tunnel") return [1, 0, nums];
    if (type === "Port-channel") return [2, 0, nums];
    if (type === "Vlan") return [9, 0, nums];
    const dot = name.lastIndexOf(".");
    const base = dot > 0 ? name.slice(0, dot) : name;
    const idx = cat.index.get(base) ?? cat.physical.length;
    return [3, idx, dot > 0 ? [Number(name.slice(dot + 1))] : [-1]];
  };
  const ka = key(a);
  const kb = key(b);
  if (ka[0] !== kb[0]) return ka[0] - kb[0];
  if (ka[1] !== kb[1]) return ka[1] - kb[1];
  const n = Math.max(ka[2].length, kb[2].length);
  for (let i = 0; i < n; i++) {
    const d = (ka[2][i] ?? -1) - (kb[2][i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
