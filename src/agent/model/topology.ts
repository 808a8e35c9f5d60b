// Topology files: which simulated devices exist and which ports are cabled together, so a fleet forms a
// real CDP graph. Two equivalent formats:
//
// JSON:
//   { "devices": [ { "name": "core1", "pid": "C9300-24P", "serial": "FOC2301X0AA", "hostname": "core1",
//                    "mgmtIp": "10.0.0.1", "variant": "stack", "members": 2 } ],
//     "links":   [ { "a": "core1 Gi1/0/1", "b": "acc1 Gi1/0/24" } ] }
//
// Text (one statement per line, `#` starts a comment, key=value options in any order):
//   device core1 C9300-24P serial=FOC2301X0AA hostname=core1 ip=10.0.0.1 variant=stack members=2
//   device acc1 C1000-24P-4G-L
//   link core1 Gi1/0/1 acc1 Gi1/0/24        (also: link core1:Gi1/0/1 -- acc1:Gi1/0/24)
//
// Validation reports every problem with its line (text) or index (JSON): unknown PIDs, duplicate names
// or serials, bad variants, interfaces that the platform does not have, ports cabled twice, self-links.

import { isIpv4 } from "./format.js";
import { interfaceCatalog, resolveInterface } from "./interfaces.js";
import { getPlatform, listPlatforms } from "./platforms.js";
import type { Variant } from "./state.js";

export interface TopologyDevice {
  name: string;
  pid: string;
  serial?: string;
  hostname?: string;
  mgmtIp?: string;
  variant: Variant;
  /** Stack members (stack) or chassis (ha: 2); 1 for standalone. */
  members: number;
}

export interface TopologyEndpoint {
  device: string;
  /** Full interface name after resolution ("GigabitEthernet1/0/1"). */
  interface: string;
}

export interface TopologyLink {
  a: TopologyEndpoint;
  b: TopologyEndpoint;
}

export interface TopologyNeighbor {
  localInterface: string;
  remoteDevice: string;
  remoteInterface: string;
}

export interface Topology {
  readonly devices: readonly TopologyDevice[];
  readonly links: readonly TopologyLink[];
  /** Neighbours of one device, in link order. */
  neighbors(device: string): TopologyNeighbor[];
}

export interface TopologyError {
  /** 1-based line of a text file. */
  line?: number;
  /** "devices[2]" / "links[0]" in a JSON file. */
  where?: string;
  message: string;
}

export type TopologyParseResult = { ok: true; topology: Topology } | { ok: false; errors: TopologyError[] };

interface RawDevice {
  at: Pick<TopologyError, "line" | "where">;
  fields: Record<string, unknown>;
}

interface RawLink {
  at: Pick<TopologyError, "line" | "where">;
  a: string;
  b: string;
}

const NAME_RE = /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/;
const SERIAL_RE = /^[A-Za-z0-9]{1,20}$/;

function splitEndpoint(text: string): { device: string; iface: string } | undefined {
  const t = text.trim();
  const colon = /^([^\s:]+):(\S+)$/.exec(t);
  if (colon) return { device: colon[1]!, iface: colon[2]! };
  const m = /^(\S+)\s+(.+)$/.exec(t);
  if (m) return { device: m[1]!, iface: m[2]!.replace(/\s+/g, "") };
  return undefined;
}

function parseText(text: string, errors: TopologyError[]): { devices: RawDevice[]; links: RawLink[] } {
  const devices: RawDevice[] = [];
  const links: RawLink[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const at = { line: i + 1 };
    const words = line.split(/\s+/);
    const kw = words[0]!.toLowerCase();
    if (kw === "device") {
      if (words.length < 3) {
        errors.push({ ...at, message: "device needs a name and a PID: device <name> <pid> [key=value…]" });
        return;
      }
      const fields: Record<string, unknown> = { name: words[1], pid: words[2] };
      for (const opt of words.slice(3)) {
        const eq = opt.indexOf("=");
        if (eq <= 0) {
          errors.push({ ...at, message: `expected key=value, got "${opt}"` });
          continue;
        }
        const key = opt.slice(0, eq).toLowerCase();
        const value = opt.slice(eq + 1);
        const mapped = key === "ip" ? "mgmtIp" : key;
        if (!["serial", "hostname", "mgmtIp", "variant", "members"].includes(mapped)) {
          errors.push({
            ...at,
            message: `unknown device option "${key}" (serial, hostname, ip, variant, members)`,
          });
          continue;
        }
        fields[mapped] = mapped === "members" ? Number(value) : value;
      }
      devices.push({ at, fields });
    } else if (kw === "link") {
      const rest = words.slice(1).filter((w) => w !== "--" && w !== "<->" && w !== "-");
      let a: string | undefined;
      let b: string | undefined;
      if (rest.length === 2 && rest.every((w) => w.includes(":"))) [a, b] = rest;
      else if (rest.length === 4) {
        a = `${rest[0]} ${rest[1]}`;
        b = `${rest[2]} ${rest[3]}`;
      }
      if (a === undefined || b === undefined) {
        errors.push({ ...at, message: "link needs two endpoints: link <dev> <if> <dev> <if>" });
        return;
      }
      links.push({ at, a, b });
    } else {
      errors.push({ ...at, message: `unknown statement "${words[0]}" (expected "device" or "link")` });
    }
  });
  return { devices, links };
}

function endpointText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    if (typeof o.device === "string" && typeof o.interface === "string") return `${o.device} ${o.interface}`;
  }
  return undefined;
}

function parseJsonValue(value: unknown, errors: TopologyError[]): { devices: RawDevice[]; links: RawLink[] } {
  const devices: RawDevice[] = [];
  const links: RawLink[] = [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    errors.push({ message: 'topology must be an object with "devices" and "links" arrays' });
    return { devices, links };
  }
  const o = value as Record<string, unknown>;
  if (!Array.isArray(o.devices)) errors.push({ message: '"devices" must be an array' });
  else {
    o.devices.forEach((d, i) => {
      if (typeof d !== "object" || d === null)
        errors.push({ where: `devices[${i}]`, message: "device must be an object" });
      else devices.push({ at: { where: `devices[${i}]` }, fields: d as Record<string, unknown> });
    });
  }
  if (o.links !== undefined && !Array.isArray(o.links)) errors.push({ message: '"links" must be an array' });
  else if (Array.isArray(o.links)) {
    o.links.forEach((l, i) => {
      const rec = (typeof l === "object" && l !== null ? l : {}) as Record<string, unknown>;
      const a = endpointText(rec.a);
      const b = endpointText(rec.b);
      if (a === undefined || b === undefined) {
        errors.push({
          where: `links[${i}]`,
          message: 'link needs "a" and "b" endpoints ("dev iface" or {device, interface})',
        });
      } else links.push({ at: { where: `links[${i}]` }, a, b });
    });
  }
  return { devices, links };
}

/** Parses and validates a topology (JSON text, text format, or an already parsed JSON value). */
export function parseTopology(input: string | object): TopologyParseResult {
  const errors: TopologyError[] = [];
  let raw: { devices: RawDevice[]; links: RawLink[] };
  if (typeof input === "string" && input.trimStart().startsWith("{")) {
    let value: unknown;
    try {
      value = JSON.parse(input);
    } catch (e) {
      return { ok: false, errors: [{ message: `invalid JSON: ${(e as Error).message}` }] };
    }
    raw = parseJsonValue(value, errors);
  } else if (typeof input === "string") raw = parseText(input, errors);
  else raw = parseJsonValue(input, errors);

  const devices: TopologyDevice[] = [];
  const byName = new Map<string, TopologyDevice>();
  const serials = new Map<string, string>();
  for (const { at, fields } of raw.devices) {
    const err = (message: string) => errors.push({ ...at, message });
    const name = fields.name;
    if (typeof name !== "string" || !NAME_RE.test(name)) {
      err(
        `invalid device name ${JSON.stringify(name)} (letters, digits, "_", ".", "-"; starting with a letter)`,
      );
      continue;
    }
    if (byName.has(name)) {
      err(`duplicate device name "${name}"`);
      continue;
    }
    const pid = typeof fields.pid === "string" ? fields.pid : "";
    const platform = getPlatform(pid);
    if (!platform) {
      err(
        `device "${name}": unknown PID "${pid}" (known: ${listPlatforms()
          .map((p) => p.pid)
          .join(", ")})`,
      );
      continue;
    }
    const variant = (fields.variant ?? "standalone") as string;
    if (variant !== "standalone" && variant !== "ha" && variant !== "stack") {
      err(`device "${name}": variant must be standalone, ha or stack, not "${variant}"`);
      continue;
    }
    let members = 1;
    if (variant === "stack") {
      members = typeof fields.members === "number" ? fields.members : 2;
      if (!platform.stackable) err(`device "${name}": ${platform.pid} cannot be stacked`);
      else if (!Number.isInteger(members) || members < 2 || members > platform.maxStackMembers) {
        err(`device "${name}": members must be 2..${platform.maxStackMembers} for a ${platform.pid} stack`);
      }
    } else if (variant === "ha") {
      members = 2;
      if (!platform.haCapable) err(`device "${name}": ${platform.pid} has no high-availability pair mode`);
    } else if (fields.members !== undefined && fields.members !== 1) {
      err(`device "${name}": members only applies to variant=stack`);
    }
    const dev: TopologyDevice = { name, pid: platform.pid, variant, members };
    if (fields.serial !== undefined) {
      const serial = String(fields.serial);
      if (!SERIAL_RE.test(serial)) err(`device "${name}": invalid serial "${serial}"`);
      else if (serials.has(serial.toUpperCase())) {
        err(`device "${name}": serial ${serial} already used by "${serials.get(serial.toUpperCase())}"`);
      } else {
        serials.set(serial.toUpperCase(), name);
        dev.serial = serial;
      }
    }
    if (fields.hostname !== undefined) {
      const h = String(fields.hostname);
      if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/.test(h)) err(`device "${name}": invalid hostname "${h}"`);
      else dev.hostname = h;
    }
    if (fields.mgmtIp !== undefined) {
      const ip = String(fields.mgmtIp);
      if (!isIpv4(ip)) err(`device "${name}": invalid management IP "${ip}"`);
      else dev.mgmtIp = ip;
    }
    devices.push(dev);
    byName.set(name, dev);
  }

  const links: TopologyLink[] = [];
  const used = new Map<string, string>();
  for (const { at, a, b } of raw.links) {
    const err = (message: string) => errors.push({ ...at, message });
    const ends: TopologyEndpoint[] = [];
    for (const text of [a, b]) {
      const ep = splitEndpoint(text);
      if (!ep) {
        err(`cannot read endpoint "${text}"`);
        continue;
      }
      const dev = byName.get(ep.device);
      if (!dev) {
        err(`link endpoint "${text}": unknown device "${ep.device}"`);
        continue;
      }
      const platform = getPlatform(dev.pid)!;
      const units = Array.from({ length: dev.members }, (_, i) => i + 1);
      const r = resolveInterface(interfaceCatalog(platform, units), ep.iface);
      if (!r.ok) {
        err(
          `link endpoint "${text}": ${dev.pid}${dev.members > 1 ? ` (${dev.members} units)` : ""} has no interface "${ep.iface}"${r.reason === "ambiguous" ? " (ambiguous abbreviation)" : ""}`,
        );
        continue;
      }
      if (r.logical) {
        err(`link endpoint "${text}": "${r.name}" is not a physical port`);
        continue;
      }
      ends.push({ device: dev.name, interface: r.name });
    }
    if (ends.length !== 2) continue;
    const [ea, eb] = ends as [TopologyEndpoint, TopologyEndpoint];
    if (ea.device === eb.device) {
      err(`link ${a} - ${b} connects "${ea.device}" to itself`);
      continue;
    }
    let clash = false;
    for (const e of ends) {
      const key = `${e.device} ${e.interface}`;
      const prior = used.get(key);
      if (prior !== undefined) {
        err(`${key} is already cabled (${prior})`);
        clash = true;
      }
    }
    if (clash) continue;
    const desc = at.line !== undefined ? `line ${at.line}` : (at.where ?? "");
    used.set(`${ea.device} ${ea.interface}`, desc);
    used.set(`${eb.device} ${eb.interface}`, desc);
    links.push({ a: ea, b: eb });
  }

  if (errors.length > 0) return { ok: false, errors };
  const adjacency = new Map<string, TopologyNeighbor[]>();
  for (const l of links) {
    for (const [x, y] of [
      [l.a, l.b],
      [l.b, l.a],
    ] as const) {
      let list = adjacency.get(x.device);
      if (!list) {
        list = [];
        adjacency.set(x.device, list);
      }
      list.push({ localInterface: x.interface, remoteDevice: y.device, remoteInterface: y.interface });
    }
  }
  const topology: Topology = {
    devices,
    links,
    neighbors: (device) => [...(adjacency.get(device) ?? [])],
  };
  return { ok: true, topology };
}

/** "line 3: …" / "links[0]: …", one per error, for CLI output and exception messages. */
export function formatTopologyErrors(errors: readonly TopologyError[]): string {
  return errors
    .map(
      (e) =>
        `${e.line !== undefined ? `line ${e.line}: ` : e.where !== undefined ? `${e.where}: ` : ""}${e.message}`,
    )
    .join("\n");
}
