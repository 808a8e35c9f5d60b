// The mutable per-device state behind a DeviceModel. Everything that can be shared (platform, factory
// configuration, default file tables, images) is held by reference; optional parts (changed file
// tables, licences, tags, scripts, neighbours, correlator cache) are allocated only when first used.

import type { ConfigDoc, PnpServerSpec } from "./config-doc.js";
import type { ModeGrammars } from "./config-grammar.js";
import type { CorrelatorCache } from "./correlator-cache.js";
import type { InterfaceCatalog } from "./interfaces.js";
import type { ImageSpec, Platform, PlatformQuirks } from "./platforms.js";

export type Variant = "standalone" | "ha" | "stack";
export type UnitRole = "active" | "standby" | "member";

/** One chassis: the only one of a standalone box, active/standby of an HA pair, or a stack member. */
export interface Unit {
  readonly slot: number;
  readonly role: UnitRole;
  readonly pid: string;
  readonly vid: string;
  readonly serial: string;
}

export interface Identity {
  readonly pid: string;
  readonly vid: string;
  readonly serial: string;
  /** Base MAC address as a 48-bit number. */
  readonly mac: number;
  readonly location: string;
  readonly variant: Variant;
  /** Present for "ha" and "stack" only; a standalone unit is derived on demand. */
  readonly units?: readonly Unit[];
  readonly mgmtIp?: string;
  readonly pnpServer?: PnpServerSpec;
  readonly quirks: PlatformQuirks;
}

export interface FileEntry {
  readonly size: number;
  readonly md5: string;
  /** ms epoch of the last write. */
  readonly mtime: number;
}

export type FileTable = ReadonlyMap<string, FileEntry>;

/** startup-config: a document (after `write memory`, often the running document itself) or raw copied text. */
export type StartupConfig =
  | { readonly kind: "doc"; readonly doc: ConfigDoc }
  | { readonly kind: "text"; readonly text: string };

export type TagOrigin = "server" | "device";

export interface LicenseFile {
  readonly name: string;
  readonly md5: string;
  readonly source: string;
}

export interface LicenseState {
  /** Technology package / boot level in effect now. */
  level: string;
  addon?: string;
  /** Level after the next reload. */
  nextLevel: string;
  nextAddon?: string;
  /** Extra features activated (classic technology packages, add-ons). */
  features: string[];
  files: LicenseFile[];
}

export interface ScriptRecord {
  readonly at: number;
  readonly source: string;
  readonly stype: "tcl" | "python";
  readonly args?: string;
  readonly success: boolean;
  readonly resultData: string;
}

/** What a neighbour exposes to CDP: either another DeviceModel or a static description. */
export interface CdpPeer {
  cdpDeviceId(): string;
  /** PID, e.g. "C9300-24P". */
  cdpPlatform(): string;
  /** Capability letters, e.g. "S I" or "R B S I". */
  cdpCapabilities(): string;
  /** First line of the peer's software version ("Cisco IOS Software, … Version 17.9.4a, …"). */
  cdpVersionLine(): string;
  /** Short version, e.g. "17.9.4a" (topology service). */
  cdpVersion(): string;
  cdpAddress(): string | undefined;
  /** Dotted MAC of one of its interfaces. */
  cdpInterfaceMac(ifname: string): string;
  /** True when the peer sends CDP out of this interface (up, CDP enabled, interface not shut down). */
  cdpAdvertises(ifname: string): boolean;
}

export interface NeighborLink {
  readonly localInterface: string;
  readonly remoteInterface: string;
  readonly peer: CdpPeer;
}

export interface DeviceState {
  readonly platform: Platform;
  readonly identity: Identity;
  readonly units: readonly number[];
  readonly cat: InterfaceCatalog;
  readonly grammars: ModeGrammars;
  readonly clock: () => number;
  readonly correlatorCapacity: number;
  running: ConfigDoc;
  startup: StartupConfig | null;
  /** Changed file tables by file-system key ("flash", "stby-flash", "flash-2"); absent = factory table. */
  files?: Map<string, Map<string, FileEntry>>;
  image: ImageSpec;
  /** File system the running image was booted from ("flash"). */
  imageFs: string;
  /** ROMMON BOOT variable entries ("flash:cat9k….bin"); survives reload. */
  bootVar: readonly string[];
  license?: LicenseState;
  tags?: Map<string, TagOrigin>;
  scripts?: ScriptRecord[];
  neighbors?: NeighborLink[];
  bootTime: number;
  reloadCount: number;
  lastReloadReason: string;
  lastConfigChange?: number;
  correlators?: CorrelatorCache;
  online: boolean;
}
