// Text renderers for the show commands the simulated CLI answers. Layouts follow IOS / IOS-XE output
// closely enough for parsers written against real boxes (column headers, key phrases), with the
// values taken from the model.

import { type ConfigDoc, configVersion, findBlockIndex, renderConfig } from "./config-doc.js";
import {
  activeUnit,
  bootVariableString,
  hostname,
  interfaceAddress,
  interfaceShutdown,
  pnpProfiles,
  runningImagePath,
  softwareLine,
  udiString,
  unitMac,
  xeVersionLine,
} from "./facts.js";
import {
  colonMac,
  dirDate,
  dottedMac,
  fnv1a,
  iosClock,
  iosTimestamp,
  iosUptime,
  padLeft,
  padRight,
} from "./format.js";
import { longXeVersion } from "./images.js";
import { splitInterface } from "./interfaces.js";
import { licenseView } from "./licensing.js";
import type { DeviceState } from "./state.js";
import {
  type FsRef,
  fileSystemsOf,
  filesOf,
  freeBytes,
  startupBytes,
  startupText,
  unitsOf,
} from "./storage.js";

function renderDoc(state: DeviceState, doc: ConfigDoc, withChange: boolean): string {
  const opts: Parameters<typeof renderConfig>[1] = { version: configVersion(state.image.version) };
  if (withChange && state.lastConfigChange !== undefined) {
    opts.lastChange = state.lastConfigChange;
    opts.formatTime = iosTimestamp;
  }
  return renderConfig(doc, opts);
}

export function showRunningConfig(state: DeviceState, iface?: string): string {
  if (iface !== undefined) {
    const idx = findBlockIndex(state.running, `interface ${iface}`);
    if (idx < 0) return "";
    const b = state.running[idx]!;
    const body = [`interface ${iface}`, ...(b.children ?? []).map((c) => ` ${c}`), "end", ""].join("\n");
    return `Building configuration...\n\nCurrent configuration : ${Buffer.byteLength(body)} bytes\n!\n${body}`;
  }
  const body = renderDoc(state, state.running, true);
  return `Building configuration...\n\nCurrent configuration : ${Buffer.byteLength(body)} bytes\n${body}`;
}

export function showStartupConfig(state: DeviceState): string {
  const text = startupText(state);
  if (text === undefined) return "startup-config is not present\n";
  const nvram = state.platform.fileSystems.find((f) => f.type === "nvram");
  return `Using ${startupBytes(state)} out of ${nvram?.size ?? 0} bytes\n${text}${text.endsWith("\n") ? "" : "\n"}`;
}

const TYPE_WORDS: Record<string, string> = {
  GigabitEthernet: "Gigabit Ethernet",
  TenGigabitEthernet: "Ten Gigabit Ethernet",
  FortyGigabitEthernet: "Forty Gigabit Ethernet",
  TwentyFiveGigE: "TwentyFive Gigabit Ethernet",
  HundredGigE: "Hundred Gigabit Ethernet",
  AppGigabitEthernet: "App Gigabit Ethernet",
};

function interfaceCounts(state: DeviceState): string[] {
  const counts = new Map<string, number>();
  for (const name of state.cat.physical) {
    const t = splitInterface(name)?.type ?? name;
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const lines: string[] = [];
  if (state.platform.kind === "switch") lines.push("1 Virtual Ethernet interface");
  for (const [t, n] of counts) lines.push(`${n} ${TYPE_WORDS[t] ?? t} interface${n === 1 ? "" : "s"}`);
  return lines;
}

function licenseSectionForVersion(state: DeviceState): string[] {
  const lic = licenseView(state);
  const p = state.platform;
  if (p.licenseModel === "smart") {
    const rows = [`${padRight(lic.level, 22)}${padRight("Smart License", 30)}${lic.nextLevel}`];
    if (lic.addon || lic.nextAddon) {
      rows.push(
        `${padRight(lic.addon ?? "None", 22)}${padRight("Subscription Smart License", 30)}${lic.nextAddon ?? "None"}`,
      );
    }
    return [
      "",
      "Technology Package License Information:",
      "",
      "-".repeat(78),
      `${padRight("Technology-package", 55)}Technology-package`,
      `${padRight("Current", 31)}${padRight("Type", 27)}Next reboot`,
      "-".repeat(78),
      ...rows,
      "",
      "Smart Licensing Status: Smart Licensing Using Policy",
    ];
  }
  if (p.licenseModel === "classic") {
    const rows = p.licenseLevels.map((pkg) => {
      const tech = pkg.replace(/k9$/, "");
      const current = pkg === lic.level || lic.features.includes(pkg) ? pkg : "None";
      const type =
        current === "None" ? "None" : pkg === p.defaultLicenseLevel ? "Permanent" : "EvalRightToUse";
      const next = pkg === lic.nextLevel || lic.features.includes(pkg) ? pkg : "None";
      return `${padRight(tech, 14)}${padRight(current, 14)}${padRight(type, 15)}${next}`;
    });
    return [
      "",
      "License Info:",
      "",
      `Technology Package License Information for Module:'${p.series.toLowerCase()}'`,
      "",
      "-".repeat(65),
      "Technology    Technology-package           Technology-package",
      "              Current       Type           Next reboot",
      "-".repeat(66),
      ...rows,
    ];
  }
  return [];
}

function uptimeText(state: DeviceState): string {
  return iosUptime(state.clock() - state.bootTime);
}

export function showVersion(state: DeviceState): string {
  const p = state.platform;
  const host = hostname(state);
  const active = activeUnit(state);
  const year = new Date(state.clock()).getUTCFullYear();
  const lines: string[] = [];
  if (p.family !== "ios") lines.push(xeVersionLine(state));
  lines.push(
    softwareLine(state),
    "Technical Support: http://www.cisco.com/techsupport",
    `Copyright (c) 1986-${year} by Cisco Systems, Inc.`,
    "Compiled by simulator",
    "",
  );
  if (p.family === "ios")
    lines.push(`ROM: System Bootstrap, Version ${p.romVersion}, RELEASE SOFTWARE (fc1)`);
  else if (p.kind === "switch") {
    lines.push(
      "ROM: IOS-XE ROMMON",
      `BOOTLDR: System Bootstrap, Version ${p.romVersion}, RELEASE SOFTWARE (P)`,
    );
  } else lines.push(`ROM: ${p.romVersion}`);
  lines.push("", `${host} uptime is ${uptimeText(state)}`);
  if (p.family !== "ios") lines.push(`Uptime for this control processor is ${uptimeText(state)}`);
  lines.push(
    `System returned to ROM by ${state.lastReloadReason}`,
    `System image file is "${runningImagePath(state)}"`,
    `Last reload reason: ${state.lastReloadReason}`,
    ...licenseSectionForVersion(state),
    "",
  );
  const memK = `${Math.floor(p.mainMemBytes / 1024)}K/${Math.floor(p.ioMemBytes / 1024)}K`;
  if (p.family === "ios" && p.kind === "router") {
    lines.push(`Cisco ${active.pid} (revision ${p.hwRevision}) with ${memK} bytes of memory.`);
  } else if (p.family === "ios") {
    lines.push(
      `cisco ${active.pid} (${p.processorType}) processor (revision ${active.vid}) with ${memK} bytes of memory.`,
    );
  } else {
    lines.push(`cisco ${active.pid} (${p.processorType}) processor with ${memK} bytes of memory.`);
  }
  lines.push(`Processor board ID ${active.serial}`);
  if (p.kind === "router" && p.family !== "ios") lines.push("Router operating mode: Autonomous");
  lines.push(...interfaceCounts(state));
  for (const fs of p.fileSystems) {
    const k = Math.floor(fs.size / 1024);
    if (fs.type === "nvram") lines.push(`${k}K bytes of non-volatile configuration memory.`);
  }
  lines.push(`${p.physicalMemKb}K bytes of physical memory.`);
  for (const fs of p.fileSystems) {
    if (fs.type === "nvram" || fs.size === 0) continue;
    const k = Math.floor(fs.size / 1024);
    lines.push(
      fs.name === "crashinfo"
        ? `${k}K bytes of Crash Files at crashinfo:.`
        : `${k}K bytes of flash memory at ${fs.name}:.`,
    );
  }
  if (p.kind === "switch") {
    const units = unitsOf(state);
    const sw = p.family === "ios" ? p.imageFeature : p.imageFeature;
    const ver = p.family === "ios" ? state.image.version : longXeVersion(state.image.version);
    lines.push(
      "",
      `Base Ethernet MAC Address          : ${colonMac(unitMac(state, active.slot))}`,
      `Model Number                       : ${active.pid}`,
      `System Serial Number               : ${active.serial}`,
      "",
      "",
      "Switch Ports Model              SW Version        SW Image              Mode   ",
      "------ ----- -----              ----------        ----------            ----   ",
      ...units.map(
        (u) =>
          `${u.role === "active" ? "*" : " "}${padLeft(String(u.slot), 5)} ${padRight(String(countPorts(state, u.slot)), 6)}${padRight(u.pid, 19)}${padRight(ver, 18)}${padRight(sw, 22)}BUNDLE `,
      ),
    );
    for (const u of units) {
      if (u.role === "active") continue;
      lines.push(
        "",
        `Switch ${String(u.slot).padStart(2, "0")}`,
        "---------",
        `Switch uptime                      : ${uptimeText(state)}`,
        `Base Ethernet MAC Address          : ${colonMac(unitMac(state, u.slot))}`,
        `Model Number                       : ${u.pid}`,
        `System Serial Number               : ${u.serial}`,
      );
    }
  }
  lines.push("", `Configuration register is ${p.configRegister}`, "");
  return lines.join("\n");
}

function countPorts(state: DeviceState, slot: number): number {
  const prefix = new RegExp(`^[A-Za-z-]+${slot}/`);
  return state.cat.physical.filter((n) => prefix.test(n)).length;
}

function derivedSerial(seed: string, prefix: string): string {
  const n = fnv1a(seed).toString(36).toUpperCase().padStart(7, "0").slice(-7);
  return `${prefix}${n}`.slice(0, 11);
}

export function showInventory(state: DeviceState): string {
  const p = state.platform;
  const units = unitsOf(state);
  const entry = (name: string, descr: string, pid: string, vid: string, sn: string) =>
    `NAME: "${name}", DESCR: "${descr}"\nPID: ${padRight(pid, 18)}, VID: ${padRight(vid, 4)} , SN: ${sn}\n`;
  const out: string[] = [];
  if (p.kind === "switch" && p.stackable) {
    out.push(
      entry(
        `${p.series.toLowerCase().replace(/\d\d$/, "xx")} Stack`,
        `${p.series.toLowerCase().replace(/\d\d$/, "xx")} Stack`,
        units[0]!.pid,
        units[0]!.vid,
        units[0]!.serial,
      ),
    );
  }
  for (const u of units) {
    const name =
      p.kind === "switch" ? `Switch ${u.slot}` : units.length > 1 ? `Chassis ${u.slot}` : "Chassis";
    out.push(entry(name, p.kind === "switch" ? u.pid : p.description, u.pid, u.vid, u.serial));
    for (const part of p.inventoryParts) {
      const pn = part.name.replaceAll("{u}", String(u.slot));
      out.push(
        entry(
          pn,
          part.descr.replaceAll("{u}", String(u.slot)),
          part.pid,
          "V01",
          derivedSerial(`${u.serial}|${pn}`, "DCB"),
        ),
      );
    }
  }
  return `${out.join("\n")}\n`;
}

export function showDir(state: DeviceState, ref: FsRef): string {
  const lines = [`Directory of ${ref.key}:/`, ""];
  if (ref.spec.type === "nvram") {
    const bytes = startupBytes(state);
    if (state.startup)
      lines.push(
        `${padLeft("2045", 6)}  -rw-  ${padLeft(String(bytes), 15)}                    <no date>  startup-config`,
      );
    lines.push(
      `${padLeft("2046", 6)}  ----  ${padLeft("2928", 15)}                    <no date>  private-config`,
    );
  } else {
    const files = [...filesOf(state, ref).entries()];
    if (files.length === 0) lines.push("No files in directory");
    files.forEach(([name, f], i) => {
      const inode = (fnv1a(`${ref.key}/${name}`) % 900_000) + 11 + i;
      lines.push(
        `${padLeft(String(inode), 8)}  -rw-  ${padLeft(String(f.size), 15)}  ${dirDate(f.mtime)}  ${name}`,
      );
    });
  }
  lines.push("", `${ref.spec.size} bytes total (${freeBytes(state, ref)} bytes free)`, "");
  return lines.join("\n");
}

export function showFileSystems(state: DeviceState): string {
  const lines = ["File Systems:", "", "       Size(b)       Free(b)      Type  Flags  Prefixes"];
  for (const ref of fileSystemsOf(state)) {
    const mark = ref.key === state.platform.imageFs ? "*" : " ";
    const flags = ref.spec.writable ? "rw" : "ro";
    lines.push(
      `${mark}${padLeft(String(ref.spec.size), 13)} ${padLeft(String(freeBytes(state, ref)), 13)} ${padLeft(ref.spec.type, 9)} ${padLeft(flags, 6)}   ${ref.key}:`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function linkUp(state: DeviceState, ifname: string): boolean {
  const kind = splitInterface(ifname)?.type;
  if (kind === "Vlan" || kind === "Loopback" || kind === "Tunnel") return true;
  if (ifname === state.platform.pnpInterface) return state.online;
  return (
    state.neighbors?.some(
      (n) => n.localInterface === ifname && n.peer.cdpAdvertises(n.remoteInterface) && state.online,
    ) ?? false
  );
}

export function showIpInterfaceBrief(state: DeviceState): string {
  const lines = ["Interface              IP-Address      OK? Method Status                Protocol"];
  for (const b of state.running) {
    if (!b.line.startsWith("interface ")) continue;
    const name = b.line.slice("interface ".length);
    const addr = interfaceAddress(state, name) ?? { address: "unassigned", method: "unset" as const };
    const shut = interfaceShutdown(state, name);
    const up = !shut && linkUp(state, name);
    const status = shut ? "administratively down" : up ? "up" : "down";
    const method = addr.method === "manual" ? "manual" : addr.method;
    lines.push(
      `${padRight(name, 23)}${padRight(addr.address, 16)}YES ${padRight(method, 7)}${padRight(status, 22)}${up ? "up" : "down"}    `,
    );
  }
  return `${lines.join("\n")}\n`;
}

export function showClock(state: DeviceState): string {
  return `*${iosClock(state.clock())}\n`;
}

export function showBoot(state: DeviceState): string {
  const boot = bootVariableString(state);
  const p = state.platform;
  if (p.kind === "switch" && p.family !== "ios") {
    return unitsOf(state)
      .map((u) =>
        [
          "---------------------------",
          `Switch ${u.slot}`,
          "---------------------------",
          "Current Boot Variables:",
          `BOOT variable = ${boot}`,
          "",
          "Boot Variables on next reload:",
          `BOOT variable = ${boot}`,
          "Manual Boot = no",
          "Enable Break = no",
          "Boot Mode = DEVICE",
          "iPXE Timeout = 0",
          "",
        ].join("\n"),
      )
      .join("");
  }
  if (p.kind === "switch") {
    return [
      `BOOT path-list      : ${state.bootVar.join(";")}`,
      "Config file         : flash:/config.text",
      "Private Config file : flash:/private-config.text",
      "Enable Break        : no",
      "Manual Boot         : no",
      "",
    ].join("\n");
  }
  return [
    `BOOT variable = ${boot}`,
    "CONFIG_FILE variable does not exist",
    "BOOTLDR variable does not exist",
    `Configuration register is ${p.configRegister}`,
    "",
  ].join("\n");
}

export function showPnpProfile(state: DeviceState): string {
  const profiles = pnpProfiles(state);
  if (profiles.length === 0) return "";
  const out = [`Created by UDI ${udiString(activeUnit(state))}`, ""];
  for (const pr of profiles) {
    const open = state.online ? 1 : 0;
    out.push(
      `Initiator Profile ${pr.name}: ${open} open connections: 0 closing connections`,
      "  Encap: pnp",
      "  Configured authorization level is 1",
      "  Max message (RX) is 50 Kbytes",
      "  Idle timeout infinite",
      "  Reconnect time 60 seconds",
    );
    if (pr.primary) {
      out.push(
        `  Primary transport: ${pr.primary.protocol} to ${pr.primary.kind} ${pr.primary.address}, port ${pr.primary.port ?? (pr.primary.protocol === "https" ? 443 : 80)}`,
      );
    }
    if (pr.backup) {
      out.push(
        `  Backup transport: ${pr.backup.protocol} to ${pr.backup.kind} ${pr.backup.address}, port ${pr.backup.port ?? 80}`,
      );
    }
    out.push(state.online ? "  Connected" : "  Not connected, next reconnect attempt in 60 seconds", "");
  }
  return out.join("\n");
}

export function showLicenseSummary(state: DeviceState): string {
  const lic = licenseView(state);
  const p = state.platform;
  if (p.licenseModel === "smart") {
    const rows = [lic.level, ...(lic.addon ? [lic.addon] : []), ...lic.features].map(
      (f) =>
        `  ${padRight(f, 24)}${padRight(`(${p.series}-${f.slice(0, 14)})`, 30)}${padLeft("1", 5)} IN USE`,
    );
    return [
      "License Usage:",
      "  License                 Entitlement Tag               Count Status",
      `  ${"-".repeat(77)}`,
      ...rows,
      "",
    ].join("\n");
  }
  const all = p.licenseLevels.map((pkg, i) => {
    const active = pkg === lic.level || lic.features.includes(pkg);
    const permanent = pkg === p.defaultLicenseLevel;
    return [
      `Index ${i + 1} Feature: ${pkg}`,
      `\tPeriod left: ${permanent ? "Life time" : active ? "8  weeks 4  days" : "Not Activated"}`,
      `\tLicense Type: ${permanent ? "Permanent" : active ? "EvalRightToUse" : "None"}`,
      `\tLicense State: ${active ? "Active, In Use" : "Active, Not in Use, EULA not accepted"}`,
      "\tLicense Count: Non-Counted",
      "\tLicense Priority: Medium",
    ].join("\n");
  });
  for (const f of lic.files) all.push(`License file: ${f.name} (installed)`);
  return `${all.join("\n")}\n`;
}

export function showSwitch(state: DeviceState): string {
  const base = dottedMac(unitMac(state, 1));
  const lines = [
    `Switch/Stack Mac Address : ${base} - Local Mac Address`,
    "Mac persistency wait time: Indefinite",
    "                                             H/W   Current",
    "Switch#   Role    Mac Address     Priority Version  State ",
    "-------------------------------------------------------------",
  ];
  for (const u of unitsOf(state)) {
    const role = u.role === "active" ? "Active" : u.role === "standby" ? "Standby" : "Member";
    lines.push(
      `${u.role === "active" ? "*" : " "}${padRight(String(u.slot), 9)}${padRight(role, 8)}${padRight(dottedMac(unitMac(state, u.slot)), 19)}${padRight(String(Math.max(1, 16 - u.slot)), 7)}${padRight(u.vid, 9)}Ready               `,
    );
  }
  return `${lines.join("\n")}\n`;
}
