// A small IOS-style command parser: keyword trees with unique-prefix abbreviation ("int gi1/0/1",
// "no shut"), typed arguments, and IOS error kinds with the caret column. The grammar tables live in
// config-grammar.ts; this file only knows how to walk them.

import { isIpv4 } from "./format.js";
import { type InterfaceCatalog, resolveInterface } from "./interfaces.js";

export type ModeName = "global" | "interface" | "line" | "router" | "vlan" | "pnp" | "generic";

export type Special = "version" | "banner" | "interface-range" | "ip-address" | "not-stored";
export type Effect = "hostname" | "boot" | "license" | "tag";

type ArgKind = "word" | "line" | "rest" | "int" | "ip" | "iface" | "kw";

interface ArgItem {
  readonly kind: ArgKind;
  readonly optional: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly words?: readonly string[];
}

export interface CmdOptions {
  /** How the replacement key is built: 0..n = keyword path plus the first n arguments (default 0); "all" = the whole line (multi-valued commands). */
  key?: number | "all";
  /** Explicit key, used when alternative forms replace each other ("ip address dhcp" vs "ip address A M"). */
  keyText?: string;
  enters?: ModeName;
  /** The "no" form is shown in the configuration ("no ip address", "no cdp run"). */
  negStored?: boolean;
  /** The positive form is the default and is not shown; it only removes the stored "no" form. */
  defaultOn?: boolean;
  effect?: Effect;
  special?: Special;
}

export interface CmdSpec extends CmdOptions {
  readonly __cmd: true;
  readonly args: readonly ArgItem[];
}

export interface KwNode {
  readonly __kw: true;
  readonly children: ReadonlyMap<string, GNode>;
  /** The keyword path alone is a complete command. */
  readonly self?: CmdSpec;
  /** Arguments that follow when no keyword matches. */
  readonly fallback?: CmdSpec;
}

export type GNode = CmdSpec | KwNode;

/** Grammar literal: nested objects; `$` = command complete at this node, `_` = arguments instead of a keyword. */
export type GrammarLiteral = { readonly [kw: string]: string | CmdSpec | GrammarLiteral };

function compileArgs(spec: string): ArgItem[] {
  const items: ArgItem[] = [];
  for (const raw of spec.split(/\s+/).filter(Boolean)) {
    const optional = raw.endsWith("?");
    const t = optional ? raw.slice(0, -1) : raw;
    if (t === "WORD") items.push({ kind: "word", optional });
    else if (t === "LINE") items.push({ kind: "line", optional });
    else if (t === "REST") items.push({ kind: "rest", optional: true });
    else if (t === "IP") items.push({ kind: "ip", optional });
    else if (t === "IFACE") items.push({ kind: "iface", optional });
    else if (t.startsWith("INT")) {
      const m = /^INT(?::(\d+)-(\d+))?$/.exec(t);
      if (!m) throw new Error(`bad INT spec ${t}`);
      const item: { kind: "int"; optional: boolean; min?: number; max?: number } = { kind: "int", optional };
      if (m[1] !== undefined) {
        item.min = Number(m[1]);
        item.max = Number(m[2]);
      }
      items.push(item);
    } else items.push({ kind: "kw", optional, words: t.split("|") });
  }
  return items;
}

/** A command leaf: `spec` lists its arguments (WORD, LINE, REST, IP, IFACE, INT[:a-b], kw|kw, suffix ? = optional). */
export function c(spec: string, opts: CmdOptions = {}): CmdSpec {
  return Object.freeze({ __cmd: true as const, args: Object.freeze(compileArgs(spec)), ...opts });
}

function isCmd(x: unknown): x is CmdSpec {
  return typeof x === "object" && x !== null && (x as { __cmd?: unknown }).__cmd === true;
}

export function compileGrammar(lit: GrammarLiteral): KwNode {
  const children = new Map<string, GNode>();
  let self: CmdSpec | undefined;
  let fallback: CmdSpec | undefined;
  for (const [k, v] of Object.entries(lit)) {
    const node: GNode = typeof v === "string" ? c(v) : isCmd(v) ? v : compileGrammar(v);
    if (k === "$") self = node as CmdSpec;
    else if (k === "_") fallback = node as CmdSpec;
    else children.set(k, node);
  }
  const node: { __kw: true; children: Map<string, GNode>; self?: CmdSpec; fallback?: CmdSpec } = {
    __kw: true,
    children,
  };
  if (self) node.self = self;
  if (fallback) node.fallback = fallback;
  return Object.freeze(node);
}

export interface Token {
  readonly text: string;
  readonly col: number;
}

export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) tokens.push({ text: m[0], col: m.index });
  return tokens;
}

export type ParseError = {
  ok: false;
  kind: "invalid" | "incomplete" | "ambiguous";
  col: number;
  message: string;
};

export interface Parsed {
  ok: true;
  cmd: CmdSpec;
  negated: boolean;
  /** Canonical keywords of the path. */
  path: string[];
  /** Canonical argument values. */
  args: string[];
  /** Canonical command without "no". */
  positive: string;
  /** Canonical line as stored ("no " + positive when negated). */
  canonical: string;
  /** Replacement key. */
  key: string;
  /** Column of each argument in the source line. */
  argCols: number[];
  /** False when a negated command omitted some arguments. */
  complete: boolean;
}

export type ParseResult = Parsed | ParseError;

export interface ParseContext {
  readonly cat: InterfaceCatalog;
}

export const INVALID_INPUT = "% Invalid input detected at '^' marker.";
export const INCOMPLETE = "% Incomplete command.";

function invalid(col: number): ParseError {
  return { ok: false, kind: "invalid", col, message: INVALID_INPUT };
}

/** Unique-prefix keyword match; an exact match wins. */
export function matchKeyword(
  token: string,
  words: Iterable<string>,
): { word: string } | { ambiguous: true } | undefined {
  const t = token.toLowerCase();
  const hits: string[] = [];
  for (const w of words) {
    const lw = w.toLowerCase();
    if (lw === t) return { word: w };
    if (lw.startsWith(t)) hits.push(w);
  }
  if (hits.length === 1) return { word: hits[0]! };
  if (hits.length > 1) return { ambiguous: true };
  return undefined;
}

/** Parses one configuration line against a mode grammar. */
export function parseCommand(line: string, grammar: KwNode, ctx: ParseContext): ParseResult {
  const tokens = tokenize(line);
  if (tokens.length === 0) return { ok: false, kind: "incomplete", col: 0, message: INCOMPLETE };
  let i = 0;
  let negated = false;
  if (tokens[0]!.text.toLowerCase() === "no") {
    negated = true;
    i = 1;
    if (tokens.length === 1) return { ok: false, kind: "incomplete", col: 0, message: INCOMPLETE };
  }
  let node: GNode = grammar;
  const path: string[] = [];
  let cmd: CmdSpec | undefined;
  while (cmd === undefined) {
    if (isCmd(node)) {
      cmd = node;
      break;
    }
    const kw: KwNode = node;
    if (i >= tokens.length) {
      if (kw.self) cmd = kw.self;
      else if (negated && kw.fallback) cmd = kw.fallback;
      else return { ok: false, kind: "incomplete", col: line.length, message: INCOMPLETE };
      break;
    }
    const tok = tokens[i]!;
    const m = matchKeyword(tok.text, kw.children.keys());
    if (m && "ambiguous" in m) {
      return {
        ok: false,
        kind: "ambiguous",
        col: tok.col,
        message: `% Ambiguous command:  "${line.trim()}"`,
      };
    }
    if (m) {
      path.push(m.word);
      node = kw.children.get(m.word)!;
      i++;
      continue;
    }
    if (kw.fallback) {
      cmd = kw.fallback;
      break;
    }
    return invalid(tok.col);
  }
  const args: string[] = [];
  const argCols: number[] = [];
  let complete = true;
  for (const item of cmd.args) {
    if (i >= tokens.length) {
      if (item.optional || item.kind === "rest") continue;
      if (negated) {
        complete = false;
        break;
      }
      return { ok: false, kind: "incomplete", col: line.length, message: INCOMPLETE };
    }
    const tok = tokens[i]!;
    if (item.kind === "line" || item.kind === "rest") {
      args.push(line.slice(tok.col).trimEnd());
      argCols.push(tok.col);
      i = tokens.length;
      continue;
    }
    let value: string | undefined;
    let used = 1;
    switch (item.kind) {
      case "word":
        value = tok.text;
        break;
      case "int": {
        if (/^\d+$/.test(tok.text)) {
          const n = Number(tok.text);
          if ((item.min === undefined || n >= item.min) && (item.max === undefined || n <= item.max))
            value = String(n);
        }
        break;
      }
      case "ip":
        if (isIpv4(tok.text)) value = tok.text;
        break;
      case "iface": {
        let text = tok.text;
        const next = tokens[i + 1];
        if (/^[A-Za-z-]+$/.test(text) && next && /^\d/.test(next.text)) {
          text += next.text;
          used = 2;
        }
        const r = resolveInterface(ctx.cat, text);
        if (r.ok) value = r.name;
        else if (r.reason === "ambiguous") {
          return {
            ok: false,
            kind: "ambiguous",
            col: tok.col,
            message: `% Ambiguous command:  "${line.trim()}"`,
          };
        }
        break;
      }
      case "kw": {
        const m = matchKeyword(tok.text, item.words ?? []);
        if (m && "ambiguous" in m) {
          return {
            ok: false,
            kind: "ambiguous",
            col: tok.col,
            message: `% Ambiguous command:  "${line.trim()}"`,
          };
        }
        if (m) value = m.word;
        break;
      }
    }
    if (value === undefined) {
      if (item.optional) continue;
      return invalid(tok.col);
    }
    args.push(value);
    argCols.push(tok.col);
    i += used;
  }
  if (i < tokens.length) return invalid(tokens[i]!.col);
  const positive = [...path, ...args].join(" ");
  let key: string;
  if (cmd.keyText !== undefined) key = cmd.keyText;
  else if (cmd.key === "all") key = positive;
  else key = [...path, ...args.slice(0, cmd.key ?? 0)].join(" ");
  if (cmd.special === "ip-address" && args.includes("secondary")) key = positive;
  return {
    ok: true,
    cmd,
    negated,
    path,
    args,
    positive,
    canonical: negated ? `no ${positive}` : positive,
    key,
    argCols,
    complete,
  };
}

/** The terminal rendering of an error: the caret under the offending column, then the message. */
export function caretText(col: number, message: string, indent = 0): string {
  if (message !== INVALID_INPUT) return message;
  return `${" ".repeat(indent + col)}^\n${message}`;
}
