// Facts derived on demand from device state (nothing here is stored): hostname, UDIs, image and boot
// strings, interface status and MACs, PnP profiles read from the running configuration.

import { DISCOVERY_PROFILE, findBlockIndex, hostnameOf } from "./config-doc.js";
import { dottedMac } from "./format.js";
import { longXeVersion, xeReleaseName } from "./images.js";
import type { DeviceState, Unit } from "./state.js";
import { unitsOf } from "./storage.js";

export function hostname(state: DeviceState): string {
  return hostnameOf(state.running, state.platform.defaultHostname);
}

export function udiString(unit: { pid: string; vid: string; serial: string }): string {
  return `PID:${unit.pid},VID:${unit.vid},SN:${unit.serial}`;
}

export function activeUnit(state: DeviceState): Unit {
  const units = unitsOf(state);
  return units.find((u) => u.role === "active") ?? units[0]!;
}

/** "flash:cat9k_iosxe.17.09.04a.SPA.bin" */
export function runningImagePath(state: DeviceState): string {
  return `${state.imageFs}:${state.image.file}`;
}

/** BOOT variable as `show boot` and device-info print it: "flash:a.bin;" (switches) or "bootflash:a.bin,12;" (routers). */
export function bootVariableString(state: DeviceState): string {
  const suffix = state.platform.kind === "router" ? (state.platform.family === "ios" ? ",1" : ",12") : "";
  return state.bootVar.map((b) => `${b}${suffix};`).join("");
}

/** First line of `show version` and the CDP version text. */
export function softwareLine(state: DeviceState): string {
  const v = state.image.version;
  const p = state.platform;
  if (p.family === "ios") return `Cisco IOS Software, ${p.train}, Version ${v}, RELEASE SOFTWARE (fc1)`;
  const release = xeReleaseName(v);
  return `Cisco IOS Software${release ? ` [${release}]` : ""}, ${p.train}, Version ${v}, RELEASE SOFTWARE (fc3)`;
}

export function xeVersionLine(state: DeviceState): string {
  return `Cisco IOS XE Software, Version ${longXeVersion(state.image.version)}`;
}

/** MAC of a unit's chassis: the base MAC, shifted by 0x80 per extra unit. */
export function unitMac(state: DeviceState, slot: number): number {
  return state.identity.mac + (slot - 1) * 0x80;
}

export function interfaceMac(state: DeviceState, ifname: string): string {
  const idx = state.cat.index.get(ifname);
  const m = /^[A-Za-z-]+(\d+)\//.exec(ifname);
  const unit = m && state.identity.variant !== "standalone" ? Math.max(1, Number(m[1])) : 1;
  return dottedMac(unitMac(state, unit) + 1 + (idx ?? 0x40));
}

function interfaceChildren(state: DeviceState, ifname: string): readonly string[] | undefined {
  const idx = findBlockIndex(state.running, `interface ${ifname}`);
  if (idx < 0) return undefined;
  return state.running[idx]!.children ?? [];
}

export function interfaceExists(state: DeviceState, ifname: string): boolean {
  return findBlockIndex(state.running, `interface ${ifname}`) >= 0;
}

export function interfaceShutdown(state: DeviceState, ifname: string): boolean {
  return interfaceChildren(state, ifname)?.includes("shutdown") ?? false;
}

export function cdpRunning(state: DeviceState): boolean {
  return !state.running.some((b) => b.line === "no cdp run");
}

export function interfaceCdpEnabled(state: DeviceState, ifname: string): boolean {
  return !(interfaceChildren(state, ifname)?.includes("no cdp enable") ?? false);
}

/** The IPv4 address configured on an interface: a static one, or the simulated DHCP lease. */
export function interfaceAddress(
  state: DeviceState,
  ifname: string,
): { address: string; method: "manual" | "DHCP" | "unset" } | undefined {
  const children = interfaceChildren(state, ifname);
  if (!children) return undefined;
  for (const c of children) {
    const m = /^ip address (\d+\.\d+\.\d+\.\d+) (\d+\.\d+\.\d+\.\d+)$/.exec(c);
    if (m) return { address: m[1]!, method: "manual" };
    if (c.startsWith("ip address dhcp")) {
      return state.identity.mgmtIp
        ? { address: state.identity.mgmtIp, method: "DHCP" }
        : { address: "unassigned", method: "DHCP" };
    }
  }
  return { address: "unassigned", method: "unset" };
}

/** The address CDP advertises: the PnP interface's lease, else the first static address. */
export function managementAddress(state: DeviceState): string | undefined {
  const pnp = interfaceAddress(state, state.platform.pnpInterface);
  if (pnp && pnp.address !== "unassigned") return pnp.address;
  for (const b of state.running) {
    if (!b.line.startsWith("interface ")) continue;
    const a = interfaceAddress(state, b.line.slice(10));
    if (a && a.method === "manual") return a.address;
  }
  return state.identity.mgmtIp;
}

export interface PnpProfileView {
  name: string;
  discoveryCreated: boolean;
  createdBy: string;
  primary?: { protocol: string; kind: "ipv4" | "ipv6" | "host"; address: string; port?: number };
  backup?: { protocol: string; kind: "ipv4" | "ipv6" | "host"; address: string; port?: number };
}

function parseTransport(text: string): PnpProfileView["primary"] {
  const m = /^(http|https)\s+(ipv4|ipv6|host)\s+(\S+)(?:\s+port\s+(\d+))?/.exec(text);
  if (!m) return undefined;
  const out: NonNullable<PnpProfileView["primary"]> = {
    protocol: m[1]!,
    kind: m[2] as "ipv4" | "ipv6" | "host",
    address: m[3]!,
  };
  if (m[4] !== undefined) out.port = Number(m[4]);
  return out;
}

/** `pnp profile` blocks of the running configuration. */
export function pnpProfiles(state: DeviceState): PnpProfileView[] {
  const out: PnpProfileView[] = [];
  for (const b of state.running) {
    if (!b.line.startsWith("pnp profile ")) continue;
    const name = b.line.slice("pnp profile ".length);
    const discovery = name === DISCOVERY_PROFILE;
    const view: PnpProfileView = {
      name,
      discoveryCreated: discovery,
      createdBy: discovery ? state.identity.quirks.discoveryCreatedBy : "user",
    };
    for (const child of b.children ?? []) {
      if (child.startsWith("transport ")) {
        const t = parseTransport(child.slice("transport ".length));
        if (t) view.primary = t;
      } else if (child.startsWith("backup transport ")) {
        const t = parseTransport(child.slice("backup transport ".length));
        if (t) view.backup = t;
      }
    }
    out.push(view);
  }
  return out;
}
