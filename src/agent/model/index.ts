// Public API of the simulated device model.

export { type CdpNeighbor, type StaticPeerSpec, staticPeer, type TopologyElement } from "./cdp.js";
export type { ActionOnFail, ConfigLineResult } from "./cli-config.js";
export type { DialogueEntry, DialogueLogEntry, ExecOptions, ExecResult } from "./cli-exec.js";
export type { PnpServerSpec } from "./config-doc.js";
export type { ConfigApplyResult, PersistResult } from "./config-ops.js";
export type { ConfigUpgradeRequest, ConfigUpgradeResult } from "./config-upgrade.js";
export { CorrelatorCache } from "./correlator-cache.js";
export {
  connectDevices,
  createDevice,
  DeviceModel,
  type DeviceProfile,
  DeviceProfileError,
  derivedSerial,
  type MemberSpec,
} from "./device.js";
export type { DeviceInfoResult } from "./device-info.js";
export {
  errorCodeString,
  PnpErrorCode,
  type PnpErrorCodeValue,
  type PnpFailure,
  type PnpService,
} from "./errors.js";
export { buildFleet, type FleetOptions, fleetFromTopology } from "./fleet.js";
export type { ImageInstallRequest, ImageInstallResult } from "./image-install.js";
export { versionFromFileName } from "./images.js";
export type { LicenseView, LicensingInfo, LicensingRequest, LicensingResult } from "./licensing.js";
export {
  type FileSystemSpec,
  getPlatform,
  type ImageSpec,
  listPlatforms,
  type Platform,
  type PlatformQuirks,
  syntheticImageMd5,
} from "./platforms.js";
export type { ReloadPlan, ReloadRequest, ReloadResult } from "./reload.js";
export type { ScriptRequest, ScriptResult, ScriptSource } from "./script.js";
export type { CdpPeer, NeighborLink, ScriptRecord, TagOrigin, Unit, Variant } from "./state.js";
export type { TagEntry, TagResult } from "./tags.js";
export {
  formatTopologyErrors,
  parseTopology,
  type Topology,
  type TopologyDevice,
  type TopologyError,
  type TopologyLink,
  type TopologyParseResult,
} from "./topology.js";
export type { FetchFailureReason, FetchResult, FetchSource } from "./transfer.js";
