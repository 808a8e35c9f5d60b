// The data of a device-info response (urn:cisco:pnp:device-info), shared by the codec (which builds and
// parses it) and the simulated device model (which produces it). Field names follow the wire element
// names so the mapping stays obvious. Everything a real agent may leave out is optional.

/** One `PID:<pid>,VID:<vid>,SN:<sn>` triple. PIDs contain `/` and `-`; VID may be empty. */
export interface Udi {
  pid: string;
  vid: string;
  sn: string;
}

export interface UdiInfo {
  /** `udi/primary-chassis`, the UDI string as sent. */
  primaryChassis: string;
  /** `udi/stacked-switch/member-udi[@slot]`, for stacks. */
  stackMembers?: { slot: number; udi: string }[];
  /** `udi/ha-device/standby-udi`, for high-availability pairs. */
  standbyUdis?: string[];
}

export interface ImageInfo {
  versionString: string;
  imageFile: string;
  imageHash: string;
  returnToRomReason: string;
  bootVariable: string;
  bootLdrVariable: string;
  configVariable: string;
  configReg: string;
  configRegNext: string;
}

export interface HardwareInfo {
  hostname?: string;
  vendor?: string;
  platformName?: string;
  processorType?: string;
  hwRevision?: string;
  /** Real agents send negative values here (a signed 32-bit overflow); kept as sent. */
  mainMemSize?: number;
  ioMemSize?: number;
  /** Real devices put the serial here, not an integer; may be absent. */
  boardId?: string;
  boardReworkId?: string;
  processorRev?: string;
  midplaneVersion?: string;
  location?: string;
  /** Sent empty by some agents; kept as sent. */
  deviceType?: string;
}

export interface FileSystemInfo {
  /** Real names go beyond the XSD enumeration: flash, flash0, bootflash, nvram, crashinfo, webui, cloudfs… */
  name: string;
  /** flash, disk, nvram… */
  type: string;
  /** Bytes; may exceed 32 bits on real devices. */
  size: number;
  freespace: number;
  readable: boolean;
  writable: boolean;
}

export interface ProfileServer {
  protocol: string;
  address: { kind: "ipv4" | "ipv6" | "host"; value: string };
  port?: number;
}

export interface ProfileInfo {
  profileName: string;
  discoveryCreated: boolean;
  createdBy: string;
  primaryServer: ProfileServer;
  backupServer?: ProfileServer;
}

export type DeviceInfoType = "all" | "image" | "hardware" | "filesystem" | "udi" | "profile";

/** The sections of a device-info response; which ones are present depends on the requested type. */
export interface DeviceInfoData {
  udi?: UdiInfo;
  imageInfo?: ImageInfo;
  hardwareInfo?: HardwareInfo;
  fileSystemList?: FileSystemInfo[];
  profileInfo?: ProfileInfo[];
}
