// The configuration document: an immutable array of top-level blocks (a line plus optional child lines).
// Documents are shared by reference (all new boxes of one platform share one factory document; `write
// memory` makes startup and running the same array) and changed copy-on-write, so an untouched device
// costs nothing for its configuration.

import { byteLength } from "./format.js";
import { compareInterfaces, type InterfaceCatalog, interfaceCatalog } from "./interfaces.js";
import type { Platform } from "./platforms.js";

export interface ConfigBlock {
  readonly line: string;
  readonly children?: readonly string[];
  /** Banner text: children are raw lines, printed without indentation. */
  readonly raw?: true;
}

export type ConfigDoc = readonly ConfigBlock[];

/** Where a PnP discovery left the server, rendered as the `pnp profile pnp-zero-touch` block. */
export interface PnpServerSpec {
  readonly protocol: "http" | "https";
  /** IPv4, IPv6 or host name. */
  readonly address: string;
  readonly port?: number;
}

export const DISCOVERY_PROFILE = "pnp-zero-touch";

/** Parses trusted, indented IOS text (factory templates) into blocks. "!" separators and "end" are dropped. */
export function parseIndentedConfig(text: string): ConfigBlock[] {
  const blocks: { line: string; children?: string[] }[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+$/, "");
    if (line === "" || line === "end") continue;
    if (line.startsWith(" ")) {
      const last = blocks[blocks.length - 1];
      if (!last) continue;
      last.children ??= [];
      last.children.push(line.slice(1));
      continue;
    }
    if (line.startsWith("!")) continue;
    blocks.push({ line });
  }
  return blocks.map((b) => freezeBlock(b.line, b.children));
}

export function freezeBlock(line: string, children?: readonly string[], raw?: boolean): ConfigBlock {
  const block: { line: string; children?: readonly string[]; raw?: true } = { line };
  if (children && children.length > 0) block.children = Object.freeze([...children]);
  if (raw) block.raw = true;
  return Object.freeze(block);
}

// Rough IOS ordering of top-level commands, used to place a new command where IOS would show it.
const RANK_RULES: [RegExp, number][] = [
  [/^(no )?service /, 0],
  [/^platform /, 0.5],
  [/^hostname /, 1],
  [/^boot-start-marker/, 2],
  [/^(no )?boot /, 2.1],
  [/^boot-end-marker/, 2.2],
  [/^vrf /, 3],
  [/^(no )?aaa /, 3.1],
  [/^clock /, 3.2],
  [/^switch \d/, 3.3],
  [/^(no )?ip (domain|name-server|dhcp|cef)/, 3.4],
  [/^(no )?ipv6 cef/, 3.4],
  [/^login /, 3.5],
  [/^(subscriber|multilink|vtp) /, 3.6],
  [/^license /, 3.7],
  [/^(enable|username) /, 3.8],
  [/^crypto /, 3.9],
  [/^(system|diagnostic|memory|transceiver|errdisable|archive|(no )?(cdp|lldp) )/, 4],
  [/^spanning-tree /, 4.1],
  [/^redundancy/, 4.2],
  [/^vlan /, 4.3],
  [/^(class-map|policy-map) /, 4.5],
  [/^interface /, 5],
  [/^router /, 6],
  [/^(no )?ip /, 7],
  [/^(no )?ipv6 /, 7.1],
  [/^(logging|access-list|snmp-server|radius|tacacs) /, 7.5],
  [/^control-plane/, 8],
  [/^banner /, 8.5],
  [/^pnp /, 9],
  [/^line /, 10],
  [/^(ntp|scheduler|event|alias) /, 11],
];

export function topLevelRank(line: string): number {
  for (const [re, rank] of RANK_RULES) if (re.test(line)) return rank;
  return 7.8;
}

const blockRanks = new WeakMap<ConfigBlock, number>();

function rankOf(block: ConfigBlock): number {
  let r = blockRanks.get(block);
  if (r === undefined) {
    r = topLevelRank(block.line);
    blockRanks.set(block, r);
  }
  return r;
}

/** Index at which a new top-level block belongs. Interfaces and VLANs are kept sorted. */
export function insertionIndex(doc: readonly ConfigBlock[], line: string, cat: InterfaceCatalog): number {
  const rank = topLevelRank(line);
  if (line.startsWith("interface ")) {
    const name = line.slice("interface ".length);
    let after = -1;
    for (let i = 0; i < doc.length; i++) {
      const other = doc[i]!.line;
      if (other.startsWith("interface ")) {
        if (compareInterfaces(cat, other.slice("interface ".length), name) < 0) after = i;
        else return i;
      } else if (rankOf(doc[i]!) <= rank) after = i;
    }
    return after + 1;
  }
  if (/^vlan \d+$/.test(line)) {
    const id = Number(line.slice(5));
    let after = -1;
    for (let i = 0; i < doc.length; i++) {
      const other = doc[i]!.line;
      const m = /^vlan (\d+)$/.exec(other);
      if (m) {
        if (Number(m[1]) < id) after = i;
        else return i;
      } else if (rankOf(doc[i]!) <= rank) after = i;
    }
    return after + 1;
  }
  let after = -1;
  for (let i = 0; i < doc.length; i++) if (rankOf(doc[i]!) <= rank) after = i;
  return after + 1;
}

export function hostnameOf(doc: ConfigDoc, fallback: string): string {
  for (const b of doc) if (b.line.startsWith("hostname ")) return b.line.slice(9).trim();
  return fallback;
}

export function findBlockIndex(doc: ConfigDoc, line: string): number {
  for (let i = 0; i < doc.length; i++) if (doc[i]!.line === line) return i;
  return -1;
}

export interface RenderOptions {
  /** "17.9", printed as the `version` line. */
  version: string;
  /** ms epoch of the last change; omitted when undefined. */
  lastChange?: number;
  formatTime?: (ms: number) => string;
}

/** The configuration text from the first "!" to "end", as IOS prints it after the byte count. */
export function renderConfig(doc: ConfigDoc, opts: RenderOptions): string {
  const out: string[] = ["!"];
  if (opts.lastChange !== undefined && opts.formatTime) {
    out.push(`! Last configuration change at ${opts.formatTime(opts.lastChange)}`, "!");
  }
  out.push(`version ${opts.version}`);
  let prev: ConfigBlock | undefined;
  for (const block of doc) {
    if (
      prev &&
      (block.children ||
        prev.children ||
        block.line.startsWith("interface ") ||
        Math.floor(rankOf(block)) !== Math.floor(rankOf(prev)))
    ) {
      if (!(block.line.startsWith("line ") && prev.line.startsWith("line "))) out.push("!");
    }
    out.push(block.line);
    if (block.children) {
      for (const child of block.children) out.push(block.raw ? child : ` ${child}`);
    }
    prev = block;
  }
  out.push("!", "end", "");
  return out.join("\n");
}

export function configByteSize(text: string): number {
  return byteLength(text);
}

/** "17.9.4a" → "17.9", "15.7(3)M8" → "15.7". */
export function configVersion(imageVersion: string): string {
  const m = /^(\d+)\.(\d+)/.exec(imageVersion);
  return m ? `${m[1]}.${m[2]}` : imageVersion;
}

// ---- factory configurations ---------------------------------------------------------------------

const factoryCache = new Map<string, ConfigDoc>();

function pnpBlockText(pnp: PnpServerSpec | undefined): string {
  if (!pnp) return "";
  const kind = /^\d+\.\d+\.\d+\.\d+$/.test(pnp.address)
    ? "ipv4"
    : pnp.address.includes(":")
      ? "ipv6"
      : "host";
  const port = pnp.port ?? (pnp.protocol === "https" ? 443 : 80);
  return `pnp profile ${DISCOVERY_PROFILE}\n transport ${pnp.protocol} ${kind} ${pnp.address} port ${port}\n`;
}

function interfaceText(platform: Platform, cat: InterfaceCatalog, pnp: PnpServerSpec | undefined): string {
  const lines: string[] = [];
  const dhcp = pnp !== undefined;
  for (const name of cat.physical) {
    lines.push(`interface ${name}`);
    if (platform.mgmtPort && name === platform.mgmtPort.name) {
      lines.push(` vrf forwarding ${platform.mgmtPort.vrf}`, " no ip address");
      if (platform.kind === "router") lines.push(" shutdown");
      lines.push(" negotiation auto");
      continue;
    }
    if (platform.kind === "switch") {
      continue;
    }
    const isPnp = name === platform.pnpInterface;
    lines.push(isPnp && dhcp ? " ip address dhcp" : " no ip address");
    if (platform.family === "ios") {
      if (!isPnp) lines.push(" shutdown");
      lines.push(" duplex auto", " speed auto");
    } else {
      lines.push(" negotiation auto");
    }
  }
  if (platform.kind === "switch") {
    lines.push("interface Vlan1", dhcp ? " ip address dhcp" : " no ip address");
  }
  return `${lines.join("\n")}\n`;
}

function mgmtVrfText(platform: Platform): string {
  if (!platform.mgmtPort) return "";
  return `vrf definition ${platform.mgmtPort.vrf}\n !\n address-family ipv4\n exit-address-family\n !\n address-family ipv6\n exit-address-family\n`;
}

function licenseLine(platform: Platform): string {
  if (platform.licenseModel !== "smart") return "";
  const addon = platform.defaultLicenseAddon ? ` addon ${platform.defaultLicenseAddon}` : "";
  return `license boot level ${platform.defaultLicenseLevel}${addon}\n`;
}

function factoryText(platform: Platform, units: readonly number[], pnp: PnpServerSpec | undefined): string {
  const cat = interfaceCatalog(platform, units);
  const ifaces = interfaceText(platform, cat, pnp);
  const pnpText = pnpBlockText(pnp);
  const host = `hostname ${platform.defaultHostname}\n`;
  switch (platform.family) {
    case "iosxe-switch":
      return [
        "service timestamps debug datetime msec\nservice timestamps log datetime msec\nservice call-home\n",
        "platform punt-keepalive disable-kernel-core\n",
        host,
        mgmtVrfText(platform),
        "no aaa new-model\n",
        platform.stackable
          ? units.map((u) => `switch ${u} provision ${platform.pid.toLowerCase()}\n`).join("")
          : "",
        "login on-success log\n",
        licenseLine(platform),
        "spanning-tree mode rapid-pvst\nspanning-tree extend system-id\n",
        "redundancy\n mode sso\n",
        ifaces,
        "ip forward-protocol nd\nip http server\nip http authentication local\nip http secure-server\n",
        "control-plane\n service-policy input system-cpp-policy\n",
        pnpText,
        "line con 0\n stopbits 1\nline vty 0 4\n login\nline vty 5 15\n login\n",
      ].join("");
    case "iosxe-router":
      return [
        "service timestamps debug datetime msec\nservice timestamps log datetime msec\n",
        "platform qfp utilization monitor load 80\nplatform punt-keepalive disable-kernel-core\n",
        host,
        "boot-start-marker\nboot-end-marker\n",
        mgmtVrfText(platform),
        "no aaa new-model\n",
        "login on-success log\n",
        "subscriber templating\n",
        "multilink bundle-name authenticated\n",
        platform.defaultLicenseLevel !== platform.licenseLevels[0]
          ? `license boot level ${platform.defaultLicenseLevel}\n`
          : "",
        "redundancy\n",
        ifaces,
        "ip forward-protocol nd\nip http server\nip http authentication local\nip http secure-server\n",
        "control-plane\n",
        pnpText,
        "line con 0\n stopbits 1\nline vty 0 4\n login\n",
      ].join("");
    case "ios":
      if (platform.kind === "switch") {
        return [
          "no service pad\nservice timestamps debug datetime msec\nservice timestamps log datetime msec\nno service password-encryption\n",
          host,
          "boot-start-marker\nboot-end-marker\n",
          "no aaa new-model\n",
          "system mtu routing 1500\n",
          "spanning-tree mode pvst\nspanning-tree extend system-id\n",
          "vlan internal allocation policy ascending\n",
          ifaces,
          "ip http server\nip http secure-server\n",
          pnpText,
          "line con 0\nline vty 0 4\n login\nline vty 5 15\n login\n",
        ].join("");
      }
      return [
        "service timestamps debug datetime msec\nservice timestamps log datetime msec\nno service password-encryption\n",
        host,
        "boot-start-marker\nboot-end-marker\n",
        "no aaa new-model\n",
        "ip cef\nno ipv6 cef\n",
        "multilink bundle-name authenticated\n",
        "redundancy\n",
        ifaces,
        "ip forward-protocol nd\nno ip http server\nno ip http secure-server\n",
        "control-plane\n",
        pnpText,
        "line con 0\nline aux 0\nline vty 0 4\n login\n transport input none\n",
        "scheduler allocate 20 1000\n",
      ].join("");
  }
}

function pnpKey(pnp: PnpServerSpec | undefined): string {
  return pnp ? `${pnp.protocol}://${pnp.address}:${pnp.port ?? ""}` : "-";
}

/**
 * The factory-default running configuration of a new box (no startup-config), shared by every device
 * of the same platform, unit set and PnP server. Hostname is the platform default.
 */
export function factoryConfig(platform: Platform, units: readonly number[], pnp?: PnpServerSpec): ConfigDoc {
  const key = `${platform.pid}|${units.join(",")}|${pnpKey(pnp)}`;
  let doc = factoryCache.get(key);
  if (!doc) {
    doc = Object.freeze(parseIndentedConfig(factoryText(platform, units, pnp)));
    factoryCache.set(key, doc);
  }
  return doc;
}
