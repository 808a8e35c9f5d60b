// Image identity: version strings read from Cisco image file names, and a process-wide intern table so
// every device running the same image points at one shared object.

import type { ImageSpec } from "./platforms.js";

const interned = new Map<string, ImageSpec>();

/**
 * The shared image object for this file/size/md5. The version comes from `version`, else from the file
 * name, else "unknown". The table only grows with distinct images (a handful per fleet).
 */
export function internImage(file: string, size: number, md5: string, version?: string): ImageSpec {
  const key = `${file}\u0000${size}\u0000${md5.toLowerCase()}`;
  let found = interned.get(key);
  if (found === undefined) {
    found = Object.freeze({
      file,
      size,
      md5: md5.toLowerCase(),
      version: version ?? versionFromFileName(file) ?? "unknown",
    });
    interned.set(key, found);
  }
  return found;
}

/**
 * Reads the version out of a Cisco image name:
 * - IOS-XE `cat9k_iosxe.17.09.04a.SPA.bin` → "17.9.4a"
 * - IOS `c2900-universalk9-mz.SPA.157-3.M8.bin` → "15.7(3)M8", `c1000-universalk9-mz.152-7.E9.bin` → "15.2(7)E9"
 */
export function versionFromFileName(file: string): string | undefined {
  const xe = /\.(\d{2})\.(\d{2})\.(\d{2})([a-z]?)\.(?:SPA|SSA)\.bin$/i.exec(file);
  if (xe) return `${Number(xe[1])}.${Number(xe[2])}.${Number(xe[3])}${xe[4] ?? ""}`;
  const classic = /-mz\.(?:SPA\.)?(\d)(\d)(\d)-(\d+)\.([A-Z]+\d*[a-z]?)\.bin$/i.exec(file);
  if (classic) return `${classic[1]}${classic[2]}.${classic[3]}(${classic[4]})${classic[5]}`;
  return undefined;
}

/** IOS-XE long form used in `show version` first line and the switch table: "17.9.4a" → "17.09.04a". */
export function longXeVersion(version: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)([a-z]?)$/.exec(version);
  if (!m) return version;
  return `${m[1]}.${m[2]!.padStart(2, "0")}.${m[3]!.padStart(2, "0")}${m[4]}`;
}

/** IOS-XE release train code name printed in brackets by `show version`. */
export function xeReleaseName(version: string): string | undefined {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major === 16) {
    if (minor <= 6) return "Everest";
    if (minor <= 9) return "Fuji";
    return "Gibraltar";
  }
  if (major === 17) {
    if (minor <= 3) return "Amsterdam";
    if (minor <= 6) return "Bengaluru";
    if (minor <= 9) return "Cupertino";
    if (minor <= 12) return "Dublin";
    return "IOSXE";
  }
  return undefined;
}

/** Bundle images the model can boot directly. `packages.conf` (install mode) is not one of them. */
export function isBootableImageName(file: string): boolean {
  return /\.bin$/i.test(file);
}
