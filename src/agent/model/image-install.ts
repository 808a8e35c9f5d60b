// image-install service, following the Cisco agent's checksum rules:
// 1. a checksum equal to the running image's → nothing is done; reported as 1817 (non-fatal);
// 2. otherwise the image is copied (the glue supplies the fetched size and MD5), after checking the
//    destination file system has room (1825; 1830 for an HA standby);
// 3. the copy's checksum is compared with the requested one; on mismatch the copy is deleted (1816);
// 4. the BOOT variable is set to the new image. HA standbys and every stack member get the image too.
// A non-bundle image (packages.conf, .pkg, .tar) is refused with 1806; a missing source with 1803.

import { runConfig } from "./cli-config.js";
import { commitRun, configEnv } from "./config-ops.js";
import { PnpErrorCode, type PnpFailure, pnpFailure } from "./errors.js";
import { isBootableImageName } from "./images.js";
import { planReload, type ReloadPlan, type ReloadRequest } from "./reload.js";
import type { DeviceState, FileEntry } from "./state.js";
import {
  type FsRef,
  filesOf,
  freeBytes,
  fsKeyFor,
  mutableFiles,
  parsePath,
  resolveFs,
  unitsOf,
} from "./storage.js";
import { baseName, type FetchSource, resolveFetch } from "./transfer.js";

export interface ImageInstallRequest {
  /** `source/location` or `source/uri`. */
  source: string;
  /** MD5 hex; when given, both checksum rules apply. */
  checksum?: string;
  /** `destination` ("flash:", "bootflash:new.bin"); default: the platform's image file system. */
  destination?: string;
  /** `reload`; null/undefined means `noReload`. */
  reload?: ReloadRequest | null;
}

export interface ImageInstallResult {
  success: boolean;
  error?: PnpFailure;
  /** What the glue must do after answering: null = no reload. */
  reload: ReloadPlan | null;
  /** The installed file and every file system it was copied to. */
  installed?: { path: string; size: number; md5: string; copiedTo: string[] };
  /** BOOT variable after the install. */
  bootVariable?: readonly string[];
  /** True when the source was never fetched (1817, or a request refused before the copy). */
  fetchSkipped?: boolean;
}

function refuse(code: number, message: string, nonFatal = false, fetchSkipped = true): ImageInstallResult {
  const r: ImageInstallResult = {
    success: false,
    error: pnpFailure("image-install", code, message, nonFatal),
    reload: null,
  };
  if (fetchSkipped) r.fetchSkipped = true;
  return r;
}

/** True when `installImage` would stop at the 1817 rule without fetching: lets the glue skip the download. */
export function imageAlreadyRunning(state: DeviceState, checksum: string | undefined): boolean {
  return checksum !== undefined && checksum.trim().toLowerCase() === state.image.md5;
}

export function installImage(
  state: DeviceState,
  req: ImageInstallRequest,
  fetch: FetchSource,
): ImageInstallResult {
  const source = req.source.trim();
  if (source === "")
    return refuse(PnpErrorCode.IMAGE_SOURCE_NOT_PROVIDED, "Image source location not provided");
  const checksum = req.checksum?.trim().toLowerCase() || undefined;
  // Rule 1: same checksum as the running image → nothing to do.
  if (imageAlreadyRunning(state, checksum)) {
    return refuse(
      PnpErrorCode.IMAGE_ALREADY_RUNNING,
      `Image with checksum ${checksum} is already running (${state.imageFs}:${state.image.file}); no upgrade needed`,
      true,
    );
  }
  const srcFile = baseName(source);
  if (srcFile === "")
    return refuse(PnpErrorCode.IMAGE_UNPARSABLE_PATH, `Unable to parse image path ${source}`);

  let destFsName = state.platform.imageFs;
  let destFile = srcFile;
  if (req.destination !== undefined && req.destination.trim() !== "") {
    const d = parsePath(req.destination);
    if (!d)
      return refuse(PnpErrorCode.IMAGE_UNPARSABLE_PATH, `Unable to parse destination ${req.destination}`);
    destFsName = d.fs;
    if (d.file !== "") destFile = baseName(d.file);
  }
  if (!isBootableImageName(srcFile) || !isBootableImageName(destFile)) {
    return refuse(
      PnpErrorCode.IMAGE_INVALID_FORMAT,
      `Invalid image format: ${srcFile === destFile ? srcFile : `${srcFile} -> ${destFile}`} is not a bootable bundle image (.bin)`,
    );
  }
  const activeRef = resolveFs(state, destFsName);
  if (activeRef?.unit.role !== "active" || activeRef.spec.type === "nvram" || !activeRef.spec.writable) {
    return refuse(PnpErrorCode.IMAGE_INVALID_DEST_FS, `Invalid destination file system ${destFsName}:`);
  }

  const fetched = resolveFetch(fetch);
  if (!fetched.ok) {
    if (fetched.reason === "not-found") {
      return refuse(
        PnpErrorCode.IMAGE_SOURCE_NOT_FOUND,
        `%Error opening ${source} (No such file or directory)`,
        false,
        false,
      );
    }
    return refuse(
      PnpErrorCode.IMAGE_COPY_FAILED,
      `%Error copying ${source} (${fetched.message ?? fetched.reason})`,
      false,
      false,
    );
  }

  // Every unit gets a copy: the active first, then the HA standby or the other stack members.
  const targets: FsRef[] = [activeRef];
  for (const unit of unitsOf(state)) {
    if (unit.role === "active") continue;
    const ref = resolveFs(state, fsKeyFor(state, unit, activeRef.spec.name));
    if (ref) targets.push(ref);
  }
  for (const ref of targets) {
    const existing = filesOf(state, ref).get(destFile);
    const available = freeBytes(state, ref) + (existing?.size ?? 0);
    if (fetched.size > available) {
      const what = `${ref.key}: needs ${fetched.size} bytes, ${available} available`;
      if (ref.unit.role === "standby" && state.identity.variant === "ha") {
        return refuse(
          PnpErrorCode.IMAGE_COPY_TO_STANDBY_FAILED,
          `Copy to standby failed: not enough space on ${what}`,
          false,
          false,
        );
      }
      return refuse(PnpErrorCode.IMAGE_NO_SPACE, `Not enough space on ${what}`, false, false);
    }
  }

  const entry: FileEntry = Object.freeze({
    size: fetched.size,
    md5: fetched.md5.toLowerCase(),
    mtime: state.clock(),
  });
  for (const ref of targets) mutableFiles(state, ref).set(destFile, entry);

  // Rule 2: verify the copy against the requested checksum; a bad copy is removed.
  if (checksum !== undefined && entry.md5 !== checksum) {
    for (const ref of targets) mutableFiles(state, ref).delete(destFile);
    return refuse(
      PnpErrorCode.IMAGE_CHECKSUM_FAILED,
      `Image checksum verification failed for ${destFsName}:${destFile}: expected ${checksum}, computed ${entry.md5}; file deleted`,
      false,
      false,
    );
  }

  const path = `${activeRef.key}:${destFile}`;
  const run = runConfig(state.running, ["no boot system", `boot system ${path}`], configEnv(state, false));
  commitRun(state, run);
  state.bootVar = Object.freeze([path]);
  return {
    success: true,
    reload: planReload(req.reload, "PnP image install"),
    installed: { path, size: entry.size, md5: entry.md5, copiedTo: targets.map((t) => `${t.key}:`) },
    bootVariable: state.bootVar,
  };
}
