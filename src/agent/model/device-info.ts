// device-info service: the data sections for all/image/hardware/filesystem/udi/profile, with the quirks
// real agents show (negative mainMemSize, missing boardId, empty deviceType, lower-case vendor,
// file-system sizes beyond 32 bits, discovery profile "created-by" spelling).

import type {
  DeviceInfoData,
  DeviceInfoType,
  FileSystemInfo,
  HardwareInfo,
  ImageInfo,
  ProfileInfo,
  ProfileServer,
  UdiInfo,
} from "../../protocol/device-info-types.js";
import { PnpErrorCode, type PnpFailure, pnpFailure } from "./errors.js";
import {
  activeUnit,
  bootVariableString,
  hostname,
  type PnpProfileView,
  pnpProfiles,
  runningImagePath,
  udiString,
} from "./facts.js";
import { toInt32 } from "./format.js";
import type { DeviceState } from "./state.js";
import { fileSystemsOf, freeBytes, unitsOf } from "./storage.js";

export type DeviceInfoResult =
  | { success: true; data: DeviceInfoData }
  | { success: false; error: PnpFailure };

const TYPES: readonly DeviceInfoType[] = ["all", "image", "hardware", "filesystem", "udi", "profile"];

export function udiInfo(state: DeviceState): UdiInfo {
  const active = activeUnit(state);
  const info: UdiInfo = { primaryChassis: udiString(active) };
  const units = unitsOf(state);
  if (state.identity.variant === "stack") {
    info.stackMembers = units.map((u) => ({ slot: u.slot, udi: udiString(u) }));
  } else if (state.identity.variant === "ha") {
    info.standbyUdis = units.filter((u) => u.role === "standby").map((u) => udiString(u));
  }
  return info;
}

export function imageInfo(state: DeviceState): ImageInfo {
  const reg = state.platform.configRegister;
  return {
    versionString: state.image.version,
    imageFile: runningImagePath(state),
    imageHash: state.image.md5,
    returnToRomReason: state.lastReloadReason,
    bootVariable: bootVariableString(state),
    bootLdrVariable: "",
    configVariable: "",
    configReg: reg,
    configRegNext: reg,
  };
}

export function hardwareInfo(state: DeviceState): HardwareInfo {
  const p = state.platform;
  const q = state.identity.quirks;
  const hw: HardwareInfo = {
    hostname: hostname(state),
    vendor: q.lowercaseVendor ? "cisco" : "Cisco",
    platformName: state.identity.pid,
    processorType: p.processorType,
    hwRevision: p.hwRevision,
    mainMemSize: toInt32(p.mainMemBytes),
    ioMemSize: toInt32(p.ioMemBytes),
  };
  if (!q.omitBoardId) hw.boardId = activeUnit(state).serial;
  hw.boardReworkId = "";
  hw.processorRev = "";
  hw.midplaneVersion = "";
  hw.location = state.identity.location;
  if (q.emptyDeviceType) hw.deviceType = "";
  return hw;
}

export function fileSystemList(state: DeviceState): FileSystemInfo[] {
  return fileSystemsOf(state, true).map((ref) => ({
    name: ref.key,
    type: ref.spec.type,
    size: ref.spec.size,
    freespace: freeBytes(state, ref),
    readable: ref.spec.readable,
    writable: ref.spec.writable,
  }));
}

function server(t: NonNullable<PnpProfileView["primary"]>): ProfileServer {
  const s: ProfileServer = { protocol: t.protocol, address: { kind: t.kind, value: t.address } };
  if (t.port !== undefined) s.port = t.port;
  return s;
}

export function profileInfo(state: DeviceState): ProfileInfo[] {
  const out: ProfileInfo[] = [];
  for (const p of pnpProfiles(state)) {
    if (!p.primary) continue;
    const info: ProfileInfo = {
      profileName: p.name,
      discoveryCreated: p.discoveryCreated,
      createdBy: p.createdBy,
      primaryServer: server(p.primary),
    };
    if (p.backup) info.backupServer = server(p.backup);
    out.push(info);
  }
  return out;
}

/** The device-info response data for one request type. */
export function deviceInfo(state: DeviceState, type: string): DeviceInfoResult {
  if (!TYPES.includes(type as DeviceInfoType)) {
    return {
      success: false,
      error: pnpFailure(
        "device-info",
        PnpErrorCode.DEVICE_INFO_INVALID_REQUEST,
        `Invalid device-info request type "${type}"`,
      ),
    };
  }
  const t = type as DeviceInfoType;
  if ((t === "filesystem" || t === "all") && state.identity.quirks.filesystemInfoUnavailable) {
    return {
      success: false,
      error: pnpFailure(
        "device-info",
        PnpErrorCode.DEVICE_INFO_FILESYSTEM_RETRIEVE,
        "Failed to retrieve file system information",
      ),
    };
  }
  const data: DeviceInfoData = {};
  if (t === "all" || t === "udi") data.udi = udiInfo(state);
  if (t === "all" || t === "image") data.imageInfo = imageInfo(state);
  if (t === "all" || t === "hardware") data.hardwareInfo = hardwareInfo(state);
  if (t === "all" || t === "filesystem") data.fileSystemList = fileSystemList(state);
  if (t === "all" || t === "profile") data.profileInfo = profileInfo(state);
  return { success: true, data };
}
