// Reload: what a reboot does to the device. running-config is rebuilt from startup-config on top of the
// factory defaults (or is the factory configuration when there is no startup-config), the image comes
// from the BOOT variable, uptime restarts and the reload counter goes up. The glue simulates the
// disconnect and the delay; this only changes state.

import { runConfig } from "./cli-config.js";
import { factoryConfig } from "./config-doc.js";
import { PnpErrorCode, type PnpFailure, pnpFailure } from "./errors.js";
import { internImage, isBootableImageName } from "./images.js";
import type { DeviceState } from "./state.js";
import { filesOf, parsePath, resolveFs, startupBytes } from "./storage.js";

/** The reload part of a request (reload service, or `reload` inside config-upgrade/image-install/licensing). */
export interface ReloadRequest {
  reason?: string;
  /** Seconds before reloading (`delayIn`). */
  delaySeconds?: number;
  user?: string;
  /** Save running-config to startup-config first. */
  saveConfig?: boolean;
  /** Erase startup-config first (reload service only). */
  eraseConfig?: boolean;
}

/** A reload the glue must carry out after the response: wait `delaySeconds`, drop the session, call `reload`. */
export interface ReloadPlan {
  delaySeconds: number;
  reason: string;
  saveConfig: boolean;
  eraseConfig: boolean;
}

export function planReload(req: ReloadRequest | null | undefined, defaultReason: string): ReloadPlan | null {
  if (!req) return null;
  return {
    delaySeconds: Math.max(0, Math.floor(req.delaySeconds ?? 0)),
    reason: req.reason ?? defaultReason,
    saveConfig: req.saveConfig === true,
    eraseConfig: req.eraseConfig === true,
  };
}

export type ReloadResult =
  | {
      success: true;
      bootedImage: string;
      reloadCount: number;
      configSource: "startup-config" | "factory-default";
    }
  | { success: false; error: PnpFailure };

/** Checks a reload service request before the response is sent; undefined when it can go ahead. */
export function validateReload(state: DeviceState, req: ReloadRequest): PnpFailure | undefined {
  if (req.saveConfig && req.eraseConfig) {
    return pnpFailure(
      "reload",
      PnpErrorCode.RELOAD_INTERNAL,
      "saveConfig and eraseConfig cannot both be set",
    );
  }
  if (req.delaySeconds !== undefined && (req.delaySeconds < 0 || req.delaySeconds > 2_147_483)) {
    return pnpFailure("reload", PnpErrorCode.RELOAD_INTERNAL, `delayIn out of range: ${req.delaySeconds}`);
  }
  if (!bootImage(state)) {
    return pnpFailure(
      "reload",
      PnpErrorCode.RELOAD_OPERATION_FAILED,
      "No bootable image found; reload aborted",
    );
  }
  return undefined;
}

/** The image a reload would boot: the first BOOT entry that exists, else the first .bin on the image file system. */
export function bootImage(
  state: DeviceState,
): { fs: string; file: string; size: number; md5: string } | undefined {
  for (const entry of state.bootVar) {
    const path = parsePath(entry);
    if (!path) continue;
    const ref = resolveFs(state, path.fs);
    if (!ref) continue;
    const f = filesOf(state, ref).get(path.file);
    if (f && isBootableImageName(path.file))
      return { fs: ref.key, file: path.file, size: f.size, md5: f.md5 };
  }
  const ref = resolveFs(state, state.platform.imageFs);
  if (!ref) return undefined;
  for (const [file, f] of filesOf(state, ref)) {
    if (isBootableImageName(file)) return { fs: ref.key, file, size: f.size, md5: f.md5 };
  }
  return undefined;
}

export function reloadDevice(state: DeviceState, req: ReloadRequest = {}): ReloadResult {
  const invalid = validateReload(state, req);
  if (invalid) return { success: false, error: invalid };
  if (req.saveConfig) {
    const nvram = resolveFs(state, "nvram");
    const previous = state.startup;
    state.startup = { kind: "doc", doc: state.running };
    if (nvram && startupBytes(state) > nvram.spec.size) {
      state.startup = previous;
      return {
        success: false,
        error: pnpFailure(
          "reload",
          PnpErrorCode.RELOAD_CONFIG_SAVE_FAILED,
          "%Error writing nvram:startup-config (No space left on device)",
        ),
      };
    }
  }
  if (req.eraseConfig) state.startup = null;
  const boot = bootImage(state)!;
  const id = state.identity;
  const factory = factoryConfig(state.platform, state.units, id.pnpServer);
  let configSource: "startup-config" | "factory-default" = "factory-default";
  if (state.startup?.kind === "doc") {
    state.running = state.startup.doc;
    configSource = "startup-config";
  } else if (state.startup?.kind === "text") {
    const replay = runConfig(factory, state.startup.text.split(/\r?\n/), {
      platform: state.platform,
      cat: state.cat,
      grammars: state.grammars,
    });
    state.running = replay.doc;
    configSource = "startup-config";
  } else {
    state.running = factory;
  }
  state.image = internImage(boot.file, boot.size, boot.md5);
  state.imageFs = boot.fs;
  state.bootTime = state.clock();
  state.reloadCount += 1;
  state.lastReloadReason = req.reason ?? "Reload Command";
  delete state.lastConfigChange;
  if (state.license) {
    state.license.level = state.license.nextLevel;
    if (state.license.nextAddon !== undefined) state.license.addon = state.license.nextAddon;
    else delete state.license.addon;
  }
  return {
    success: true,
    bootedImage: `${boot.fs}:${boot.file}`,
    reloadCount: state.reloadCount,
    configSource,
  };
}
