// The configuration engine behind cli-config (configApply, configTest), config-upgrade and the replay
// of startup-config at boot. It walks lines through IOS configuration modes, falls back from a submode
// to global configuration the way IOS does, and edits a copy-on-write ConfigDoc.

import {
  type ConfigBlock,
  type ConfigDoc,
  findBlockIndex,
  freezeBlock,
  insertionIndex,
} from "./config-doc.js";
import { childRank, type ModeGrammars } from "./config-grammar.js";
import {
  caretText,
  INCOMPLETE,
  INVALID_INPUT,
  type KwNode,
  type ModeName,
  type Parsed,
  type ParseResult,
  parseCommand,
  tokenize,
} from "./config-parser.js";
import { type InterfaceCatalog, resolveInterface } from "./interfaces.js";
import type { Platform } from "./platforms.js";

export type ActionOnFail = "stop" | "continue" | "rollback";

export interface ConfigLineResult {
  /** 1-based, as in `resultEntry/@lineNumber`. */
  lineNumber: number;
  cliString: string;
  outcome: "success" | "failure" | "invalid" | "notExecuted";
  /** For successes: whether the running configuration changed. */
  change?: "CHANGE" | "NO_CHANGE";
  mode: "IMMEDIATE" | "TEST";
  /** For failures. */
  errorType?: "TEMPORARY" | "PERMANENT";
  /** IOS output or error text for this line. */
  text?: string;
  /** Column of the `^` marker in `cliString` for "% Invalid input detected". */
  caret?: number;
}

export type ConfigEffect = { kind: "tag"; tag: string; remove: boolean };

export interface ConfigEnv {
  readonly platform: Platform;
  readonly cat: InterfaceCatalog;
  readonly grammars: ModeGrammars;
  /** Runs `do <command>`; absent = `do` is refused. */
  readonly exec?: (command: string, current: ConfigDoc) => { ok: boolean; output: string };
  /** Returns an error text when the device may not set (or remove) this PnP tag. */
  readonly tagGuard?: (tag: string, remove: boolean) => string | undefined;
}

export interface ConfigRunOptions {
  /** configTest: check only; nothing changes and `do` is not run. */
  test?: boolean;
  actionOnFail?: ActionOnFail;
}

export interface ConfigRunResult {
  /** The resulting document: `start` itself when nothing changed, on test, or after a rollback. */
  doc: ConfigDoc;
  lines: ConfigLineResult[];
  effects: ConfigEffect[];
  changed: boolean;
  /** Index (0-based) of the first failed line, if any. */
  firstFailure?: number;
  rolledBack: boolean;
}

type Mode = { kind: "global" } | { kind: Exclude<ModeName, "global">; headers: string[] };

interface LineInfo {
  key: string;
  positive: string;
}

// Keys of lines already in a document, per grammar node. Lines are mostly shared strings, so this
// stays small; it is cleared when it grows past a bound so unique lines cannot make it grow forever.
const infoCache = new WeakMap<KwNode, Map<string, LineInfo | null>>();
const INFO_CACHE_LIMIT = 20_000;

function lineInfo(line: string, grammar: KwNode, cat: InterfaceCatalog): LineInfo | null {
  let cache = infoCache.get(grammar);
  if (!cache) {
    cache = new Map();
    infoCache.set(grammar, cache);
  }
  const hit = cache.get(line);
  if (hit !== undefined) return hit;
  const r = parseCommand(line, grammar, { cat });
  const info = r.ok ? { key: r.key, positive: r.positive } : null;
  if (cache.size >= INFO_CACHE_LIMIT) cache.clear();
  cache.set(line, info);
  return info;
}

interface LeafPlan {
  /** Indices to remove, ascending. */
  remove: number[];
  /** Where to insert `line`, as an index into the list after the removals. */
  insertAt?: number;
  line?: string;
}

/**
 * Works out what one leaf command does to a list (top-level blocks or child lines): which items it
 * removes and where its own line goes. `lineOf` returns undefined for items that are not simple
 * command lines (blocks with children). Returns undefined when nothing would change.
 */
function planLeaf<T>(
  items: readonly T[],
  p: Parsed,
  lineOf: (item: T) => string | undefined,
  info: (line: string) => LineInfo | null,
  insertAt: (list: readonly T[], removed: readonly number[], line: string) => number,
): LeafPlan | undefined {
  if (!p.negated && items.some((t) => lineOf(t) === p.canonical)) return undefined;
  const remove: number[] = [];
  // A positive multi-valued command without a stored "no" form ("ip route …") only adds its own line.
  const multiValued = !p.negated && p.cmd.key === "all" && p.cmd.negStored !== true;
  if (!multiValued) {
    items.forEach((item, i) => {
      const line = lineOf(item);
      if (line === undefined) return;
      const inf = info(line);
      if (!inf) return;
      if (
        inf.key === p.key ||
        (p.negated && (inf.positive === p.positive || inf.positive.startsWith(`${p.positive} `)))
      ) {
        remove.push(i);
      }
    });
  }
  const store = p.negated ? p.cmd.negStored === true : p.cmd.defaultOn !== true;
  if (!store) return remove.length > 0 ? { remove } : undefined;
  // Replace in place when something was removed, so the line keeps its position.
  const pos = remove.length > 0 ? remove[0]! : insertAt(items, remove, p.canonical);
  if (remove.length === 1 && lineOf(items[remove[0]!]!) === p.canonical) return undefined;
  return { remove, insertAt: pos, line: p.canonical };
}

/** Applies a plan to a mutable list. */
function applyPlan<T>(list: T[], plan: LeafPlan, make: (line: string) => T): void {
  for (let i = plan.remove.length - 1; i >= 0; i--) list.splice(plan.remove[i]!, 1);
  if (plan.line !== undefined && plan.insertAt !== undefined) {
    list.splice(Math.min(plan.insertAt, list.length), 0, make(plan.line));
  }
}

function headerOf(p: Parsed): string {
  if (p.path[0] === "line") return p.positive.replace(/^line console\b/, "line con");
  return p.positive;
}

const HOSTNAME_RE = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

/** Splits an `interface range` argument: "Gi1/0/1 - 4, Gi1/0/10-12, Vlan10". */
function expandRange(cat: InterfaceCatalog, text: string): string[] | undefined {
  const names: string[] = [];
  for (const segment of text.split(",")) {
    const m = /^\s*([A-Za-z][A-Za-z-]*)\s*((?:\d+\/)*)(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(segment);
    if (!m) return undefined;
    const first = Number(m[3]);
    const last = m[4] !== undefined ? Number(m[4]) : first;
    if (last < first || last - first > 512) return undefined;
    for (let n = first; n <= last; n++) {
      const r = resolveInterface(cat, `${m[1]}${m[2]}${n}`);
      if (!r.ok) return undefined;
      names.push(r.name);
    }
  }
  return names;
}

interface LineOutcome {
  outcome: ConfigLineResult["outcome"];
  changed: boolean;
  text?: string;
  caret?: number;
}

const ok = (changed: boolean, text?: string): LineOutcome =>
  text === undefined ? { outcome: "success", changed } : { outcome: "success", changed, text };
const fail = (text: string): LineOutcome => ({ outcome: "failure", changed: false, text });
const parseFail = (r: Exclude<ParseResult, Parsed>): LineOutcome => ({
  outcome: "invalid",
  changed: false,
  text: r.message,
  caret: r.col,
});

/** Runs configuration lines against a document. Pure: `start` is never modified. */
export function runConfig(
  start: ConfigDoc,
  input: readonly string[],
  env: ConfigEnv,
  opts: ConfigRunOptions = {},
): ConfigRunResult {
  const test = opts.test === true;
  const action: ActionOnFail = test ? "continue" : (opts.actionOnFail ?? "continue");
  const g = env.grammars;
  const cat = env.cat;
  let work: ConfigBlock[] | undefined;
  const doc = (): readonly ConfigBlock[] => work ?? start;
  const mutable = (): ConfigBlock[] => {
    work ??= [...start];
    return work;
  };
  let mode: Mode = { kind: "global" };
  let banner:
    | { type: string; delim: string; lines: string[]; headerIndex: number; header: string }
    | undefined;
  const effects: ConfigEffect[] = [];
  const results: ConfigLineResult[] = [];
  let firstFailure: number | undefined;

  const info = (grammar: KwNode) => (line: string) => lineInfo(line, grammar, cat);

  const setTopLevel = (p: Parsed): boolean => {
    const plan = planLeaf<ConfigBlock>(
      doc(),
      p,
      (b) => (b.children ? undefined : b.line),
      info(g.global),
      (list, _removed, line) => insertionIndex(list, line, cat),
    );
    if (!plan) return false;
    applyPlan(mutable(), plan, (line) => freezeBlock(line));
    return true;
  };

  const ensureBlock = (header: string): boolean => {
    if (findBlockIndex(doc(), header) >= 0) return false;
    const blocks = mutable();
    blocks.splice(insertionIndex(blocks, header, cat), 0, freezeBlock(header));
    return true;
  };

  const removeBlocks = (match: (line: string) => boolean): boolean => {
    if (!doc().some((b) => match(b.line))) return false;
    work = doc().filter((b) => !match(b.line));
    return true;
  };

  const editChildren = (
    header: string,
    edit: (children: readonly string[]) => string[] | undefined,
  ): boolean => {
    const idx = findBlockIndex(doc(), header);
    if (idx < 0) return false;
    const block = doc()[idx]!;
    const next = edit(block.children ?? []);
    if (!next) return false;
    mutable()[idx] = freezeBlock(block.line, next, block.raw);
    return true;
  };

  const applyGlobal = (p: Parsed): LineOutcome => {
    const cmd = p.cmd;
    if (cmd.special === "version") return ok(false);
    if (cmd.special === "banner") {
      const type = p.args[0]!;
      if (p.negated) {
        mode = { kind: "global" };
        return ok(removeBlocks((l) => l.startsWith(`banner ${type} `) || l === `banner ${type}`));
      }
      const rest = p.args[1] ?? "";
      if (rest === "") return { outcome: "invalid", changed: false, text: INCOMPLETE };
      const delim = rest.startsWith("^C") ? "^C" : rest[0]!;
      const body = rest.slice(delim.length);
      const close = body.indexOf(delim);
      if (close >= 0) {
        const line = `banner ${type} ^C${body.slice(0, close)}^C`;
        const changed = removeBlocks((l) => l.startsWith(`banner ${type} `));
        mutable().splice(insertionIndex(doc(), line, cat), 0, freezeBlock(line));
        return ok(changed || true);
      }
      banner = {
        type,
        delim,
        lines: body === "" ? [] : [body],
        headerIndex: results.length,
        header: `banner ${type} ^C`,
      };
      return ok(false);
    }
    if (cmd.special === "interface-range") {
      const names = expandRange(cat, p.args[0] ?? "");
      if (!names || names.length === 0) {
        return { outcome: "invalid", changed: false, text: INVALID_INPUT, caret: p.argCols[0] ?? 0 };
      }
      if (p.negated) return { outcome: "invalid", changed: false, text: INVALID_INPUT, caret: 0 };
      let changed = false;
      for (const n of names) changed = ensureBlock(`interface ${n}`) || changed;
      mode = { kind: "interface", headers: names.map((n) => `interface ${n}`) };
      return ok(changed);
    }
    if (cmd.enters) {
      const header = headerOf(p);
      if (p.negated) {
        if (cmd.enters === "interface") {
          const r = resolveInterface(cat, p.args[0] ?? "");
          if (r.ok && !r.logical) return fail("% Physical interfaces cannot be removed.");
        }
        const changed = removeBlocks((l) => l === header || (!p.complete && l.startsWith(`${header} `)));
        return ok(changed);
      }
      const changed = ensureBlock(header);
      mode = { kind: cmd.enters, headers: [header] };
      return ok(changed);
    }
    if (cmd.effect === "hostname") {
      if (p.negated) {
        return ok(
          setTopLevel({ ...p, negated: false, canonical: `hostname ${env.platform.defaultHostname}` }),
        );
      }
      if (!HOSTNAME_RE.test(p.args[0] ?? ""))
        return fail("% Hostname contains one or more illegal characters.");
    }
    if (cmd.effect === "license" && !p.negated) {
      const problem = checkLicenseLevel(env.platform, p);
      if (problem !== undefined)
        return { outcome: "invalid", changed: false, text: INVALID_INPUT, caret: problem };
    }
    if (cmd.effect === "tag") {
      const tag = p.args[0];
      if (tag === undefined) return ok(false);
      const refusal = env.tagGuard?.(tag, p.negated);
      if (refusal !== undefined) return fail(refusal);
      effects.push({ kind: "tag", tag, remove: p.negated });
      return ok(false);
    }
    if (cmd.special === "not-stored") {
      if (p.path[0] === "crypto") {
        return ok(
          false,
          "The name for the keys will be: local\n% Generating RSA keys, keys will be non-exportable...\n[OK]",
        );
      }
      return ok(false);
    }
    return ok(setTopLevel(p));
  };

  const applyInSubmode = (p: Parsed, m: Exclude<Mode, { kind: "global" }>): LineOutcome => {
    const grammar = m.kind === "generic" ? g.global : g[m.kind];
    if (m.kind === "interface" && p.cmd.special === "ip-address" && !p.negated) {
      for (const header of m.headers) {
        const name = header.slice("interface ".length);
        const r = resolveInterface(cat, name);
        const block = doc()[findBlockIndex(doc(), header)];
        const routed = block?.children?.includes("no switchport") === true;
        const isMgmt = env.platform.mgmtPort?.name === name;
        if (env.platform.kind === "switch" && r.ok && !r.logical && !routed && !isMgmt) {
          return fail("% IP addresses may not be configured on L2 links.");
        }
      }
    }
    let changed = false;
    for (const header of m.headers) {
      changed =
        editChildren(header, (children) => {
          const plan = planLeaf<string>(
            children,
            p,
            (l) => l,
            info(grammar),
            (list, _removed, line) => {
              const rank = childRank(m.kind, line);
              let pos = list.length;
              for (let i = list.length - 1; i >= 0; i--) {
                if (childRank(m.kind, list[i]!) <= rank) {
                  pos = i + 1;
                  break;
                }
                pos = i;
              }
              return pos;
            },
          );
          if (!plan) return undefined;
          const next = [...children];
          applyPlan(next, plan, (l) => l);
          return next;
        }) || changed;
    }
    return ok(changed);
  };

  const applyGenericChild = (line: string, m: Exclude<Mode, { kind: "global" }>): LineOutcome => {
    let changed = false;
    const negated = /^no\s+/i.test(line);
    const positive = negated ? line.replace(/^no\s+/i, "") : line;
    for (const header of m.headers) {
      changed =
        editChildren(header, (children) => {
          if (negated && children.includes(positive)) return children.filter((c) => c !== positive);
          if (children.includes(line)) return undefined;
          return [...children.filter((c) => c !== (negated ? positive : `no ${positive}`)), line];
        }) || changed;
    }
    return ok(changed);
  };

  const runDo = (command: string): LineOutcome => {
    if (command === "") return { outcome: "invalid", changed: false, text: INCOMPLETE };
    if (test) return ok(false);
    if (!env.exec) return fail("% Command not available in this context.");
    const r = env.exec(command, doc());
    return r.ok ? ok(false, r.output) : fail(r.output);
  };

  const processLine = (raw: string): LineOutcome => {
    if (banner) {
      const at = raw.indexOf(banner.delim);
      if (at < 0) {
        banner.lines.push(raw);
        return ok(false);
      }
      const last = raw.slice(0, at);
      if (last !== "") banner.lines.push(last);
      const { type, header } = banner;
      const children = [...banner.lines, "^C"];
      banner = undefined;
      removeBlocks((l) => l.startsWith(`banner ${type} `));
      const blocks = mutable();
      blocks.splice(insertionIndex(blocks, header, cat), 0, freezeBlock(header, children, true));
      return ok(true);
    }
    const line = raw.trim();
    if (line === "" || line.startsWith("!")) return ok(false);
    const first = tokenize(line)[0]!.text.toLowerCase();
    if (first === "end" || first === "exit") {
      mode = { kind: "global" };
      return ok(false);
    }
    if (first === "do") return runDo(line.slice(2).trim());
    if (mode.kind === "global") {
      const r = parseCommand(line, g.global, { cat });
      return r.ok ? applyGlobal(r) : parseFail(r);
    }
    const m = mode;
    if (m.kind === "generic") {
      const r = parseCommand(line, g.global, { cat });
      if (r.ok) {
        mode = { kind: "global" };
        return applyGlobal(r);
      }
      return applyGenericChild(line, m);
    }
    const r = parseCommand(line, g[m.kind], { cat });
    if (r.ok) return applyInSubmode(r, m);
    const asGlobal = parseCommand(line, g.global, { cat });
    if (asGlobal.ok) {
      mode = { kind: "global" };
      return applyGlobal(asGlobal);
    }
    // Report the parse that got further, as the IOS parser does.
    return parseFail(asGlobal.col > r.col ? asGlobal : r);
  };

  let stopped = false;
  let anyChange = false;
  input.forEach((raw, i) => {
    const base = {
      lineNumber: i + 1,
      cliString: raw,
      mode: test ? ("TEST" as const) : ("IMMEDIATE" as const),
    };
    if (stopped) {
      results.push({ ...base, outcome: "notExecuted" });
      return;
    }
    const o = processLine(raw);
    const entry: ConfigLineResult = { ...base, outcome: o.outcome };
    if (o.outcome === "success") entry.change = o.changed && !test ? "CHANGE" : "NO_CHANGE";
    else entry.errorType = "PERMANENT";
    if (o.text !== undefined) entry.text = o.text;
    if (o.caret !== undefined) entry.caret = o.caret;
    results.push(entry);
    if (o.changed) anyChange = true;
    if (o.outcome !== "success" && o.outcome !== "notExecuted") {
      firstFailure ??= i;
      if (action !== "continue") stopped = true;
    }
  });
  if (banner !== undefined) {
    const pending: { headerIndex: number } = banner;
    const entry = results[pending.headerIndex];
    if (entry) {
      entry.outcome = "failure";
      delete entry.change;
      entry.errorType = "PERMANENT";
      entry.text = "% Banner text not terminated by the delimiter.";
      firstFailure ??= pending.headerIndex;
    }
  }
  const rolledBack = action === "rollback" && firstFailure !== undefined;
  if (test || rolledBack) {
    return {
      doc: start,
      lines: results,
      effects: [],
      changed: false,
      ...(firstFailure !== undefined ? { firstFailure } : {}),
      rolledBack,
    };
  }
  const finalDoc: ConfigDoc = work ? Object.freeze(work) : start;
  return {
    doc: finalDoc,
    lines: results,
    effects,
    changed: anyChange && finalDoc !== start,
    ...(firstFailure !== undefined ? { firstFailure } : {}),
    rolledBack: false,
  };
}

/** Column of an invalid license level argument, or undefined when the level is valid here. */
function checkLicenseLevel(platform: Platform, p: Parsed): number | undefined {
  const col = p.argCols[0] ?? 0;
  const words = (p.args[0] ?? "").split(/\s+/);
  if (p.path[2] === "level") {
    if (platform.licenseModel !== "smart") return col;
    if (!platform.licenseLevels.includes(words[0] ?? "")) return col;
    if (words.length > 1) {
      if (words[1] !== "addon" || !platform.licenseAddons.includes(words[2] ?? "") || words.length > 3)
        return col;
    }
    return undefined;
  }
  // license boot module <module> technology-package <level>
  if (platform.licenseModel !== "classic") return col;
  if (words.length !== 3 || words[1] !== "technology-package" || !platform.licenseLevels.includes(words[2]!))
    return col;
  return undefined;
}

/** Terminal-style transcript of a run: each line, and under failures the caret and message. */
export function configTranscript(results: readonly ConfigLineResult[], prompt = "(config)#"): string {
  const out: string[] = [];
  for (const r of results) {
    if (r.outcome === "notExecuted") continue;
    out.push(`${prompt}${r.cliString}`);
    if (r.text !== undefined) {
      out.push(r.caret !== undefined ? caretText(r.caret, r.text, prompt.length) : r.text);
    }
  }
  return out.join("\n");
}
