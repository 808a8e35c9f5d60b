// cli-exec service: privileged EXEC commands with IOS abbreviation matching, `| include/exclude/begin/
// section/count` filters, and interactive prompts answered from the request's dialogue entries
// (expect → reply). An unanswered prompt aborts the command with error 1303.

import { renderCdpNeighbors } from "./cdp.js";
import { configVersion, renderConfig } from "./config-doc.js";
import { persistConfig } from "./config-ops.js";
import { INCOMPLETE, INVALID_INPUT, matchKeyword, tokenize } from "./config-parser.js";
import { PnpErrorCode, type PnpFailure, pnpFailure } from "./errors.js";
import { resolveInterface } from "./interfaces.js";
import {
  showBoot,
  showClock,
  showDir,
  showFileSystems,
  showInventory,
  showIpInterfaceBrief,
  showLicenseSummary,
  showPnpProfile,
  showRunningConfig,
  showStartupConfig,
  showSwitch,
  showVersion,
} from "./show.js";
import type { DeviceState } from "./state.js";
import { filesOf, mutableFiles, parsePath, resolveFs } from "./storage.js";

export interface DialogueEntry {
  expect: string;
  reply: string;
  /** Default "exact" (compared after trimming). */
  match?: "exact" | "leading" | "trailing" | "embedded";
  /** Default true. */
  caseSensitive?: boolean;
  /** How many prompts this entry may answer. Default 1. */
  repeat?: number;
}

export interface ExecOptions {
  dialogue?: readonly DialogueEntry[];
}

/** One `dialogueLog`: what was sent and what came back until the next prompt. */
export interface DialogueLogEntry {
  sent: string;
  received: string;
}

export interface ExecResult {
  success: boolean;
  /** Everything the command printed, prompts included. */
  output: string;
  log: DialogueLogEntry[];
  error?: PnpFailure;
  /** `reload` was confirmed: the glue should carry out the reload. */
  reloadRequested?: boolean;
}

class Session {
  readonly log: DialogueLogEntry[];
  private readonly uses: number[];
  unanswered?: string;
  reloadRequested = false;

  constructor(
    command: string,
    private readonly dialogue: readonly DialogueEntry[],
  ) {
    this.log = [{ sent: command, received: "" }];
    this.uses = dialogue.map(() => 0);
  }

  write(text: string): void {
    this.log[this.log.length - 1]!.received += text;
  }

  /** Shows a prompt; returns the reply, or undefined when no dialogue entry answers it. */
  ask(prompt: string): string | undefined {
    this.write(prompt);
    for (let i = 0; i < this.dialogue.length; i++) {
      const d = this.dialogue[i]!;
      if (this.uses[i]! >= (d.repeat ?? 1)) continue;
      if (!promptMatches(prompt, d)) continue;
      this.uses[i]!++;
      this.log.push({ sent: d.reply, received: "" });
      return d.reply;
    }
    this.unanswered = prompt;
    return undefined;
  }

  output(): string {
    return this.log.map((l) => l.received).join("");
  }
}

function promptMatches(prompt: string, d: DialogueEntry): boolean {
  const cs = d.caseSensitive !== false;
  const p = cs ? prompt.trim() : prompt.trim().toLowerCase();
  const e = cs ? d.expect.trim() : d.expect.trim().toLowerCase();
  switch (d.match ?? "exact") {
    case "leading":
      return p.startsWith(e);
    case "trailing":
      return p.endsWith(e);
    case "embedded":
      return p.includes(e);
    default:
      return p === e;
  }
}

type Handler = (
  state: DeviceState,
  s: Session,
  args: string[],
  argCol: number,
) => string | CommandError | undefined;

interface CommandError {
  error: "invalid" | "incomplete";
  col: number;
}

interface Entry {
  words: string[];
  /** Accepts arguments after the words. */
  args?: boolean;
  run: Handler;
}

const confirmed = (reply: string | undefined): boolean =>
  reply !== undefined && /^(|y|yes)$/i.test(reply.trim());

function dirCommand(state: DeviceState, target: string | undefined, col: number): string | CommandError {
  const ref = resolveFs(state, target ?? state.platform.imageFs);
  if (!ref) return { error: "invalid", col };
  return showDir(state, ref);
}

const ENTRIES: Entry[] = [
  { words: ["show", "version"], run: (st) => showVersion(st) },
  {
    words: ["show", "running-config"],
    args: true,
    run: (st, _s, args, col) => {
      if (args.length === 0) return showRunningConfig(st);
      const m = matchKeyword(args[0]!, ["interface", "all"]);
      if (!m || "ambiguous" in m) return { error: "invalid", col };
      if (m.word === "all") return showRunningConfig(st);
      const name = args.slice(1).join("");
      if (name === "") return { error: "incomplete", col };
      const r = resolveInterface(st.cat, name);
      if (!r.ok) return { error: "invalid", col };
      return showRunningConfig(st, r.name);
    },
  },
  { words: ["show", "startup-config"], run: (st) => showStartupConfig(st) },
  { words: ["show", "inventory"], run: (st) => showInventory(st) },
  {
    words: ["show", "cdp", "neighbors"],
    args: true,
    run: (st, _s, args, col) => {
      if (args.length === 0) return renderCdpNeighbors(st, false);
      const m = matchKeyword(args[0]!, ["detail"]);
      if (!m || "ambiguous" in m || args.length > 1) return { error: "invalid", col };
      return renderCdpNeighbors(st, true);
    },
  },
  { words: ["show", "pnp", "profile"], run: (st) => showPnpProfile(st) },
  { words: ["show", "license", "summary"], run: (st) => showLicenseSummary(st) },
  { words: ["show", "license"], run: (st) => showLicenseSummary(st) },
  { words: ["show", "file", "systems"], run: (st) => showFileSystems(st) },
  { words: ["show", "ip", "interface", "brief"], run: (st) => showIpInterfaceBrief(st) },
  { words: ["show", "clock"], run: (st) => showClock(st) },
  { words: ["show", "boot"], run: (st) => showBoot(st) },
  { words: ["show", "bootvar"], run: (st) => showBoot(st) },
  {
    words: ["show", "switch"],
    run: (st) => (st.platform.kind === "switch" ? showSwitch(st) : { error: "invalid", col: 5 }),
  },
  {
    // show flash: / show bootflash: / show flash0:
    words: ["show"],
    args: true,
    run: (st, _s, args, col) => {
      if (args.length !== 1 || !resolveFs(st, args[0]!)) return { error: "invalid", col };
      return dirCommand(st, args[0], col);
    },
  },
  {
    words: ["dir"],
    args: true,
    run: (st, _s, args, col) => (args.length > 1 ? { error: "invalid", col } : dirCommand(st, args[0], col)),
  },
  {
    words: ["write"],
    args: true,
    run: (st, _s, args, col) => {
      const m = args.length === 0 ? { word: "memory" } : matchKeyword(args[0]!, ["memory", "terminal"]);
      if (!m || "ambiguous" in m || args.length > 1) return { error: "invalid", col };
      if (m.word === "terminal") return showRunningConfig(st);
      return persistConfig(st).output;
    },
  },
  {
    words: ["copy", "running-config", "startup-config"],
    run: (st, s) => {
      const reply = s.ask("Destination filename [startup-config]? ");
      if (reply === undefined) return undefined;
      if (reply.trim() !== "" && reply.trim() !== "startup-config") {
        return `%Error opening nvram:/${reply.trim()} (Permission denied)\n`;
      }
      const r = persistConfig(st);
      return r.success ? `\n${r.output}` : `\n${r.output}\n`;
    },
  },
  {
    words: ["delete"],
    args: true,
    run: (st, s, args, col) => {
      let force = false;
      const rest = [...args];
      if (rest[0]?.toLowerCase() === "/force") {
        force = true;
        rest.shift();
      }
      if (rest.length !== 1) return { error: rest.length === 0 ? "incomplete" : "invalid", col };
      const path = parsePath(rest[0]!);
      const ref = path ? resolveFs(st, path.fs) : undefined;
      if (!path || !ref || path.file === "") return { error: "invalid", col };
      if (!force) {
        const name = s.ask(`Delete filename [${path.file}]? `);
        if (name === undefined) return undefined;
        if (name.trim() !== "" && name.trim() !== path.file) path.file = name.trim();
        const ok = s.ask(`Delete ${ref.key}:/${path.file}? [confirm]`);
        if (ok === undefined) return undefined;
        if (!confirmed(ok)) return "\n";
      }
      if (!filesOf(st, ref).has(path.file))
        return `%Error deleting ${ref.key}:/${path.file} (No such file or directory)\n`;
      mutableFiles(st, ref).delete(path.file);
      return "\n";
    },
  },
  {
    words: ["terminal", "length"],
    args: true,
    run: (_st, _s, args, col) =>
      args.length === 1 && /^\d+$/.test(args[0]!) ? "" : { error: "invalid", col },
  },
  {
    words: ["terminal", "width"],
    args: true,
    run: (_st, _s, args, col) =>
      args.length === 1 && /^\d+$/.test(args[0]!) ? "" : { error: "invalid", col },
  },
  {
    words: ["reload"],
    run: (st, s) => {
      const saved = st.startup?.kind === "doc" && st.startup.doc === st.running;
      if (!saved && st.lastConfigChange !== undefined) {
        const save = s.ask("System configuration has been modified. Save? [yes/no]: ");
        if (save === undefined) return undefined;
        if (/^y(es)?$/i.test(save.trim())) s.write(`\n${persistConfig(st).output}`);
      }
      const go = s.ask("Proceed with reload? [confirm]");
      if (go === undefined) return undefined;
      if (!confirmed(go)) return "\n";
      s.reloadRequested = true;
      return "\n";
    },
  },
];

type Match =
  | { entry: Entry; args: string[]; argCol: number }
  | { error: "invalid" | "ambiguous" | "incomplete"; col: number };

function matchEntry(command: string): Match {
  const tokens = tokenize(command);
  let cands = ENTRIES;
  let i = 0;
  while (i < tokens.length) {
    const tok = tokens[i]!;
    const withWord = cands.filter((e) => e.words.length > i);
    const words = [...new Set(withWord.map((e) => e.words[i]!))];
    const m = matchKeyword(tok.text, words);
    if (m && "word" in m) {
      cands = withWord.filter((e) => e.words[i] === m.word);
      i++;
      continue;
    }
    if (m) return { error: "ambiguous", col: tok.col };
    const done = cands.find((e) => e.words.length === i && e.args);
    if (done) return { entry: done, args: tokens.slice(i).map((t) => t.text), argCol: tok.col };
    return { error: "invalid", col: tok.col };
  }
  const exact = cands.find((e) => e.words.length === i);
  if (exact) return { entry: exact, args: [], argCol: command.length };
  return { error: "incomplete", col: command.length };
}

const FILTERS = ["include", "exclude", "begin", "section", "count"] as const;

function applyFilter(output: string, filter: string): string | undefined {
  const tokens = tokenize(filter);
  if (tokens.length === 0) return undefined;
  const m = matchKeyword(tokens[0]!.text, FILTERS);
  if (!m || "ambiguous" in m) return undefined;
  const pattern = filter.slice(tokens[1]?.col ?? filter.length).trim();
  if (pattern === "") return undefined;
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  }
  const lines = output.split("\n");
  switch (m.word) {
    case "include":
      return `${lines.filter((l) => re.test(l)).join("\n")}\n`;
    case "exclude":
      return `${lines.filter((l) => !re.test(l)).join("\n")}\n`;
    case "begin": {
      const at = lines.findIndex((l) => re.test(l));
      return at < 0 ? "" : `${lines.slice(at).join("\n")}`;
    }
    case "count":
      return `Number of lines which match regexp = ${lines.filter((l) => re.test(l)).length}\n`;
    default: {
      const out: string[] = [];
      let inSection = false;
      for (const l of lines) {
        if (!l.startsWith(" ")) inSection = re.test(l);
        else if (re.test(l) && !inSection) {
          out.push(l);
          continue;
        }
        if (inSection) out.push(l);
      }
      return `${out.join("\n")}\n`;
    }
  }
}

function execError(s: Session, code: number, message: string): ExecResult {
  return { success: false, output: s.output(), log: s.log, error: pnpFailure("cli-exec", code, message) };
}

/** Runs one EXEC command. Pure apart from the state the command itself changes (write memory, delete). */
export function exec(state: DeviceState, command: string, opts: ExecOptions = {}): ExecResult {
  const cmd = command.trim();
  const s = new Session(command, opts.dialogue ?? []);
  if (cmd === "") return { success: true, output: "", log: s.log };
  const bar = cmd.indexOf("|");
  const main = (bar >= 0 ? cmd.slice(0, bar) : cmd).trimEnd();
  const filter = bar >= 0 ? cmd.slice(bar + 1) : undefined;
  const m = matchEntry(main);
  const fail = (kind: "invalid" | "ambiguous" | "incomplete", col: number): ExecResult => {
    const msg =
      kind === "invalid"
        ? INVALID_INPUT
        : kind === "incomplete"
          ? INCOMPLETE
          : `% Ambiguous command:  "${main}"`;
    s.write(kind === "invalid" ? `${" ".repeat(col)}^\n${msg}\n` : `${msg}\n`);
    return execError(s, PnpErrorCode.CLI_EXEC_INVALID_CLI, msg);
  };
  if ("error" in m) return fail(m.error, m.col);
  const out = m.entry.run(state, s, m.args, m.argCol);
  if (out !== undefined && typeof out !== "string") return fail(out.error, out.col);
  if (s.unanswered !== undefined) {
    return execError(
      s,
      PnpErrorCode.CLI_EXEC_INVALID_DIALOGUE,
      `No dialogue reply for prompt "${s.unanswered.trim()}"`,
    );
  }
  if (out !== undefined) {
    if (filter !== undefined) {
      const filtered = applyFilter(out, filter);
      if (filtered === undefined) return fail("invalid", bar + 2);
      s.write(filtered);
    } else s.write(out);
  }
  const result: ExecResult = { success: true, output: s.output(), log: s.log };
  if (s.reloadRequested) result.reloadRequested = true;
  return result;
}

/** Running configuration text as `show running-config` prints it after the header (for tests and tools). */
export function runningConfigText(state: DeviceState): string {
  return renderConfig(state.running, { version: configVersion(state.image.version) });
}
