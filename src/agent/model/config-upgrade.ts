// config-upgrade service: a configuration file (fetched by the glue) copied to startup-config (kept as
// text, applied at the next boot) or merged into running-config, with MD5 checksum verification and
// abortOnSyntaxFault, and an optional reload plan.

import { configTranscript, runConfig } from "./cli-config.js";
import { factoryConfig } from "./config-doc.js";
import { commitRun, configEnv } from "./config-ops.js";
import { PnpErrorCode, type PnpFailure, pnpFailure } from "./errors.js";
import { byteLength, md5Hex } from "./format.js";
import { planReload, type ReloadPlan, type ReloadRequest } from "./reload.js";
import type { DeviceState } from "./state.js";
import { resolveFs } from "./storage.js";
import { type FetchSource, fetchErrorText, resolveFetch } from "./transfer.js";

export interface ConfigUpgradeRequest {
  /** `source/location` or `source/uri`, for logs and messages. */
  source: string;
  /** The fetched file; `content` is required. */
  fetched: FetchSource;
  /** MD5 hex of the file; compared with the MD5 of `content`. */
  checksum?: string;
  /** Default "startup" (a missing `applyTo` behaves as startup on real agents). */
  applyTo?: "startup" | "running" | "AP";
  abortOnSyntaxFault?: boolean;
  /** `reload`; null/undefined means `noReload`. */
  reload?: ReloadRequest | null;
}

export interface ConfigUpgradeResult {
  success: boolean;
  error?: PnpFailure;
  /** Raw console output (`serviceLog`). */
  serviceLog: string;
  /** What the glue must do after answering: null = no reload. */
  reload: ReloadPlan | null;
  appliedTo?: "startup" | "running";
  /** Per-line results when applied to running-config (or syntax-checked). */
  invalidLines?: { lineNumber: number; cliString: string; text: string }[];
}

function failure(code: number, message: string, serviceLog: string): ConfigUpgradeResult {
  return { success: false, error: pnpFailure("config-upgrade", code, message), serviceLog, reload: null };
}

export function configUpgrade(state: DeviceState, req: ConfigUpgradeRequest): ConfigUpgradeResult {
  const applyTo = req.applyTo ?? "startup";
  if (applyTo === "AP") {
    return failure(PnpErrorCode.CONFIG_UPGRADE_UNSUPPORTED, "applyTo AP is not supported on this device", "");
  }
  const dest = applyTo === "startup" ? "startup-config" : "running-config";
  const log: string[] = [`Destination filename [${dest}]? `, `Accessing ${req.source}...`];
  const fetched = resolveFetch(req.fetched);
  if (!fetched.ok) {
    const text = fetchErrorText(req.source, fetched);
    log.push(text);
    return failure(PnpErrorCode.CONFIG_COPY_FAILED, text, log.join("\n"));
  }
  const content = fetched.content;
  if (content === undefined || content.trim() === "") {
    log.push(`%Error: ${req.source} is empty or not a configuration file`);
    return failure(
      PnpErrorCode.CONFIG_INVALID_SOURCE_FILE,
      "Source configuration file is empty or unreadable",
      log.join("\n"),
    );
  }
  const bytes = byteLength(content);
  log.push(`Loading ${req.source} !`, `[OK - ${bytes}/${bytes} bytes]`);
  if (req.checksum !== undefined && req.checksum.trim() !== "") {
    const actual = md5Hex(content);
    if (actual !== req.checksum.trim().toLowerCase()) {
      log.push(
        `%Error verifying checksum: expected ${req.checksum.trim().toLowerCase()}, computed ${actual}`,
      );
      return failure(
        PnpErrorCode.CONFIG_HASH_FAILED,
        `Checksum mismatch for ${req.source}: expected ${req.checksum.trim()}, got ${actual}`,
        log.join("\n"),
      );
    }
  }
  const nvram = resolveFs(state, "nvram");
  if (applyTo === "startup" && nvram && bytes > nvram.spec.size) {
    log.push("%Error writing nvram:startup-config (No space left on device)");
    return failure(
      PnpErrorCode.CONFIG_STARTUP_COPY_FAILED,
      "startup-config does not fit in NVRAM",
      log.join("\n"),
    );
  }
  const lines = content.split(/\r?\n/);
  const base =
    applyTo === "running"
      ? state.running
      : factoryConfig(state.platform, state.units, state.identity.pnpServer);
  const check = runConfig(base, lines, configEnv(state, false), { test: true });
  const invalid = check.lines
    .filter((l) => l.outcome === "invalid" || l.outcome === "failure")
    .map((l) => ({ lineNumber: l.lineNumber, cliString: l.cliString, text: l.text ?? "" }));
  if (req.abortOnSyntaxFault && invalid.length > 0) {
    log.push(configTranscript(check.lines.filter((l) => l.outcome !== "success")));
    const first = invalid[0]!;
    const r = failure(
      PnpErrorCode.CONFIG_SYNTAX_ERROR,
      `Syntax error at line ${first.lineNumber} "${first.cliString.trim()}": ${first.text}`,
      log.join("\n"),
    );
    r.invalidLines = invalid;
    return r;
  }
  if (applyTo === "startup") {
    state.startup = { kind: "text", text: content };
    log.push(`${bytes} bytes copied`);
    const result: ConfigUpgradeResult = {
      success: true,
      serviceLog: log.join("\n"),
      reload: planReload(req.reload, "PnP config upgrade"),
      appliedTo: "startup",
    };
    if (invalid.length > 0) result.invalidLines = invalid;
    return result;
  }
  const run = runConfig(state.running, lines, configEnv(state, false), { actionOnFail: "continue" });
  commitRun(state, run);
  log.push(configTranscript(run.lines.filter((l) => l.outcome !== "success")), `${bytes} bytes copied`);
  if (invalid.length > 0) {
    const first = invalid[0]!;
    return {
      success: false,
      error: pnpFailure(
        "config-upgrade",
        PnpErrorCode.CONFIG_INVALID_INPUT,
        `Invalid input at line ${first.lineNumber} "${first.cliString.trim()}": ${first.text}`,
      ),
      serviceLog: log.join("\n"),
      reload: null,
      appliedTo: "running",
      invalidLines: invalid,
    };
  }
  return {
    success: true,
    serviceLog: log.join("\n"),
    reload: planReload(req.reload, "PnP config upgrade"),
    appliedTo: "running",
  };
}
