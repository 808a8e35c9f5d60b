// File systems and files. Every unit (stack member, HA standby) has its own copy of the platform's
// disk file systems, named as IOS-XE does: "flash" (active), "flash-2" (stack member 2),
// "stby-bootflash" (HA standby). Factory file tables are shared per platform; a device gets its own
// table for a file system only when it writes to it.

import { type ConfigDoc, configVersion, renderConfig } from "./config-doc.js";
import { byteLength } from "./format.js";
import type { FileSystemSpec, Platform } from "./platforms.js";
import type { DeviceState, FileEntry, FileTable, Unit } from "./state.js";

/** mtime given to the files a new box ships with. */
export const FACTORY_TIME = Date.UTC(2024, 0, 15, 8, 30, 0);

const factoryTables = new Map<string, FileTable>();
const EMPTY: FileTable = new Map();

function factoryTable(platform: Platform, fsName: string): FileTable {
  if (fsName !== platform.imageFs) return EMPTY;
  let table = factoryTables.get(platform.pid);
  if (!table) {
    const m = new Map<string, FileEntry>();
    m.set(
      platform.image.file,
      Object.freeze({ size: platform.image.size, md5: platform.image.md5, mtime: FACTORY_TIME }),
    );
    for (const f of platform.extraFiles) {
      m.set(f.name, Object.freeze({ size: f.size, md5: "", mtime: FACTORY_TIME }));
    }
    table = m;
    factoryTables.set(platform.pid, table);
  }
  return table;
}

export function unitsOf(state: DeviceState): readonly Unit[] {
  const id = state.identity;
  return id.units ?? [{ slot: 1, role: "active", pid: id.pid, vid: id.vid, serial: id.serial }];
}

export interface FsRef {
  /** Key used in commands and the file map: "flash", "flash-2", "stby-bootflash". */
  readonly key: string;
  readonly spec: FileSystemSpec;
  readonly unit: Unit;
}

export function fsKeyFor(state: DeviceState, unit: Unit, fsName: string): string {
  if (unit.role === "active") return fsName;
  if (state.identity.variant === "ha") return `stby-${fsName}`;
  return `${fsName}-${unit.slot}`;
}

/** File systems of the device: the active unit's first, then the disk file systems of the other units. */
export function fileSystemsOf(state: DeviceState, activeOnly = false): FsRef[] {
  const out: FsRef[] = [];
  const units = unitsOf(state);
  const active = units.find((u) => u.role === "active") ?? units[0]!;
  for (const spec of state.platform.fileSystems) out.push({ key: spec.name, spec, unit: active });
  if (activeOnly) return out;
  for (const unit of units) {
    if (unit === active) continue;
    for (const spec of state.platform.fileSystems) {
      if (spec.type === "nvram" || spec.size === 0) continue;
      out.push({ key: fsKeyFor(state, unit, spec.name), spec, unit });
    }
  }
  return out;
}

/** Looks a file system up by key, with or without the trailing colon. */
export function resolveFs(state: DeviceState, name: string): FsRef | undefined {
  const bare = name.endsWith(":") ? name.slice(0, -1) : name;
  return fileSystemsOf(state).find((f) => f.key === bare);
}

/** Splits "flash:foo.bin", "flash:/foo.bin" or "bootflash:" into file system and file name. */
export function parsePath(text: string): { fs: string; file: string } | undefined {
  const m = /^([A-Za-z][\w-]*):\/?(.*)$/.exec(text.trim());
  if (!m) return undefined;
  return { fs: m[1]!, file: m[2]! };
}

export function filesOf(state: DeviceState, ref: FsRef): FileTable {
  return state.files?.get(ref.key) ?? factoryTable(state.platform, ref.spec.name);
}

/** The device's own, writable table for a file system (copied from the factory table on first write). */
export function mutableFiles(state: DeviceState, ref: FsRef): Map<string, FileEntry> {
  state.files ??= new Map();
  let table = state.files.get(ref.key);
  if (!table) {
    table = new Map(factoryTable(state.platform, ref.spec.name));
    state.files.set(ref.key, table);
  }
  return table;
}

const startupSize = new WeakMap<ConfigDoc, number>();

/** startup-config text as stored in NVRAM, or undefined when there is none. */
export function startupText(state: DeviceState): string | undefined {
  const s = state.startup;
  if (!s) return undefined;
  if (s.kind === "text") return s.text;
  return renderConfig(s.doc, { version: configVersion(state.image.version) });
}

export function startupBytes(state: DeviceState): number {
  const s = state.startup;
  if (!s) return 0;
  if (s.kind === "text") return byteLength(s.text);
  let n = startupSize.get(s.doc);
  if (n === undefined) {
    n = byteLength(startupText(state)!);
    startupSize.set(s.doc, n);
  }
  return n;
}

export function usedBytes(state: DeviceState, ref: FsRef): number {
  if (ref.spec.type === "nvram")
    return Math.min(ref.spec.size, startupBytes(state) + (state.startup ? 4096 : 0));
  let used = ref.spec.systemUsed;
  for (const f of filesOf(state, ref).values()) used += f.size;
  return Math.min(used, ref.spec.size);
}

export function freeBytes(state: DeviceState, ref: FsRef): number {
  return Math.max(0, ref.spec.size - usedBytes(state, ref));
}
