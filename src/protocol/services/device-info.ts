// device-info (urn:cisco:pnp:device-info), §2.2. Request: `deviceInfo[@type]`, lower-case type. Response:
// data sections or errorInfo (1600–1618, XSVC_ERROR). Real agents do not fit the 2017 XSD: file-system
// names and types beyond the enumeration, sizes over 32 bits, negative mainMemSize, boardId absent or
// alphanumeric, empty deviceType, created-by "DHCP", and extra elements (thisProfileName, stackInfo,
// deviceModeInfo). So sections are read by name in any order, unknown elements are ignored, and values are
// kept as sent. We write sections in the order real agents use: udi, imageInfo, hardwareInfo,
// fileSystemList, profileInfo (the XSD's repeating sequence allows it).

import type { Element } from "ltx";
import {
  type BuildChild,
  booleanText,
  checkInteger,
  checkOneOf,
  element,
  leaf,
  requireNonEmpty,
} from "../build.js";
import type {
  DeviceInfoData,
  DeviceInfoType,
  FileSystemInfo,
  HardwareInfo,
  ImageInfo,
  ProfileInfo,
  ProfileServer,
  UdiInfo,
} from "../device-info-types.js";
import { invalidBuild } from "../errors.js";
import {
  attributeOf,
  booleanAttribute,
  enumValue,
  type NamespaceReader,
  parseBooleanValue,
  parseIntegerValue,
  pathOf,
  requireAttribute,
  textOf,
} from "../read.js";
import {
  buildErrorInfo,
  buildServerAddress,
  type ErrorInfo,
  parseErrorInfo,
  parseServerAddress,
  type ServiceCodec,
} from "./common.js";

export const DEVICE_INFO_TYPES: readonly DeviceInfoType[] = [
  "all",
  "image",
  "hardware",
  "filesystem",
  "udi",
  "profile",
];

export interface DeviceInfoRequest {
  type: DeviceInfoType;
}

export interface DeviceInfoResponse {
  deviceInfo: DeviceInfoData;
  errorInfo?: ErrorInfo;
}

const IMAGE_FIELDS = [
  "versionString",
  "imageFile",
  "imageHash",
  "returnToRomReason",
  "bootVariable",
  "bootLdrVariable",
  "configVariable",
  "configReg",
  "configRegNext",
] as const satisfies readonly (keyof ImageInfo)[];

/** XSD order of hardwareInfo children; every one is optional. */
const HARDWARE_FIELDS = [
  "hostname",
  "vendor",
  "platformName",
  "processorType",
  "hwRevision",
  "mainMemSize",
  "ioMemSize",
  "boardId",
  "boardReworkId",
  "processorRev",
  "midplaneVersion",
  "location",
  "deviceType",
] as const satisfies readonly (keyof HardwareInfo)[];

const HARDWARE_NUMBER_FIELDS: ReadonlySet<string> = new Set(["mainMemSize", "ioMemSize"]);

// --- build ------------------------------------------------------------------------------------------

function buildUdi(udi: UdiInfo): Element {
  return element(
    "udi",
    {},
    leaf("primary-chassis", requireNonEmpty(udi.primaryChassis, "udi.primaryChassis")),
    udi.stackMembers === undefined || udi.stackMembers.length === 0
      ? undefined
      : element(
          "stacked-switch",
          {},
          ...udi.stackMembers.map((member) =>
            element(
              "member-udi",
              { slot: checkInteger(member.slot, 0, Number.MAX_SAFE_INTEGER, "udi.stackMembers.slot") },
              member.udi,
            ),
          ),
        ),
    udi.standbyUdis === undefined || udi.standbyUdis.length === 0
      ? undefined
      : element("ha-device", {}, ...udi.standbyUdis.map((standby) => leaf("standby-udi", standby))),
  );
}

function buildImageInfo(image: ImageInfo): Element {
  return element("imageInfo", {}, ...IMAGE_FIELDS.map((field) => leaf(field, image[field])));
}

function buildHardwareInfo(hardware: HardwareInfo): Element {
  return element(
    "hardwareInfo",
    {},
    ...HARDWARE_FIELDS.map((field) => {
      const value = hardware[field];
      if (typeof value === "number" && !Number.isInteger(value)) {
        throw invalidBuild(`hardwareInfo.${field}`, "must be an integer");
      }
      return leaf(field, value);
    }),
  );
}

function buildFileSystem(fileSystem: FileSystemInfo): Element {
  for (const field of ["size", "freespace"] as const) {
    if (!Number.isSafeInteger(fileSystem[field])) {
      throw invalidBuild(`fileSystem.${field}`, "must be an integer number of bytes");
    }
  }
  return element("fileSystem", {
    name: requireNonEmpty(fileSystem.name, "fileSystem.name"),
    type: fileSystem.type,
    size: String(fileSystem.size),
    freespace: String(fileSystem.freespace),
    readable: booleanText(fileSystem.readable),
    writable: booleanText(fileSystem.writable),
  });
}

function buildProfileServer(name: string, server: ProfileServer): Element {
  return element(
    name,
    {},
    leaf("protocol", requireNonEmpty(server.protocol, `profile.${name}.protocol`)),
    buildServerAddress(server.address, server.port, `profile.${name}.address`),
  );
}

function buildProfileInfo(profiles: ProfileInfo[]): Element {
  if (profiles.length > 10) throw invalidBuild("profileInfo", "at most 10 profiles");
  return element(
    "profileInfo",
    {},
    ...profiles.map((profile) =>
      element(
        "profile",
        {
          "profile-name": requireNonEmpty(profile.profileName, "profile.profileName"),
          "discovery-created": booleanText(profile.discoveryCreated),
          "created-by": profile.createdBy,
        },
        buildProfileServer("primary-server", profile.primaryServer),
        profile.backupServer === undefined
          ? undefined
          : buildProfileServer("backup-server", profile.backupServer),
      ),
    ),
  );
}

// --- parse ------------------------------------------------------------------------------------------

function parseUdi(reader: NamespaceReader, udi: Element): UdiInfo {
  const result: UdiInfo = { primaryChassis: reader.requireText(udi, "primary-chassis").trim() };
  const stack = reader.child(udi, "stacked-switch");
  if (stack !== undefined) {
    result.stackMembers = reader.children(stack, "member-udi").map((member) => ({
      slot: parseIntegerValue(requireAttribute(member, "slot"), pathOf(member, "slot")),
      udi: textOf(member).trim(),
    }));
  }
  const ha = reader.child(udi, "ha-device");
  if (ha !== undefined) result.standbyUdis = reader.texts(ha, "standby-udi").map((value) => value.trim());
  return result;
}

function parseImageInfo(reader: NamespaceReader, image: Element): ImageInfo {
  // All nine are required by the XSD; a missing one reads as "" rather than rejecting the inventory.
  const result = {} as ImageInfo;
  for (const field of IMAGE_FIELDS) result[field] = reader.textOrEmpty(image, field);
  return result;
}

function parseHardwareInfo(reader: NamespaceReader, hardware: Element): HardwareInfo {
  const result: HardwareInfo = {};
  for (const field of HARDWARE_FIELDS) {
    if (HARDWARE_NUMBER_FIELDS.has(field)) {
      // mainMemSize is negative on large boxes (signed 32-bit overflow): kept as sent.
      const value = reader.integer(hardware, field);
      if (value !== undefined) (result as Record<string, unknown>)[field] = value;
    } else {
      const value = reader.text(hardware, field);
      if (value !== undefined) (result as Record<string, unknown>)[field] = value;
    }
  }
  return result;
}

function parseFileSystem(fileSystem: Element): FileSystemInfo {
  const number = (name: string): number =>
    parseIntegerValue(requireAttribute(fileSystem, name), pathOf(fileSystem, name));
  const flag = (name: string): boolean =>
    parseBooleanValue(requireAttribute(fileSystem, name), pathOf(fileSystem, name));
  return {
    name: requireAttribute(fileSystem, "name"),
    type: attributeOf(fileSystem, "type") ?? "",
    size: number("size"),
    freespace: number("freespace"),
    readable: flag("readable"),
    writable: flag("writable"),
  };
}

function parseProfileServer(reader: NamespaceReader, server: Element): ProfileServer {
  const { address, port } = parseServerAddress(reader, reader.requireChild(server, "server-address"));
  const result: ProfileServer = { protocol: reader.requireText(server, "protocol").trim(), address };
  if (port !== undefined) result.port = port;
  return result;
}

function parseProfile(reader: NamespaceReader, profile: Element): ProfileInfo {
  const result: ProfileInfo = {
    profileName: requireAttribute(profile, "profile-name"),
    discoveryCreated: booleanAttribute(profile, "discovery-created") ?? false,
    // "DHCP" from a CSR1000V, "PnP-DHCP" in the XSD: kept as sent.
    createdBy: attributeOf(profile, "created-by") ?? "",
    primaryServer: parseProfileServer(reader, reader.requireChild(profile, "primary-server")),
  };
  const backup = reader.child(profile, "backup-server");
  if (backup !== undefined) result.backupServer = parseProfileServer(reader, backup);
  return result;
}

export function parseDeviceInfoData(reader: NamespaceReader, response: Element): DeviceInfoData {
  const data: DeviceInfoData = {};
  const udi = reader.child(response, "udi");
  if (udi !== undefined) data.udi = parseUdi(reader, udi);
  const image = reader.child(response, "imageInfo");
  if (image !== undefined) data.imageInfo = parseImageInfo(reader, image);
  const hardware = reader.child(response, "hardwareInfo");
  if (hardware !== undefined) data.hardwareInfo = parseHardwareInfo(reader, hardware);
  const fileSystems = reader.child(response, "fileSystemList");
  if (fileSystems !== undefined) {
    data.fileSystemList = reader.children(fileSystems, "fileSystem").map(parseFileSystem);
  }
  const profiles = reader.child(response, "profileInfo");
  if (profiles !== undefined) {
    data.profileInfo = reader.children(profiles, "profile").map((profile) => parseProfile(reader, profile));
  }
  return data;
}

export function buildDeviceInfoData(data: DeviceInfoData): BuildChild[] {
  return [
    data.udi === undefined ? undefined : buildUdi(data.udi),
    data.imageInfo === undefined ? undefined : buildImageInfo(data.imageInfo),
    data.hardwareInfo === undefined ? undefined : buildHardwareInfo(data.hardwareInfo),
    data.fileSystemList === undefined
      ? undefined
      : element("fileSystemList", {}, ...data.fileSystemList.map(buildFileSystem)),
    data.profileInfo === undefined ? undefined : buildProfileInfo(data.profileInfo),
  ];
}

export const deviceInfoCodec: ServiceCodec<DeviceInfoRequest, DeviceInfoResponse> = {
  errorInfo: "with-severity",

  buildRequest(request: DeviceInfoRequest): BuildChild[] {
    // Lower case on the wire: the XSD value is `all` and field servers send type="all" (§2.2).
    return [element("deviceInfo", { type: checkOneOf(request.type, DEVICE_INFO_TYPES, "deviceInfo.type") })];
  },

  parseRequest(request: Element, reader: NamespaceReader): DeviceInfoRequest {
    const deviceInfo = reader.requireChild(request, "deviceInfo");
    // DNA Center is logged asking for "ALL"; accept any case.
    const type = requireAttribute(deviceInfo, "type").toLowerCase();
    return { type: enumValue(type, DEVICE_INFO_TYPES, pathOf(deviceInfo, "type")) };
  },

  buildResponse(response: DeviceInfoResponse): BuildChild[] {
    const sections = buildDeviceInfoData(response.deviceInfo).filter((section) => section !== undefined);
    if (response.errorInfo !== undefined && sections.length > 0) {
      // The XSD makes it a choice: data sections or errorInfo.
      throw invalidBuild("device-info response", "carries either data sections or errorInfo, not both");
    }
    return [...sections, buildErrorInfo(response.errorInfo, true)];
  },

  parseResponse(response: Element, reader: NamespaceReader): DeviceInfoResponse {
    const result: DeviceInfoResponse = { deviceInfo: parseDeviceInfoData(reader, response) };
    const errorInfo = parseErrorInfo(reader, response, true);
    if (errorInfo !== undefined) result.errorInfo = errorInfo;
    return result;
  },
};
