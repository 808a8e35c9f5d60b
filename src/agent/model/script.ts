// script service: records a script run (source, arguments, type) and returns result data. Scripts are
// not interpreted; the model only echoes what a script prints with Tcl `puts "…"` or Python
// `print("…")`, and treats `exit N` / `sys.exit(N)` with N ≠ 0 as a failed run. Python needs an IOS-XE
// box (guest shell); IOS 15 platforms refuse it.

import { PnpErrorCode, type PnpFailure, pnpFailure } from "./errors.js";
import { md5Hex } from "./format.js";
import type { DeviceState, ScriptRecord } from "./state.js";
import { mutableFiles, resolveFs } from "./storage.js";
import { baseName, type FetchSource, fetchErrorText, resolveFetch } from "./transfer.js";

export type ScriptSource =
  | { kind: "location" | "uri"; value: string; fetched: FetchSource }
  | { kind: "inline"; text: string };

export interface ScriptRequest {
  source: ScriptSource;
  /** `arguments` text. */
  args?: string;
  /** `@stype`, default "tcl". */
  stype?: "tcl" | "python";
  /** `@result_file`: written to the image file system when given. */
  resultFile?: string;
}

export interface ScriptResult {
  success: boolean;
  error?: PnpFailure;
  serviceLog: string;
  resultData: string;
  run?: ScriptRecord;
}

const HISTORY = 5;

function printed(text: string, stype: "tcl" | "python"): string[] {
  const re =
    stype === "tcl"
      ? /^\s*puts\s+(?:"((?:[^"\\]|\\.)*)"|(\S+))/
      : /^\s*print\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\)/;
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = re.exec(line);
    if (m) out.push(m[1] ?? m[2] ?? "");
  }
  return out;
}

function exitCode(text: string, stype: "tcl" | "python"): number {
  const re = stype === "tcl" ? /^\s*exit\s+(\d+)/m : /^\s*sys\.exit\(\s*(\d+)\s*\)/m;
  const m = re.exec(text);
  return m ? Number(m[1]) : 0;
}

function fail(code: number, message: string, serviceLog = ""): ScriptResult {
  return { success: false, error: pnpFailure("script", code, message), serviceLog, resultData: "" };
}

export function runScript(state: DeviceState, req: ScriptRequest): ScriptResult {
  const stype = req.stype ?? "tcl";
  if (stype === "python" && !state.platform.pythonCapable) {
    return fail(PnpErrorCode.SCRIPT_UNSUPPORTED, `Python scripts are not supported on ${state.platform.pid}`);
  }
  let text: string | undefined;
  let label: string;
  if (req.source.kind === "inline") {
    text = req.source.text;
    label = "inline";
    if (text.trim() === "") return fail(PnpErrorCode.SCRIPT_EMPTY, "Inline script is empty");
  } else {
    label = req.source.value;
    const name = baseName(label);
    const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
    if ((ext === "py" && stype === "tcl") || (ext === "tcl" && stype === "python")) {
      return fail(PnpErrorCode.SCRIPT_UNEXPECTED_FILE_TYPE, `${name} is not a ${stype} script`);
    }
    const r = resolveFetch(req.source.fetched);
    if (!r.ok) return fail(PnpErrorCode.SCRIPT_FILE_OPEN_FAILED, fetchErrorText(label, r));
    text = r.content;
    if (text !== undefined && text.trim() === "") return fail(PnpErrorCode.SCRIPT_EMPTY, `${name} is empty`);
  }
  const lines = text === undefined ? [] : printed(text, stype);
  const code = text === undefined ? 0 : exitCode(text, stype);
  const resultData = lines.join("\n");
  const record: ScriptRecord = {
    at: state.clock(),
    source: label,
    stype,
    ...(req.args !== undefined ? { args: req.args } : {}),
    success: code === 0,
    resultData,
  };
  state.scripts ??= [];
  state.scripts.push(record);
  if (state.scripts.length > HISTORY) state.scripts.splice(0, state.scripts.length - HISTORY);
  const serviceLog = `Running ${stype} script ${label}${req.args ? ` with arguments "${req.args}"` : ""}\n${resultData}${resultData ? "\n" : ""}`;
  if (code !== 0) {
    return {
      ...fail(PnpErrorCode.SCRIPT_EXEC_FAILED, `Script exited with status ${code}`, serviceLog),
      run: record,
    };
  }
  if (req.resultFile !== undefined && req.resultFile !== "") {
    const ref = resolveFs(state, state.platform.imageFs);
    if (ref) {
      mutableFiles(state, ref).set(baseName(req.resultFile), {
        size: Buffer.byteLength(resultData),
        md5: md5Hex(resultData),
        mtime: state.clock(),
      });
    }
  }
  return { success: true, serviceLog, resultData, run: record };
}
