// The shared, immutable catalogue of simulated Cisco platforms. Every DeviceModel points at one of these
// objects; nothing here is ever copied per device. Sizes, memory and names are realistic but synthetic:
// image MD5s are derived from the file name and size (`syntheticImageMd5`), not taken from real images.

import { md5Hex } from "./format.js";
import { internImage } from "./images.js";

export type SoftwareFamily = "iosxe-switch" | "iosxe-router" | "ios";
export type DeviceKind = "switch" | "router";
export type LicenseModel = "smart" | "classic" | "fixed";

export interface ImageSpec {
  readonly file: string;
  /** Short version as in device-info `versionString`: "17.9.4a", "15.7(3)M8". */
  readonly version: string;
  readonly size: number;
  readonly md5: string;
}

export interface FileSystemSpec {
  /** Without the colon: "flash", "bootflash", "flash0", "nvram", "crashinfo", "webui", "cloudfs". */
  readonly name: string;
  readonly type: "disk" | "flash" | "nvram";
  readonly size: number;
  /** Bytes taken by things the model does not list as files (logs, directories, system data). */
  readonly systemUsed: number;
  readonly readable: boolean;
  readonly writable: boolean;
}

export interface PortRange {
  /** Full IOS interface type, e.g. "GigabitEthernet". */
  readonly type: string;
  /** Text between type and port number; `{u}` is the stack/chassis unit number. "" for CSR-style names. */
  readonly prefix: string;
  readonly from: number;
  readonly to: number;
}

export interface InventoryPart {
  /** `{u}` is replaced by the unit number. */
  readonly name: string;
  readonly descr: string;
  readonly pid: string;
}

export interface PlatformQuirks {
  /** device-info hardwareInfo has no boardId. */
  readonly omitBoardId: boolean;
  /** device-info sends `<deviceType/>` empty. */
  readonly emptyDeviceType: boolean;
  /** vendor sent in lower case ("cisco"). */
  readonly lowercaseVendor: boolean;
  /** `created-by` of a discovery profile: "PnP-DHCP" (schema) or "DHCP" (CSR1000V). */
  readonly discoveryCreatedBy: string;
  /** device-info filesystem fails with 1609, as some boxes do. */
  readonly filesystemInfoUnavailable: boolean;
}

export interface Platform {
  readonly pid: string;
  readonly description: string;
  readonly family: SoftwareFamily;
  readonly kind: DeviceKind;
  readonly series: string;
  readonly defaultHostname: string;
  readonly defaultVid: string;
  /** Two-letter serial prefix used when a serial has to be generated (FOC, FDO, FTX, 9…). */
  readonly serialPrefix: string;
  readonly image: ImageSpec;
  /** File system that holds images (first entry of `fileSystems`). */
  readonly imageFs: string;
  readonly fileSystems: readonly FileSystemSpec[];
  /** Files besides the image present on a new box, on `imageFs`. */
  readonly extraFiles: readonly { readonly name: string; readonly size: number }[];
  readonly mainMemBytes: number;
  readonly ioMemBytes: number;
  readonly physicalMemKb: number;
  readonly processorType: string;
  readonly hwRevision: string;
  readonly configRegister: string;
  readonly romVersion: string;
  /** Software train text around the version: "Catalyst L3 Switch Software (CAT9K_IOSXE)". */
  readonly train: string;
  readonly imageFeature: string;
  /** Physical ports of one unit (switch in a stack, chassis in an HA pair). */
  readonly ports: readonly PortRange[];
  /** Out-of-band management port and its VRF, once per device. */
  readonly mgmtPort?: { readonly name: string; readonly vrf: string };
  /** Interface that carries the PnP DHCP address on a new box. */
  readonly pnpInterface: string;
  readonly stackable: boolean;
  readonly maxStackMembers: number;
  readonly haCapable: boolean;
  readonly licenseModel: LicenseModel;
  readonly licenseLevels: readonly string[];
  readonly licenseAddons: readonly string[];
  readonly defaultLicenseLevel: string;
  readonly defaultLicenseAddon?: string;
  readonly pythonCapable: boolean;
  readonly cdpCapabilities: string;
  readonly inventoryParts: readonly InventoryPart[];
  readonly quirks: PlatformQuirks;
}

/** Stable synthetic MD5 for a simulated image: the same file name and size always give the same hash. */
export function syntheticImageMd5(file: string, size: number): string {
  return md5Hex(`pnp-sim-image:${file}:${size}`);
}

function image(file: string, version: string, size: number): ImageSpec {
  return internImage(file, size, syntheticImageMd5(file, size), version);
}

const NO_QUIRKS: PlatformQuirks = Object.freeze({
  omitBoardId: false,
  emptyDeviceType: false,
  lowercaseVendor: false,
  discoveryCreatedBy: "PnP-DHCP",
  filesystemInfoUnavailable: false,
});

function fs(name: string, type: FileSystemSpec["type"], size: number, systemUsed = 0, writable = true) {
  return Object.freeze({ name, type, size, systemUsed, readable: true, writable });
}

const CAT9K_IMAGE = image("cat9k_iosxe.17.09.04a.SPA.bin", "17.9.4a", 1_229_502_213);

const PLATFORM_LIST: Platform[] = [
  {
    pid: "C9300-24P",
    description: "Catalyst 9300 24-port PoE+",
    family: "iosxe-switch",
    kind: "switch",
    series: "C9300",
    defaultHostname: "Switch",
    defaultVid: "V02",
    serialPrefix: "FOC",
    image: CAT9K_IMAGE,
    imageFs: "flash",
    fileSystems: [
      fs("flash", "disk", 11_353_194_496, 612_368_384),
      fs("crashinfo", "disk", 1_651_314_688, 4_415_488),
      fs("nvram", "nvram", 2_097_152),
    ],
    extraFiles: [{ name: "vlan.dat", size: 3_436 }],
    mainMemBytes: 2_684_354_560,
    ioMemBytes: 6_294_528,
    physicalMemKb: 8_388_608,
    processorType: "X86",
    hwRevision: "V02",
    configRegister: "0x102",
    romVersion: "17.9.1r",
    train: "Catalyst L3 Switch Software (CAT9K_IOSXE)",
    imageFeature: "CAT9K_IOSXE",
    ports: [
      { type: "GigabitEthernet", prefix: "{u}/0/", from: 1, to: 24 },
      { type: "GigabitEthernet", prefix: "{u}/1/", from: 1, to: 4 },
      { type: "TenGigabitEthernet", prefix: "{u}/1/", from: 1, to: 8 },
      { type: "FortyGigabitEthernet", prefix: "{u}/1/", from: 1, to: 2 },
      { type: "TwentyFiveGigE", prefix: "{u}/1/", from: 1, to: 2 },
      { type: "AppGigabitEthernet", prefix: "{u}/0/", from: 1, to: 1 },
    ],
    mgmtPort: { name: "GigabitEthernet0/0", vrf: "Mgmt-vrf" },
    pnpInterface: "Vlan1",
    stackable: true,
    maxStackMembers: 8,
    haCapable: false,
    licenseModel: "smart",
    licenseLevels: ["network-essentials", "network-advantage"],
    licenseAddons: ["dna-essentials", "dna-advantage"],
    defaultLicenseLevel: "network-advantage",
    defaultLicenseAddon: "dna-advantage",
    pythonCapable: true,
    cdpCapabilities: "S I",
    inventoryParts: [
      { name: "Switch {u} - Power Supply A", descr: "Switch {u} - Power Supply A", pid: "PWR-C1-715WAC-P" },
      { name: "Switch {u} FRU Uplink Module 1", descr: "4x1G Uplink Module", pid: "C9300-NM-4G" },
    ],
    quirks: NO_QUIRKS,
  },
  {
    pid: "C9500-24Y4C",
    description: "Catalyst 9500 24x25G + 4x100G",
    family: "iosxe-switch",
    kind: "switch",
    series: "C9500",
    defaultHostname: "Switch",
    defaultVid: "V03",
    serialPrefix: "FDO",
    image: CAT9K_IMAGE,
    imageFs: "flash",
    fileSystems: [
      fs("flash", "disk", 11_250_098_176, 598_736_896),
      fs("crashinfo", "disk", 1_651_314_688, 2_097_152),
      fs("nvram", "nvram", 2_097_152),
    ],
    extraFiles: [],
    mainMemBytes: 3_221_225_472,
    ioMemBytes: 6_294_528,
    physicalMemKb: 16_777_216,
    processorType: "X86",
    hwRevision: "V03",
    configRegister: "0x102",
    romVersion: "17.9.1r",
    train: "Catalyst L3 Switch Software (CAT9K_IOSXE)",
    imageFeature: "CAT9K_IOSXE",
    ports: [
      { type: "TwentyFiveGigE", prefix: "{u}/0/", from: 1, to: 24 },
      { type: "HundredGigE", prefix: "{u}/0/", from: 25, to: 28 },
    ],
    mgmtPort: { name: "GigabitEthernet0/0", vrf: "Mgmt-vrf" },
    pnpInterface: "Vlan1",
    stackable: false,
    maxStackMembers: 1,
    haCapable: true,
    licenseModel: "smart",
    licenseLevels: ["network-essentials", "network-advantage"],
    licenseAddons: ["dna-essentials", "dna-advantage"],
    defaultLicenseLevel: "network-advantage",
    defaultLicenseAddon: "dna-advantage",
    pythonCapable: true,
    cdpCapabilities: "R S I",
    inventoryParts: [
      {
        name: "Power Supply Module 0",
        descr: "Cisco Catalyst 9500 1600W AC Power Supply",
        pid: "C9K-PWR-1600WAC-R",
      },
    ],
    quirks: NO_QUIRKS,
  },
  {
    pid: "ISR4451-X/K9",
    description: "Cisco ISR4451 Chassis",
    family: "iosxe-router",
    kind: "router",
    series: "ISR4400",
    defaultHostname: "Router",
    defaultVid: "V07",
    serialPrefix: "FOC",
    image: image("isr4400-universalk9.17.06.05.SPA.bin", "17.6.5", 737_245_192),
    imageFs: "bootflash",
    fileSystems: [fs("bootflash", "disk", 7_194_652_672, 948_396_032), fs("nvram", "nvram", 33_554_432)],
    extraFiles: [{ name: "tracelogs.tar.gz", size: 1_482_019 }],
    mainMemBytes: 1_839_082_496,
    ioMemBytes: 6_294_528,
    physicalMemKb: 4_194_304,
    processorType: "2RU",
    hwRevision: "V07",
    configRegister: "0x2102",
    romVersion: "16.12(2r)",
    train: "ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M)",
    imageFeature: "X86_64_LINUX_IOSD-UNIVERSALK9-M",
    ports: [{ type: "GigabitEthernet", prefix: "0/0/", from: 0, to: 3 }],
    mgmtPort: { name: "GigabitEthernet0", vrf: "Mgmt-intf" },
    pnpInterface: "GigabitEthernet0/0/0",
    stackable: false,
    maxStackMembers: 1,
    haCapable: false,
    licenseModel: "smart",
    licenseLevels: ["ipbase", "appxk9", "securityk9", "uck9"],
    licenseAddons: ["network-essentials", "network-advantage", "network-premier"],
    defaultLicenseLevel: "ipbase",
    pythonCapable: true,
    cdpCapabilities: "R B S I",
    inventoryParts: [
      {
        name: "Power Supply Module 0",
        descr: "450W AC Power Supply for Cisco ISR 4450",
        pid: "XXX-PWR-450W-AC",
      },
    ],
    quirks: NO_QUIRKS,
  },
  {
    pid: "CISCO2901/K9",
    description: "CISCO2901/K9 chassis",
    family: "ios",
    kind: "router",
    series: "C2900",
    defaultHostname: "Router",
    defaultVid: "V06",
    serialPrefix: "FTX",
    image: image("c2900-universalk9-mz.SPA.157-3.M8.bin", "15.7(3)M8", 110_120_316),
    imageFs: "flash0",
    fileSystems: [fs("flash0", "disk", 255_744_000, 1_646_592), fs("nvram", "nvram", 262_136)],
    extraFiles: [],
    mainMemBytes: 494_927_872,
    ioMemBytes: 41_943_040,
    physicalMemKb: 524_288,
    processorType: "C2901",
    hwRevision: "1.0",
    configRegister: "0x2102",
    romVersion: "15.0(1r)M16",
    train: "C2900 Software (C2900-UNIVERSALK9-M)",
    imageFeature: "C2900-UNIVERSALK9-M",
    ports: [{ type: "GigabitEthernet", prefix: "0/", from: 0, to: 1 }],
    pnpInterface: "GigabitEthernet0/0",
    stackable: false,
    maxStackMembers: 1,
    haCapable: false,
    licenseModel: "classic",
    licenseLevels: ["ipbasek9", "securityk9", "uck9", "datak9"],
    licenseAddons: [],
    defaultLicenseLevel: "ipbasek9",
    pythonCapable: false,
    cdpCapabilities: "R B S I",
    inventoryParts: [{ name: "C2901 AC Power Supply", descr: "C2901 AC Power Supply", pid: "PWR-2901-AC" }],
    quirks: NO_QUIRKS,
  },
  {
    pid: "CSR1000V",
    description: "Cisco CSR1000V Chassis",
    family: "iosxe-router",
    kind: "router",
    series: "CSR1000V",
    defaultHostname: "Router",
    defaultVid: "",
    serialPrefix: "9",
    image: image("csr1000v-universalk9.17.03.04a.SPA.bin", "17.3.4a", 452_349_516),
    imageFs: "bootflash",
    fileSystems: [
      fs("bootflash", "disk", 6_286_540_800, 1_163_419_648),
      fs("cloudfs", "disk", 1_048_576_000, 12_582_912),
      fs("webui", "disk", 0, 0, false),
      fs("nvram", "nvram", 33_554_432),
    ],
    extraFiles: [],
    mainMemBytes: 4_073_838_592,
    ioMemBytes: 3_148_800,
    physicalMemKb: 8_143_952,
    processorType: "VXE",
    hwRevision: "VXE",
    configRegister: "0x2102",
    romVersion: "IOS-XE ROMMON",
    train: "Virtual XE Software (X86_64_LINUX_IOSD-UNIVERSALK9-M)",
    imageFeature: "X86_64_LINUX_IOSD-UNIVERSALK9-M",
    ports: [{ type: "GigabitEthernet", prefix: "", from: 1, to: 3 }],
    pnpInterface: "GigabitEthernet1",
    stackable: false,
    maxStackMembers: 1,
    haCapable: false,
    licenseModel: "smart",
    licenseLevels: ["ax", "security", "appx", "ipbase"],
    licenseAddons: [],
    defaultLicenseLevel: "ax",
    pythonCapable: true,
    cdpCapabilities: "R I",
    inventoryParts: [],
    quirks: Object.freeze({
      omitBoardId: true,
      emptyDeviceType: true,
      lowercaseVendor: true,
      discoveryCreatedBy: "DHCP",
      filesystemInfoUnavailable: false,
    }),
  },
  {
    pid: "C1000-24P-4G-L",
    description: "C1000-24P-4G-L",
    family: "ios",
    kind: "switch",
    series: "C1000",
    defaultHostname: "Switch",
    defaultVid: "V01",
    serialPrefix: "FOC",
    image: image("c1000-universalk9-mz.152-7.E9.bin", "15.2(7)E9", 24_717_312),
    imageFs: "flash",
    fileSystems: [fs("flash", "flash", 128_122_880, 3_248_128), fs("nvram", "nvram", 524_288)],
    extraFiles: [
      { name: "vlan.dat", size: 616 },
      { name: "config.text.backup", size: 1_536 },
    ],
    mainMemBytes: 482_398_208,
    ioMemBytes: 12_578_816,
    physicalMemKb: 524_288,
    processorType: "ARMv7",
    hwRevision: "V01",
    configRegister: "0xF",
    romVersion: "1.2",
    train: "C1000 Software (C1000-UNIVERSALK9-M)",
    imageFeature: "C1000-UNIVERSALK9-M",
    ports: [{ type: "GigabitEthernet", prefix: "{u}/0/", from: 1, to: 28 }],
    pnpInterface: "Vlan1",
    stackable: false,
    maxStackMembers: 1,
    haCapable: false,
    licenseModel: "fixed",
    licenseLevels: ["lanbase"],
    licenseAddons: [],
    defaultLicenseLevel: "lanbase",
    pythonCapable: false,
    cdpCapabilities: "S I",
    inventoryParts: [],
    quirks: NO_QUIRKS,
  },
];

for (const p of PLATFORM_LIST) {
  Object.freeze(p.ports);
  Object.freeze(p.fileSystems);
  Object.freeze(p.extraFiles);
  Object.freeze(p.inventoryParts);
  Object.freeze(p);
}

const BY_PID = new Map<string, Platform>(PLATFORM_LIST.map((p) => [p.pid.toUpperCase(), p]));

/** The platform for a PID (case-insensitive), or undefined. */
export function getPlatform(pid: string): Platform | undefined {
  return BY_PID.get(pid.trim().toUpperCase());
}

export function listPlatforms(): readonly Platform[] {
  return PLATFORM_LIST;
}

/** The file system spec by name (with or without a trailing colon). */
export function platformFs(platform: Platform, name: string): FileSystemSpec | undefined {
  const bare = name.endsWith(":") ? name.slice(0, -1) : name;
  return platform.fileSystems.find((f) => f.name === bare);
}
