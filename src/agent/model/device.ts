// DeviceModel: the simulated IOS device behind a PnP agent. It owns one DeviceState and exposes the PnP
// service operations as plain methods returning plain results (with Cisco PnP error codes on failure).
// No networking, no XML, no timers: the glue fetches files, sends responses, waits for reload delays.

import type { DeviceInfoType } from "../../protocol/device-info-types.js";
import {
  advertises,
  type CdpNeighbor,
  type TopologyElement,
  topologyElements,
  visibleNeighbors,
} from "./cdp.js";
import { type ActionOnFail, runConfig } from "./cli-config.js";
import { type ExecOptions, type ExecResult, exec } from "./cli-exec.js";
import { type ConfigDoc, factoryConfig, type PnpServerSpec } from "./config-doc.js";
import { grammarsFor } from "./config-grammar.js";
import {
  applyConfig,
  type ConfigApplyResult,
  commitRun,
  configEnv,
  type PersistResult,
  persistConfig,
  testConfig,
} from "./config-ops.js";
import { type ConfigUpgradeRequest, type ConfigUpgradeResult, configUpgrade } from "./config-upgrade.js";
import { CorrelatorCache } from "./correlator-cache.js";
import { type DeviceInfoResult, deviceInfo } from "./device-info.js";
import {
  hostname,
  interfaceMac,
  managementAddress,
  runningImagePath,
  softwareLine,
  udiString,
} from "./facts.js";
import { fnv1a, parseMac } from "./format.js";
import {
  type ImageInstallRequest,
  type ImageInstallResult,
  imageAlreadyRunning,
  installImage,
} from "./image-install.js";
import { interfaceCatalog, resolveInterface } from "./interfaces.js";
import {
  type LicenseView,
  type LicensingRequest,
  type LicensingResult,
  licenseView,
  runLicensing,
} from "./licensing.js";
import { getPlatform, type Platform, type PlatformQuirks } from "./platforms.js";
import { type ReloadRequest, type ReloadResult, reloadDevice, validateReload } from "./reload.js";
import { runScript, type ScriptRequest, type ScriptResult } from "./script.js";
import { showRunningConfig, showStartupConfig } from "./show.js";
import type {
  CdpPeer,
  DeviceState,
  Identity,
  NeighborLink,
  ScriptRecord,
  TagOrigin,
  Unit,
  Variant,
} from "./state.js";
import { fileSystemsOf, filesOf, freeBytes, resolveFs, startupText, unitsOf } from "./storage.js";
import { listTags, removeTag, setTag, type TagEntry, type TagResult } from "./tags.js";
import type { FetchSource } from "./transfer.js";

export interface MemberSpec {
  slot?: number;
  serial?: string;
  pid?: string;
  vid?: string;
}

export interface DeviceProfile {
  /** Must be in the platform catalogue. */
  pid: string;
  serial: string;
  /** Default: the platform's usual VID ("" on CSR1000V). */
  vid?: string;
  /** Initial hostname; default the factory "Switch"/"Router". */
  hostname?: string;
  /** Base MAC ("00a3.d111.2200" or colon form); default derived from the serial. */
  mac?: string;
  /** hardwareInfo/location. */
  location?: string;
  variant?: Variant;
  /** HA standby chassis; serial derived when omitted. */
  standby?: { serial?: string; vid?: string };
  /** Stack members: a count (2..max) or explicit members; slot 1 is the active, slot 2 the standby. */
  members?: number | readonly MemberSpec[];
  /** Address the PnP interface got from DHCP (shown in show ip int brief, CDP). */
  mgmtIp?: string;
  /** PnP server found by discovery: adds `pnp profile pnp-zero-touch` and a DHCP address on the PnP interface. */
  pnpServer?: PnpServerSpec;
  /** "absent" (default, a new box) or "saved" (startup-config = initial running-config). */
  startupConfig?: "absent" | "saved";
  neighbors?: readonly NeighborLink[];
  /** Override the platform's device-info quirks. */
  quirks?: Partial<PlatformQuirks>;
  /** Time source (ms epoch); default Date.now. */
  clock?: () => number;
  /** Boot time (ms epoch); default clock() at creation. */
  bootTime?: number;
  /** Correlator LRU size; default 8. */
  correlatorCacheSize?: number;
}

export class DeviceProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeviceProfileError";
  }
}

const SERIAL_RE = /^[A-Za-z0-9]{1,20}$/;
const HOSTNAME_RE = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;
const defaultBootVars = new Map<string, readonly string[]>();

/** Stable serial for an extra unit when none is given: platform prefix + 8 characters from a hash. */
export function derivedSerial(platform: Platform, seed: string): string {
  const h = fnv1a(seed).toString(36).toUpperCase().padStart(8, "0");
  return `${platform.serialPrefix}${h}`.slice(0, 11);
}

function buildUnits(platform: Platform, profile: DeviceProfile, vid: string): Unit[] | undefined {
  const variant = profile.variant ?? "standalone";
  if (variant === "standalone") return undefined;
  if (variant === "ha") {
    if (!platform.haCapable)
      throw new DeviceProfileError(`${platform.pid} has no high-availability pair mode`);
    const sb = profile.standby ?? {};
    const serial = sb.serial ?? derivedSerial(platform, `${profile.serial}|standby`);
    if (!SERIAL_RE.test(serial)) throw new DeviceProfileError(`invalid standby serial "${serial}"`);
    return [
      { slot: 1, role: "active", pid: platform.pid, vid, serial: profile.serial },
      { slot: 2, role: "standby", pid: platform.pid, vid: sb.vid ?? vid, serial },
    ];
  }
  if (!platform.stackable) throw new DeviceProfileError(`${platform.pid} cannot be stacked`);
  const specs: MemberSpec[] =
    typeof profile.members === "number" || profile.members === undefined
      ? Array.from({ length: typeof profile.members === "number" ? profile.members : 2 }, () => ({}))
      : [...profile.members];
  if (specs.length < 2 || specs.length > platform.maxStackMembers) {
    throw new DeviceProfileError(`a ${platform.pid} stack needs 2..${platform.maxStackMembers} members`);
  }
  const slots = new Set<number>();
  return specs.map((m, i) => {
    const slot = m.slot ?? i + 1;
    if (!Number.isInteger(slot) || slot < 1 || slot > 16 || slots.has(slot)) {
      throw new DeviceProfileError(`invalid or duplicate stack slot ${slot}`);
    }
    slots.add(slot);
    const serial =
      i === 0 ? profile.serial : (m.serial ?? derivedSerial(platform, `${profile.serial}|${slot}`));
    if (!SERIAL_RE.test(serial))
      throw new DeviceProfileError(`invalid serial "${serial}" for stack member ${slot}`);
    const pid = m.pid ?? platform.pid;
    if (getPlatform(pid)?.series !== platform.series) {
      throw new DeviceProfileError(`stack member ${slot}: ${pid} cannot join a ${platform.series} stack`);
    }
    return {
      slot,
      role: i === 0 ? "active" : i === 1 ? "standby" : "member",
      pid,
      vid: m.vid ?? vid,
      serial,
    } satisfies Unit;
  });
}

function baseMac(profile: DeviceProfile): number {
  if (profile.mac !== undefined) {
    const m = parseMac(profile.mac);
    if (m === undefined) throw new DeviceProfileError(`invalid MAC address "${profile.mac}"`);
    return m;
  }
  return 0x00a3d1 * 0x1000000 + (fnv1a(profile.serial) & 0xffff) * 0x100;
}

export class DeviceModel implements CdpPeer {
  /** @internal The state; exposed for the model's own modules and white-box tests. */
  readonly state: DeviceState;

  constructor(profile: DeviceProfile) {
    const platform = getPlatform(profile.pid);
    if (!platform) throw new DeviceProfileError(`unknown PID "${profile.pid}"`);
    if (!SERIAL_RE.test(profile.serial)) throw new DeviceProfileError(`invalid serial "${profile.serial}"`);
    const vid = profile.vid ?? platform.defaultVid;
    const units = buildUnits(platform, profile, vid);
    const variant = profile.variant ?? "standalone";
    const unitNumbers =
      units && (variant === "stack" || platform.kind === "switch") ? units.map((u) => u.slot) : [1];
    const identity: {
      -readonly [K in keyof Identity]: Identity[K];
    } = {
      pid: platform.pid,
      vid,
      serial: profile.serial,
      mac: baseMac(profile),
      location: profile.location ?? "",
      variant,
      quirks: profile.quirks ? Object.freeze({ ...platform.quirks, ...profile.quirks }) : platform.quirks,
    };
    if (units) identity.units = Object.freeze(units);
    if (profile.mgmtIp !== undefined) identity.mgmtIp = profile.mgmtIp;
    if (profile.pnpServer !== undefined) identity.pnpServer = Object.freeze({ ...profile.pnpServer });
    const clock = profile.clock ?? Date.now;
    const cat = interfaceCatalog(platform, unitNumbers);
    const grammars = grammarsFor(platform.kind);
    let running: ConfigDoc = factoryConfig(platform, unitNumbers, identity.pnpServer);
    if (profile.hostname !== undefined && profile.hostname !== platform.defaultHostname) {
      if (!HOSTNAME_RE.test(profile.hostname))
        throw new DeviceProfileError(`invalid hostname "${profile.hostname}"`);
      running = runConfig(running, [`hostname ${profile.hostname}`], { platform, cat, grammars }).doc;
    }
    let bootVar = defaultBootVars.get(platform.pid);
    if (!bootVar) {
      bootVar = Object.freeze([`${platform.imageFs}:${platform.image.file}`]);
      defaultBootVars.set(platform.pid, bootVar);
    }
    this.state = {
      platform,
      identity: Object.freeze(identity),
      units: Object.freeze(unitNumbers),
      cat,
      grammars,
      clock,
      correlatorCapacity: profile.correlatorCacheSize ?? 8,
      running,
      startup: profile.startupConfig === "saved" ? { kind: "doc", doc: running } : null,
      image: platform.image,
      imageFs: platform.imageFs,
      bootVar,
      bootTime: profile.bootTime ?? clock(),
      reloadCount: 0,
      lastReloadReason: "power-on",
      online: true,
    };
    if (profile.neighbors && profile.neighbors.length > 0) this.state.neighbors = [...profile.neighbors];
  }

  // ---- identity -------------------------------------------------------------------------------

  get platform(): Platform {
    return this.state.platform;
  }

  get pid(): string {
    return this.state.identity.pid;
  }

  get serial(): string {
    return this.state.identity.serial;
  }

  get hostname(): string {
    return hostname(this.state);
  }

  /** `PID:…,VID:…,SN:…` of the active unit (the `udi` attribute of every message). */
  get udi(): string {
    return udiString(unitsOf(this.state).find((u) => u.role === "active")!);
  }

  get units(): readonly Unit[] {
    return unitsOf(this.state);
  }

  /** Whether the device is up (the glue clears it while a reload is simulated). Affects CDP and link state. */
  get online(): boolean {
    return this.state.online;
  }

  setOnline(online: boolean): void {
    this.state.online = online;
  }

  get uptimeMs(): number {
    return this.state.clock() - this.state.bootTime;
  }

  get reloadCount(): number {
    return this.state.reloadCount;
  }

  /** Running image: "flash:cat9k_iosxe.17.09.04a.SPA.bin", its version and MD5. */
  get runningImage(): { path: string; version: string; md5: string; size: number } {
    const i = this.state.image;
    return { path: runningImagePath(this.state), version: i.version, md5: i.md5, size: i.size };
  }

  get bootVariable(): readonly string[] {
    return this.state.bootVar;
  }

  // ---- device-info / cli-exec ------------------------------------------------------------------

  deviceInfo(type: DeviceInfoType | string): DeviceInfoResult {
    return deviceInfo(this.state, type);
  }

  exec(command: string, opts?: ExecOptions): ExecResult {
    return exec(this.state, command, opts);
  }

  // ---- cli-config ------------------------------------------------------------------------------

  applyConfig(
    lines: string | readonly string[],
    opts: { actionOnFail?: ActionOnFail } = {},
  ): ConfigApplyResult {
    return applyConfig(this.state, lines, opts);
  }

  configTest(lines: string | readonly string[]): ConfigApplyResult & { valid: boolean } {
    return testConfig(this.state, lines);
  }

  configPersist(): PersistResult {
    return persistConfig(this.state);
  }

  runningConfig(): string {
    return showRunningConfig(this.state);
  }

  /** startup-config text, or undefined when there is none. */
  startupConfig(): string | undefined {
    return startupText(this.state);
  }

  /** `show startup-config` output. */
  showStartupConfig(): string {
    return showStartupConfig(this.state);
  }

  // ---- config-upgrade / image-install / reload ------------------------------------------------------

  configUpgrade(req: ConfigUpgradeRequest): ConfigUpgradeResult {
    return configUpgrade(this.state, req);
  }

  installImage(req: ImageInstallRequest, fetch: FetchSource): ImageInstallResult {
    return installImage(this.state, req, fetch);
  }

  /** True when an image-install with this checksum would be answered 1817 without fetching anything. */
  imageAlreadyRunning(checksum: string | undefined): boolean {
    return imageAlreadyRunning(this.state, checksum);
  }

  /** Checks a reload service request (answer with the error before reloading). */
  validateReload(req: ReloadRequest = {}): ReturnType<typeof validateReload> {
    return validateReload(this.state, req);
  }

  /** Performs the reboot now (state change only). */
  reload(req: ReloadRequest = {}): ReloadResult {
    return reloadDevice(this.state, req);
  }

  // ---- licensing / script / tags ---------------------------------------------------------------------

  licensing(req: LicensingRequest): LicensingResult {
    return runLicensing(this.state, req, (line) => {
      commitRun(this.state, runConfig(this.state.running, [line], configEnv(this.state, false)));
    });
  }

  licenses(): LicenseView {
    return licenseView(this.state);
  }

  runScript(req: ScriptRequest): ScriptResult {
    return runScript(this.state, req);
  }

  scriptHistory(): readonly ScriptRecord[] {
    return this.state.scripts ?? [];
  }

  setTag(name: string, origin: TagOrigin = "server"): TagResult {
    return setTag(this.state, name, origin);
  }

  removeTag(name: string, origin: TagOrigin = "server"): TagResult {
    return removeTag(this.state, name, origin);
  }

  tags(): TagEntry[] {
    return listTags(this.state);
  }

  // ---- files -------------------------------------------------------------------------------------

  fileSystems(): { name: string; type: string; size: number; free: number; unit: number }[] {
    return fileSystemsOf(this.state).map((r) => ({
      name: `${r.key}:`,
      type: r.spec.type,
      size: r.spec.size,
      free: freeBytes(this.state, r),
      unit: r.unit.slot,
    }));
  }

  /** Files of one file system ("flash:", "flash-2:", "stby-bootflash:"), or undefined if it does not exist. */
  files(fs: string): { name: string; size: number; md5: string }[] | undefined {
    const ref = resolveFs(this.state, fs);
    if (!ref) return undefined;
    return [...filesOf(this.state, ref)].map(([name, f]) => ({ name, size: f.size, md5: f.md5 }));
  }

  // ---- topology / CDP ----------------------------------------------------------------------------

  /** Cables a local port to a peer's port (one direction; `connectDevices` does both). */
  connect(localInterface: string, peer: CdpPeer, remoteInterface: string): void {
    const r = resolveInterface(this.state.cat, localInterface);
    if (!r.ok || r.logical)
      throw new DeviceProfileError(`${this.pid} has no physical interface "${localInterface}"`);
    this.state.neighbors ??= [];
    this.state.neighbors.push({ localInterface: r.name, remoteInterface, peer });
  }

  /** Full name of one of this device's physical interfaces ("gi1/0/1" → "GigabitEthernet1/0/1"). */
  interfaceName(text: string): string | undefined {
    const r = resolveInterface(this.state.cat, text);
    return r.ok && !r.logical ? r.name : undefined;
  }

  cdpNeighbors(): CdpNeighbor[] {
    return visibleNeighbors(this.state);
  }

  /** The topology service response elements. */
  topology(): TopologyElement[] {
    return topologyElements(this.state);
  }

  cdpDeviceId(): string {
    return hostname(this.state);
  }

  cdpPlatform(): string {
    return this.state.identity.pid;
  }

  cdpCapabilities(): string {
    return this.state.platform.cdpCapabilities;
  }

  cdpVersionLine(): string {
    return softwareLine(this.state);
  }

  cdpVersion(): string {
    return this.state.image.version;
  }

  cdpAddress(): string | undefined {
    return managementAddress(this.state);
  }

  cdpInterfaceMac(ifname: string): string {
    return interfaceMac(this.state, ifname);
  }

  cdpAdvertises(ifname: string): boolean {
    return advertises(this.state, ifname);
  }

  // ---- idempotency -------------------------------------------------------------------------------

  /**
   * Runs a service operation at most once per correlator: a repeated correlator returns the first
   * result (`replayed: true`) and changes nothing. The cache is a small LRU and survives reloads.
   */
  once<R>(correlator: string, operation: () => R): { result: R; replayed: boolean } {
    this.state.correlators ??= new CorrelatorCache(this.state.correlatorCapacity);
    return this.state.correlators.run(correlator, operation);
  }
}

export function createDevice(profile: DeviceProfile): DeviceModel {
  return new DeviceModel(profile);
}

/** Cables two simulated devices together, both directions. */
export function connectDevices(a: DeviceModel, aInterface: string, b: DeviceModel, bInterface: string): void {
  const ai = a.interfaceName(aInterface);
  const bi = b.interfaceName(bInterface);
  if (!ai) throw new DeviceProfileError(`${a.pid} has no physical interface "${aInterface}"`);
  if (!bi) throw new DeviceProfileError(`${b.pid} has no physical interface "${bInterface}"`);
  a.connect(ai, b, bi);
  b.connect(bi, a, ai);
}
