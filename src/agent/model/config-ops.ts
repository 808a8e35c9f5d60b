// cli-config service on a device: configApply (with action-on-fail), configTest and configPersist, and
// the commit step that turns a configuration run into device state (boot variable, licence level, tags,
// last-change time).

import {
  type ActionOnFail,
  type ConfigEnv,
  type ConfigLineResult,
  type ConfigRunResult,
  configTranscript,
  runConfig,
} from "./cli-config.js";
import { exec } from "./cli-exec.js";
import { type ConfigDoc, configVersion, renderConfig } from "./config-doc.js";
import { PnpErrorCode, type PnpFailure, pnpFailure } from "./errors.js";
import { byteLength } from "./format.js";
import { noteLicenseLine } from "./licensing.js";
import type { DeviceState } from "./state.js";
import { resolveFs } from "./storage.js";
import { removeTag, setTag, tagRefusal } from "./tags.js";

export function configEnv(state: DeviceState, allowDo: boolean): ConfigEnv {
  const env: {
    platform: ConfigEnv["platform"];
    cat: ConfigEnv["cat"];
    grammars: ConfigEnv["grammars"];
    exec?: ConfigEnv["exec"];
    tagGuard: NonNullable<ConfigEnv["tagGuard"]>;
  } = {
    platform: state.platform,
    cat: state.cat,
    grammars: state.grammars,
    tagGuard: (tag, remove) => tagRefusal(state, tag, "device", remove),
  };
  if (allowDo) {
    env.exec = (command, current) => {
      // IOS applies each line at once: a `do` command sees the lines before it.
      const saved = state.running;
      state.running = current;
      try {
        const r = exec(state, command);
        return { ok: r.success, output: r.output };
      } finally {
        state.running = saved;
      }
    };
  }
  return env;
}

function bootLines(doc: ConfigDoc): string[] {
  return doc.filter((b) => b.line.startsWith("boot system ")).map((b) => b.line);
}

function licenseLine(doc: ConfigDoc): string | undefined {
  return doc.find((b) => b.line.startsWith("license boot "))?.line;
}

/** Makes a configuration run the device's running configuration and applies its side effects. */
export function commitRun(state: DeviceState, run: ConfigRunResult): void {
  const before = state.running;
  for (const e of run.effects) {
    if (e.remove) removeTag(state, e.tag, "device");
    else setTag(state, e.tag, "device");
  }
  if (run.doc === before) return;
  state.running = run.doc;
  state.lastConfigChange = state.clock();
  const oldBoot = bootLines(before);
  const newBoot = bootLines(run.doc);
  if (oldBoot.join("\n") !== newBoot.join("\n")) {
    state.bootVar = Object.freeze(newBoot.map((l) => l.split(/\s+/).pop()!));
  }
  const oldLic = licenseLine(before);
  const newLic = licenseLine(run.doc);
  if (oldLic !== newLic) noteLicenseLine(state, newLic);
}

export interface ConfigApplyOptions {
  actionOnFail?: ActionOnFail;
}

export interface ConfigApplyResult {
  /** `success` attribute: true for action-on-fail "continue" even when lines failed. */
  success: boolean;
  error?: PnpFailure;
  lines: ConfigLineResult[];
  /** Whether the running configuration changed. */
  changed: boolean;
  rolledBack: boolean;
  /** Terminal-style transcript, for a service log. */
  transcript: string;
}

function splitInput(lines: string | readonly string[]): readonly string[] {
  return typeof lines === "string" ? lines.split(/\r?\n/) : lines;
}

/** configApply: applies lines to the running configuration, one result per line. */
export function applyConfig(
  state: DeviceState,
  input: string | readonly string[],
  opts: ConfigApplyOptions = {},
): ConfigApplyResult {
  const action = opts.actionOnFail ?? "continue";
  const run = runConfig(state.running, splitInput(input), configEnv(state, true), { actionOnFail: action });
  commitRun(state, run);
  const result: ConfigApplyResult = {
    success: true,
    lines: run.lines,
    changed: run.changed,
    rolledBack: run.rolledBack,
    transcript: configTranscript(run.lines),
  };
  if (run.firstFailure !== undefined && action !== "continue") {
    const bad = run.lines[run.firstFailure]!;
    result.success = false;
    result.error = pnpFailure(
      "cli-config",
      PnpErrorCode.CLI_CONFIG_INTERNAL,
      `Line ${bad.lineNumber} "${bad.cliString.trim()}": ${bad.text ?? "failed"}${run.rolledBack ? " (configuration rolled back)" : ""}`,
    );
  }
  return result;
}

/** configTest: syntax check only. `valid` is false when any line is invalid; nothing changes. */
export function testConfig(
  state: DeviceState,
  input: string | readonly string[],
): ConfigApplyResult & { valid: boolean } {
  const run = runConfig(state.running, splitInput(input), configEnv(state, false), { test: true });
  return {
    success: true,
    valid: run.firstFailure === undefined,
    lines: run.lines,
    changed: false,
    rolledBack: false,
    transcript: configTranscript(run.lines),
  };
}

export type PersistResult =
  | { success: true; output: string; bytes: number }
  | { success: false; error: PnpFailure; output: string };

/** configPersist / `write memory`: startup-config becomes the running configuration. */
export function persistConfig(state: DeviceState): PersistResult {
  const nvram = resolveFs(state, "nvram");
  const size = byteLength(renderConfig(state.running, { version: configVersion(state.image.version) }));
  if (nvram && size > nvram.spec.size) {
    const output = "%Error writing nvram:startup-config (No space left on device)";
    return {
      success: false,
      error: pnpFailure("cli-config", PnpErrorCode.CLI_CONFIG_INTERNAL, output),
      output,
    };
  }
  state.startup = { kind: "doc", doc: state.running };
  return { success: true, output: "Building configuration...\n[OK]\n", bytes: size };
}
