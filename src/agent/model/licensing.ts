// Licensing service (`urn:cisco:pnp:licensing`) and the licence view used by `show license`. Smart
// licensing platforms have a boot level (+ add-on); IOS 15 routers have technology packages; fixed
// platforms (C1000) have one level. A new boot level applies at the next reload.

import { PnpErrorCode, type PnpFailure, pnpFailure } from "./errors.js";
import { planReload, type ReloadPlan, type ReloadRequest } from "./reload.js";
import type { DeviceState, LicenseFile, LicenseState } from "./state.js";
import { baseName, type FetchSource, resolveFetch } from "./transfer.js";

export interface LicenseView {
  readonly level: string;
  readonly addon?: string;
  readonly nextLevel: string;
  readonly nextAddon?: string;
  readonly features: readonly string[];
  readonly files: readonly LicenseFile[];
}

const defaults = new WeakMap<object, LicenseView>();

export function licenseView(state: DeviceState): LicenseView {
  if (state.license) return state.license;
  let view = defaults.get(state.platform);
  if (!view) {
    const p = state.platform;
    const v: { -readonly [K in keyof LicenseView]: LicenseView[K] } = {
      level: p.defaultLicenseLevel,
      nextLevel: p.defaultLicenseLevel,
      features: [],
      files: [],
    };
    if (p.defaultLicenseAddon) {
      v.addon = p.defaultLicenseAddon;
      v.nextAddon = p.defaultLicenseAddon;
    }
    view = Object.freeze(v);
    defaults.set(state.platform, view);
  }
  return view;
}

export function mutableLicense(state: DeviceState): LicenseState {
  if (!state.license) {
    const v = licenseView(state);
    const s: LicenseState = {
      level: v.level,
      nextLevel: v.nextLevel,
      features: [...v.features],
      files: [...v.files],
    };
    if (v.addon !== undefined) s.addon = v.addon;
    if (v.nextAddon !== undefined) s.nextAddon = v.nextAddon;
    state.license = s;
  }
  return state.license;
}

export interface LicensingRequest {
  /** `EULA accept="yes"`. */
  eulaAccepted: boolean;
  copies?: { source: string; clear?: boolean; fetched: FetchSource }[];
  /** Boot level / technology package to use after the next reload. */
  level?: string;
  apply?: string[];
  delete?: string[];
  reload?: ReloadRequest | null;
}

/** `licensingInfo`: the XSD spells the second field "successfull" on the wire. */
export interface LicensingInfo {
  total: number;
  successful: number;
  failed: number;
  existing: number;
}

export type LicensingResult =
  | { success: true; info: LicensingInfo; reload: ReloadPlan | null }
  | { success: false; error: PnpFailure; info: LicensingInfo; reload: null };

/**
 * Runs a licensing request. `configureLevel` writes the boot-level command into the running
 * configuration (the device passes its own config engine).
 */
export function runLicensing(
  state: DeviceState,
  req: LicensingRequest,
  configureLevel: (line: string) => void,
): LicensingResult {
  const info: LicensingInfo = { total: 0, successful: 0, failed: 0, existing: 0 };
  const p = state.platform;
  if (!req.eulaAccepted) {
    return {
      success: false,
      error: pnpFailure(
        "licensing",
        PnpErrorCode.LICENSING_INTERNAL,
        "EULA must be accepted to install licenses",
      ),
      info,
      reload: null,
    };
  }
  const known = new Set([...p.licenseLevels, ...p.licenseAddons]);
  if (req.level !== undefined && !p.licenseLevels.includes(req.level)) {
    return {
      success: false,
      error: pnpFailure(
        "licensing",
        PnpErrorCode.LICENSING_UNSUPPORTED,
        `License level "${req.level}" is not supported on ${p.pid} (supported: ${p.licenseLevels.join(", ")})`,
      ),
      info,
      reload: null,
    };
  }
  const lic = mutableLicense(state);
  for (const copy of req.copies ?? []) {
    info.total++;
    const r = resolveFetch(copy.fetched);
    if (!r.ok) {
      info.failed++;
      continue;
    }
    if (lic.files.some((f) => f.md5 === r.md5)) {
      info.existing++;
      continue;
    }
    lic.files.push({ name: baseName(copy.source) || "license.lic", md5: r.md5, source: copy.source });
    info.successful++;
  }
  if (req.level !== undefined) {
    info.total++;
    if (lic.nextLevel === req.level) info.existing++;
    else {
      lic.nextLevel = req.level;
      info.successful++;
      if (p.licenseModel === "smart") {
        configureLevel(`license boot level ${req.level}${lic.nextAddon ? ` addon ${lic.nextAddon}` : ""}`);
      } else if (p.licenseModel === "classic") {
        configureLevel(`license boot module ${p.series.toLowerCase()} technology-package ${req.level}`);
      }
    }
  }
  for (const feature of req.apply ?? []) {
    info.total++;
    if (!known.has(feature)) info.failed++;
    else if (lic.features.includes(feature) || lic.level === feature || lic.addon === feature)
      info.existing++;
    else {
      lic.features.push(feature);
      info.successful++;
    }
  }
  for (const feature of req.delete ?? []) {
    info.total++;
    const at = lic.features.indexOf(feature);
    if (at < 0) info.failed++;
    else {
      lic.features.splice(at, 1);
      info.successful++;
    }
  }
  if (info.total > 0 && info.successful + info.existing === 0) {
    return {
      success: false,
      error: pnpFailure(
        "licensing",
        PnpErrorCode.LICENSING_INTERNAL,
        `No license operation succeeded (${info.failed} failed)`,
      ),
      info,
      reload: null,
    };
  }
  return { success: true, info, reload: planReload(req.reload, "PnP licensing") };
}

/** Updates the next boot level after a `license boot …` configuration line changed. */
export function noteLicenseLine(state: DeviceState, line: string | undefined): void {
  const p = state.platform;
  let level = p.defaultLicenseLevel;
  let addon: string | undefined = p.defaultLicenseAddon;
  if (line !== undefined) {
    const smart = /^license boot level (\S+)(?: addon (\S+))?$/.exec(line);
    const classic = /^license boot module \S+ technology-package (\S+)$/.exec(line);
    if (smart) {
      level = smart[1]!;
      addon = smart[2];
    } else if (classic) {
      level = classic[1]!;
      addon = undefined;
    }
  }
  const view = licenseView(state);
  if (view.nextLevel === level && view.nextAddon === addon) return;
  const lic = mutableLicense(state);
  lic.nextLevel = level;
  if (addon !== undefined) lic.nextAddon = addon;
  else delete lic.nextAddon;
}
