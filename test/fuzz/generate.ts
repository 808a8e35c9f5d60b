// Seeded generator of hostile PnP inputs, and the property every one of them must satisfy:
// `parsePnp` returns a typed message or throws a PnpProtocolError with a documented parse code, never
// anything else, and never hangs. Shared by the unit test (test/unit/protocol/fuzz.test.ts) and the
// long-run script (test/fuzz/run.ts).
//
// Reproducing a failure: every case is a pure function of (seed, index), so
// `node --import tsx test/fuzz/run.ts --seed <seed> --only <index>` rebuilds and rechecks exactly one case.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { clone as ltxClone, parse as ltxParse } from "ltx";
import {
  type Element,
  type PnpErrorCode,
  PnpProtocolError,
  parsePnp,
  parseXml,
  type XmlLimits,
} from "../../src/protocol/index.js";

// ---------------------------------------------------------------------------------------------------
// Property

/** The codes `parsePnp` is documented to throw (src/protocol/errors.ts, codec.ts). */
export const PARSE_ERROR_CODES: ReadonlySet<PnpErrorCode> = new Set<PnpErrorCode>([
  "PNP_XML_MALFORMED",
  "PNP_XML_INVALID_CHAR",
  "PNP_XML_DTD_FORBIDDEN",
  "PNP_XML_ENTITY_FORBIDDEN",
  "PNP_XML_TOO_LARGE",
  "PNP_XML_TOO_DEEP",
  "PNP_XML_TOO_MANY_ELEMENTS",
  "PNP_XML_ATTR_TOO_LONG",
  "PNP_MSG_INVALID",
]);

const MESSAGE_KINDS: ReadonlySet<string> = new Set([
  "work-request",
  "bye",
  "request",
  "response",
  "fault",
  "syslog-event",
  "unknown",
]);

export type Outcome = { ok: true; result: string } | { ok: false; problem: string; error?: unknown };

/** Runs one parse and classifies what happened against the property. */
export function checkParse(fuzzCase: FuzzCase): Outcome {
  return classify(() => parsePnp(fuzzCase.input, fuzzCase.limits));
}

/** The property, on any parse-like call: a typed message, or a PnpProtocolError with a documented code. */
export function classify(parse: () => unknown): Outcome {
  let message: unknown;
  try {
    message = parse();
  } catch (error) {
    if (!(error instanceof PnpProtocolError)) {
      return { ok: false, problem: `threw ${describeError(error)} instead of a PnpProtocolError`, error };
    }
    if (!PARSE_ERROR_CODES.has(error.code)) {
      return { ok: false, problem: `threw PnpProtocolError with undocumented code ${error.code}`, error };
    }
    if (typeof error.message !== "string" || error.message === "") {
      return { ok: false, problem: `PnpProtocolError ${error.code} without a message`, error };
    }
    return { ok: true, result: error.code };
  }
  const problem = checkMessageShape(message);
  return problem === undefined
    ? { ok: true, result: `kind:${(message as { kind: string }).kind}` }
    : { ok: false, problem };
}

/** A returned message must be one of the typed kinds, with the fields that kind promises. */
function checkMessageShape(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null) return `returned ${typeof message}, not a message`;
  const { kind, envelope } = message as { kind?: unknown; envelope?: { udi?: unknown } };
  if (typeof kind !== "string" || !MESSAGE_KINDS.has(kind)) return `returned unknown kind ${String(kind)}`;
  if (typeof envelope?.udi !== "string" || envelope.udi === "")
    return "returned a message without envelope.udi";
  const body = message as Record<string, unknown>;
  const field = {
    "work-request": "workRequest",
    bye: "bye",
    request: "request",
    response: "response",
    fault: "fault",
    "syslog-event": "event",
    unknown: "element",
  }[kind];
  if (field !== undefined && body[field] === undefined) return `kind ${kind} without its ${field}`;
  // Messages are stored as JSON (task results in Redis): no cycles, no BigInt, no live Elements.
  try {
    JSON.stringify(message);
  } catch (error) {
    return `returned a message JSON cannot hold: ${describeError(error)}`;
  }
  if (containsElement(message, 0)) return "returned a message holding an XML Element";
  if (kind === "response") {
    const response = body.response as { correlator?: unknown; success?: unknown; service?: unknown };
    if (typeof response.correlator !== "string" || response.correlator === "") {
      return "response without a correlator";
    }
    if (typeof response.success !== "boolean") return "response whose success is not a boolean";
    if (typeof response.service !== "string") return "response without a service";
  }
  return undefined;
}

function containsElement(value: unknown, depth: number): boolean {
  if (typeof value !== "object" || value === null || depth > 64) return false;
  if (isElementLike(value)) return true;
  return Object.values(value).some((child) => containsElement(child, depth + 1));
}

function isElementLike(value: object): boolean {
  return typeof (value as { getName?: unknown }).getName === "function";
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.slice(0, 300)}`;
  return `a non-Error value ${String(error).slice(0, 300)}`;
}

// ---------------------------------------------------------------------------------------------------
// Deterministic randomness

/** splitmix32: a well-mixed 32-bit hash, used to derive one independent seed per case. */
export function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export function caseSeed(seed: number, index: number): number {
  return mix32(mix32(seed >>> 0) ^ Math.imul(index + 1, 0x27d4eb2d));
}

/** mulberry32: small, fast, and good enough for test generation. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** An integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[this.int(items.length)]!;
  }
  /** Small numbers much more often than big ones (log-uniform up to max). */
  skewed(max: number): number {
    return Math.min(max, Math.floor(Math.exp(this.next() * Math.log(max + 1))) - 1 + this.int(2));
  }
}

// ---------------------------------------------------------------------------------------------------
// Corpus: the golden fixtures

export interface Golden {
  /** Path under test/fixtures/pnp/. */
  name: string;
  text: string;
  bytes: Uint8Array;
  /** The fixture parsed with the safe parser, when it parses (hostile fixtures do not). */
  tree: Element | undefined;
}

export interface Corpus {
  goldens: Golden[];
  /** Goldens that parse: the base of the tree-level mutations. */
  parsed: Golden[];
  /** Element names and attribute names seen anywhere in the goldens. */
  elementNames: string[];
  attributeNames: string[];
  /** Namespace URIs seen in the goldens, plus near misses. */
  namespaces: string[];
}

const FIXTURE_ROOT = fileURLToPath(new URL("../fixtures/pnp/", import.meta.url));

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}

let cachedCorpus: Corpus | undefined;

export function loadCorpus(): Corpus {
  if (cachedCorpus) return cachedCorpus;
  const goldens: Golden[] = listFiles(FIXTURE_ROOT).map((path) => {
    const bytes = new Uint8Array(readFileSync(path));
    const text = Buffer.from(bytes).toString("utf8");
    let tree: Element | undefined;
    try {
      tree = parseXml(bytes);
    } catch {
      tree = undefined;
    }
    return { name: path.slice(FIXTURE_ROOT.length), text, bytes, tree };
  });
  const elementNames = new Set<string>();
  const attributeNames = new Set<string>();
  const namespaces = new Set<string>();
  for (const { text } of goldens) {
    for (const match of text.matchAll(/<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/g))
      elementNames.add(match[2]!);
    for (const match of text.matchAll(/\s([A-Za-z_][\w.:-]*)\s*=\s*["']/g)) {
      if (!match[1]!.startsWith("xmlns")) attributeNames.add(match[1]!);
    }
    for (const match of text.matchAll(/xmlns(?::[\w.-]+)?="([^"]*)"/g)) namespaces.add(match[1]!);
  }
  for (const uri of [...namespaces]) {
    namespaces.add(`${uri}x`);
    namespaces.add(uri.toUpperCase());
    namespaces.add(`${uri}/`);
  }
  for (const extra of ["", "urn:cisco:pnp:", "urn:cisco:pnp:unknown-service", "jabber:client", "urn:cisco"]) {
    namespaces.add(extra);
  }
  cachedCorpus = {
    goldens,
    parsed: goldens.filter((golden) => golden.tree !== undefined),
    elementNames: [...elementNames].sort(),
    attributeNames: [...attributeNames].sort(),
    namespaces: [...namespaces].sort(),
  };
  return cachedCorpus;
}

// ---------------------------------------------------------------------------------------------------
// Cases

export interface FuzzCase {
  seed: number;
  index: number;
  /** Which generator made it. */
  generator: string;
  input: string | Uint8Array | Element;
  limits?: Partial<XmlLimits>;
}

const PNP_OPEN = '<pnp xmlns="urn:cisco:pnp" version="1.0" udi="PID:C9300-24P,VID:V02,SN:FOC2233X0AB">';
const PNP_CLOSE = "</pnp>";

/** Tokens that matter to an XML parser, for insertion mutations. */
const XML_TOKENS = [
  "<",
  ">",
  "/>",
  "</",
  "&",
  "&amp;",
  "&lt;",
  "&#60;",
  "&#x3C;",
  "&#0;",
  "&#x0;",
  "&#xD800;",
  "&#x110000;",
  "&#99999999999999999999;",
  "&#xFFFFFFFFFFFFFFFF;",
  "&#;",
  "&#x;",
  "&;",
  "&amp",
  "&nbsp;",
  "&lol;",
  "&xxe;",
  "]]>",
  "<![CDATA[",
  "<![CDATA[x]]>",
  "<!--",
  "-->",
  "<!-- c -->",
  "<?",
  "?>",
  "<?pi data?>",
  '<?xml version="1.0"?>',
  "<!DOCTYPE pnp>",
  "<!doctype x [<!ENTITY a 'b'>]>",
  '<!ENTITY x SYSTEM "file:///etc/passwd">',
  "<!ELEMENT a ANY>",
  "<!",
  '"',
  "'",
  "=",
  "==",
  " ",
  "\t",
  "\n",
  "\r",
  "\r\n",
  ":",
  "a:",
  ":a",
  ' xmlns=""',
  ' xmlns="urn:cisco:pnp"',
  ' xmlns:p="urn:cisco:pnp"',
  ' xmlns:="x"',
  ' xmlns:xml="y"',
  ' a="1" a="2"',
  " b=c",
  " c",
  "<a>",
  "</a>",
  "<a/>",
  "<p:a/>",
  "<:a/>",
  "<1a/>",
  "\u0000",
  "\u0001",
  "\u001b",
  "\u007f",
  "\u0085",
  "\uFEFF",
  "\uFFFE",
  "\uFFFF",
  "\uD800",
  "\uDC00",
  "\u{1F600}",
  "\u202E",
  "\u2028",
  "\u00A0",
  "é",
];

/** Values for text and attributes that stress the codec's readers. */
const TRICKY_VALUES = [
  "",
  " ",
  "\n\t ",
  "0",
  "1",
  "-1",
  "2",
  "+3",
  " 7 ",
  "007",
  "1.5",
  "1e3",
  "1e309",
  "-0",
  "0x10",
  "NaN",
  "Infinity",
  "99999999999999999999999999",
  "-99999999999999999999999999",
  "9007199254740993",
  "true",
  "false",
  "TRUE",
  "yes",
  "PID:,VID:,SN:",
  "PID:X,VID:Y,SN:Z",
  "PID:C9300-24P,VID:V02,SN:FOC2233X0AB",
  "SN:only",
  "PT30S",
  "P",
  "PT",
  "P1Y2M3W4DT5H6M7.5S",
  "PnP Service Error 1817",
  "PnP Service Error ",
  "PnP Service Error 99999999999999999999",
  "XSVC:Client",
  "XSVC-ERR:error",
  "urn:cisco:pnp",
  "urn:cisco:pnp:device-info",
  "http://",
  "tftp://10.0.0.1/x.bin",
  "https://[::1]:99999/x",
  "flash:",
  "all",
  "image",
  "none",
  "ztd",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "😀",
  "\u202Eevil",
  "\uFFFD",
  "A".repeat(300),
  "9".repeat(400),
];

type Generator = (rng: Rng, corpus: Corpus) => Omit<FuzzCase, "seed" | "index" | "generator">;

/** Generators, with weights. Most cases are mutations of real messages: they reach deepest. */
const GENERATORS: [name: string, weight: number, generate: Generator][] = [
  ["golden-as-is", 1, goldenAsIs],
  ["golden-truncated", 8, goldenTruncated],
  ["golden-byte-mutation", 8, goldenByteMutation],
  ["golden-token-mutation", 14, goldenTokenMutation],
  ["golden-namespace", 8, goldenNamespace],
  ["golden-prefixes", 6, goldenPrefixes],
  ["tree-mutation", 20, treeMutation],
  ["tree-mutation-element", 8, treeMutationAsElement],
  ["lenient-parse-element", 5, lenientParseElement],
  ["random-envelope", 10, randomEnvelope],
  ["dtd-and-entities", 5, dtdAndEntities],
  ["oversized", 2, oversized],
  ["deep-nesting", 3, deepNesting],
  ["many-elements", 2, manyElements],
  ["huge-attributes", 3, hugeAttributes],
  ["binary-junk", 5, binaryJunk],
  ["invalid-utf8", 4, invalidUtf8],
  ["lone-surrogates", 2, loneSurrogates],
];
const TOTAL_WEIGHT = GENERATORS.reduce((sum, [, weight]) => sum + weight, 0);

export const GENERATOR_NAMES: readonly string[] = GENERATORS.map(([name]) => name);

/** The case at `index` of the run with `seed`: a pure function of both. */
export function generateCase(seed: number, index: number, corpus: Corpus = loadCorpus()): FuzzCase {
  const rng = new Rng(caseSeed(seed, index));
  let roll = rng.int(TOTAL_WEIGHT);
  for (const [name, weight, generate] of GENERATORS) {
    if (roll < weight) return { seed, index, generator: name, ...generate(rng, corpus) };
    roll -= weight;
  }
  throw new Error("unreachable: generator weights");
}

// --- mutations of the raw fixtures ------------------------------------------------------------------

function goldenAsIs(rng: Rng, corpus: Corpus) {
  const golden = rng.pick(corpus.goldens);
  return { input: rng.chance(0.5) ? golden.text : golden.bytes };
}

function goldenTruncated(rng: Rng, corpus: Corpus) {
  const golden = rng.pick(corpus.goldens);
  if (rng.chance(0.4)) {
    // Bytes: a cut can land inside a multi-byte UTF-8 sequence.
    const start = rng.chance(0.2) ? rng.int(golden.bytes.length) : 0;
    const end = start + rng.int(golden.bytes.length - start + 1);
    return { input: golden.bytes.slice(start, end) };
  }
  const start = rng.chance(0.2) ? rng.int(golden.text.length) : 0;
  const end = start + rng.int(golden.text.length - start + 1);
  return { input: golden.text.slice(start, end) };
}

function goldenByteMutation(rng: Rng, corpus: Corpus) {
  const bytes = Uint8Array.from(rng.pick(corpus.goldens).bytes);
  const flips = rng.range(1, 8);
  for (let i = 0; i < flips && bytes.length > 0; i++) {
    const at = rng.int(bytes.length);
    switch (rng.int(4)) {
      case 0:
        bytes[at] = bytes[at]! ^ (1 << rng.int(8));
        break;
      case 1:
        bytes[at] = rng.int(256);
        break;
      case 2:
        bytes[at] = rng.pick([0x00, 0x3c, 0x3e, 0x26, 0x22, 0x27, 0x2f, 0x3a, 0x80, 0xc0, 0xed, 0xf4, 0xff]);
        break;
      default:
        bytes[at] = 0x20;
    }
  }
  return { input: bytes };
}

/** Random edits with XML-significant tokens: inserts, deletions, duplications, swaps. */
function mutateText(rng: Rng, text: string, edits: number, corpus: Corpus): string {
  let out = text;
  for (let i = 0; i < edits; i++) {
    const at = rng.int(out.length + 1);
    switch (rng.int(9)) {
      case 0:
      case 1:
      case 2:
        out = out.slice(0, at) + rng.pick(XML_TOKENS) + out.slice(at);
        break;
      case 3: {
        const length = rng.skewed(64);
        out = out.slice(0, at) + out.slice(at + length);
        break;
      }
      case 4: {
        const length = rng.skewed(200);
        out = out.slice(0, at) + out.slice(at, at + length) + out.slice(at);
        break;
      }
      case 5: {
        const other = rng.int(out.length + 1);
        const [a, b] = at < other ? [at, other] : [other, at];
        const length = Math.min(rng.skewed(40), out.length - b);
        if (length > 0) {
          out =
            out.slice(0, a) +
            out.slice(b, b + length) +
            out.slice(a + length, b) +
            out.slice(a, a + length) +
            out.slice(b + length);
        }
        break;
      }
      case 6:
        out = `${out.slice(0, at)}<${rng.pick(corpus.elementNames)}>${out.slice(at)}`;
        break;
      case 7:
        out = `${out.slice(0, at)}</${rng.pick(corpus.elementNames)}>${out.slice(at)}`;
        break;
      default:
        out = out.slice(0, at) + rng.pick(TRICKY_VALUES) + out.slice(at);
    }
  }
  return out;
}

function goldenTokenMutation(rng: Rng, corpus: Corpus) {
  const golden = rng.pick(corpus.goldens);
  return { input: mutateText(rng, golden.text, rng.range(1, 6), corpus) };
}

/** Wrong, missing and near-miss namespaces on the envelope and its child. */
function goldenNamespace(rng: Rng, corpus: Corpus) {
  const golden = rng.pick(corpus.parsed);
  let count = 0;
  const text = golden.text.replace(/xmlns(:[\w.-]+)?="([^"]*)"/g, (whole, prefix: string | undefined) => {
    count += 1;
    if (!rng.chance(0.5)) return whole;
    switch (rng.int(4)) {
      case 0:
        return ""; // missing namespace
      case 1:
        return `xmlns${prefix ?? ""}="${rng.pick(corpus.namespaces)}"`;
      case 2:
        return `xmlns${prefix ?? ":zz"}="${rng.pick(corpus.namespaces)}"`; // moved to a prefix
      default:
        return `xmlns="${rng.pick(corpus.namespaces)}" xmlns:q="${rng.pick(corpus.namespaces)}"`;
    }
  });
  return { input: count === 0 ? text.replace("<pnp", '<pnp xmlns="urn:cisco:pnp:work-info"') : text };
}

/** Any prefix: declared ones, undeclared ones, reserved ones, prefixed attributes. */
function goldenPrefixes(rng: Rng, corpus: Corpus) {
  const golden = rng.pick(corpus.parsed);
  const prefixes = ["p", "xml", "xmlns", "__proto__", "constructor", "a.b", "A", "pnp", "x-y", "é"];
  const prefix = rng.pick(prefixes);
  const declare = rng.chance(0.7);
  let first = true;
  const text = golden.text.replace(
    /<(\/?)([A-Za-z_][\w.-]*)(?=[\s/>])/g,
    (whole, slash: string, name: string) => {
      if (!rng.chance(0.7)) return whole;
      const tag = `<${slash}${prefix}:${name}`;
      if (slash === "" && first && declare) {
        first = false;
        return `${tag} xmlns:${prefix}="${rng.pick(corpus.namespaces)}"`;
      }
      return tag;
    },
  );
  const withAttributes = rng.chance(0.3)
    ? text.replace(/\s(correlator|success|udi|version)=/g, (whole, name: string) =>
        rng.chance(0.5) ? ` ${prefix}:${name}=` : whole,
      )
    : text;
  return { input: withAttributes };
}

// --- mutations of the parsed trees -------------------------------------------------------------------

function allElements(root: Element): Element[] {
  const out: Element[] = [];
  const pending = [root];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    out.push(next);
    for (const child of next.children) if (typeof child !== "string") pending.push(child as Element);
  }
  return out;
}

function cloneTree(root: Element): Element {
  return ltxClone(root);
}

function trickyValue(rng: Rng): string {
  if (rng.chance(0.15)) return randomText(rng, rng.skewed(80));
  return rng.pick(TRICKY_VALUES);
}

/** Printable but hostile text: XML-legal characters from every awkward range. */
function randomText(rng: Rng, length: number): string {
  const ranges: [number, number][] = [
    [0x20, 0x7e],
    [0x09, 0x0a],
    [0xa0, 0x2ff],
    [0x300, 0x36f],
    [0x2000, 0x206f],
    [0xe000, 0xf8ff],
    [0xfff0, 0xfffd],
    [0x1f300, 0x1f6ff],
    [0x10fff0, 0x10ffff],
  ];
  let out = "";
  for (let i = 0; i < length; i++) {
    const [low, high] = rng.pick(ranges);
    out += String.fromCodePoint(rng.range(low, high));
  }
  return out;
}

/** Structural edits that keep the XML well-formed, so the codec's readers (not the XML layer) are hit. */
function mutateTree(rng: Rng, corpus: Corpus, root: Element): void {
  const edits = rng.range(1, 5);
  for (let i = 0; i < edits; i++) {
    const elements = allElements(root);
    const target = rng.pick(elements);
    switch (rng.int(11)) {
      case 0: {
        // Replace the text of a leaf.
        target.children = [trickyValue(rng)];
        break;
      }
      case 1: {
        const names = Object.keys(target.attrs);
        const name = names.length > 0 && rng.chance(0.7) ? rng.pick(names) : rng.pick(corpus.attributeNames);
        target.attrs[name] = trickyValue(rng);
        break;
      }
      case 2: {
        const names = Object.keys(target.attrs);
        if (names.length > 0) delete target.attrs[rng.pick(names)];
        break;
      }
      case 3: {
        // Remove a child element.
        const parent = target.parent;
        if (parent) parent.children = parent.children.filter((child) => child !== target);
        break;
      }
      case 4: {
        // Duplicate an element next to itself (XSD choices and single elements twice).
        const parent = target.parent;
        if (parent) {
          const copy = ltxClone(target);
          copy.parent = parent;
          parent.children.splice(parent.children.indexOf(target) + 1, 0, copy);
        }
        break;
      }
      case 5: {
        // Rename an element, keeping its namespace.
        const colon = target.name.indexOf(":");
        const prefix = colon === -1 ? "" : target.name.slice(0, colon + 1);
        target.name = prefix + rng.pick(corpus.elementNames);
        break;
      }
      case 6: {
        // Add a child with a known name in the parent's namespace.
        const child = target.c(rng.pick(corpus.elementNames));
        if (rng.chance(0.6)) child.t(trickyValue(rng));
        if (rng.chance(0.3)) child.attrs[rng.pick(corpus.attributeNames)] = trickyValue(rng);
        break;
      }
      case 7: {
        // Move the namespace somewhere else.
        target.attrs.xmlns = rng.pick(corpus.namespaces);
        break;
      }
      case 8: {
        // Replace an element by its own children, or wrap it.
        const parent = target.parent;
        if (!parent) break;
        const at = parent.children.indexOf(target);
        if (rng.chance(0.5)) {
          parent.children.splice(at, 1, ...target.children);
          for (const child of target.children) if (typeof child !== "string") child.parent = parent;
        } else {
          const wrapper = ltxClone(target);
          wrapper.name = rng.pick(corpus.elementNames);
          wrapper.attrs = {};
          wrapper.children = [target];
          wrapper.parent = parent;
          target.parent = wrapper;
          parent.children[at] = wrapper;
        }
        break;
      }
      case 9: {
        // Empty an element entirely.
        target.children = [];
        break;
      }
      default: {
        // Mixed content: text beside elements.
        target.children.splice(rng.int(target.children.length + 1), 0, trickyValue(rng));
      }
    }
  }
}

function treeMutation(rng: Rng, corpus: Corpus) {
  const golden = rng.pick(corpus.parsed);
  const root = cloneTree(golden.tree!);
  mutateTree(rng, corpus, root);
  return { input: root.toString() };
}

/** The XMPP path: parsePnp gets an Element that the XML layer never saw, sometimes inside an iq. */
function treeMutationAsElement(rng: Rng, corpus: Corpus) {
  const golden = rng.pick(corpus.parsed);
  const root = cloneTree(golden.tree!);
  mutateTree(rng, corpus, root);
  if (rng.chance(0.5)) {
    const iq = ltxParse('<iq xmlns="jabber:component:accept" type="result" id="pnp:1:c"/>') as Element;
    iq.cnode(root);
  }
  return { input: root };
}

/**
 * Elements as a lenient SAX parser (the one xmpp.js uses for streams) builds them from mutated text:
 * names and attributes the strict layer would have refused.
 */
function lenientParseElement(rng: Rng, corpus: Corpus) {
  const golden = rng.pick(corpus.parsed);
  for (let attempt = 0; attempt < 4; attempt++) {
    const text = mutateText(rng, golden.text.replace(/^<\?xml[^>]*\?>\s*/, ""), rng.range(1, 4), corpus);
    try {
      const element = ltxParse(text) as Element | null;
      if (element && typeof element === "object" && typeof element.getName === "function") {
        return { input: element };
      }
    } catch {
      // ltx refused it: try another mutation.
    }
  }
  return { input: ltxClone(golden.tree!) };
}

// --- messages built from scratch ---------------------------------------------------------------------

/** A pnp envelope around a random tree of known element names in a (mostly) known namespace. */
function randomEnvelope(rng: Rng, corpus: Corpus) {
  const namespace = rng.chance(0.85)
    ? rng.pick(corpus.namespaces.filter((ns) => ns.startsWith("urn:cisco:pnp:")))
    : rng.pick(corpus.namespaces);
  const childName = rng.pick(["request", "response", "info", "event", rng.pick(corpus.elementNames)]);
  const attributes: string[] = [];
  if (rng.chance(0.85))
    attributes.push(`correlator="${escapeAttribute(rng.chance(0.8) ? "c-1" : trickyValue(rng))}"`);
  if (rng.chance(0.7))
    attributes.push(`success="${escapeAttribute(rng.pick(["1", "0", " 1 ", "true", "2", ""]))}"`);
  const body = randomChildren(rng, corpus, rng.range(0, 3), rng.range(1, 8));
  const envelopeAttributes = rng.chance(0.9)
    ? ' udi="PID:X,VID:V,SN:S"'
    : rng.pick(["", ' udi=""', ' udi="  "']);
  const extras = rng.chance(0.2) ? ` usr="u" pwd="p" noCheckTime="${escapeAttribute(trickyValue(rng))}"` : "";
  return {
    input: `<pnp xmlns="urn:cisco:pnp" version="1.0"${envelopeAttributes}${extras}><${childName} xmlns="${escapeAttribute(namespace)}" ${attributes.join(" ")}>${body}</${childName}></pnp>`,
  };
}

function randomChildren(rng: Rng, corpus: Corpus, depth: number, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) {
    const name = rng.pick(corpus.elementNames);
    let attributes = "";
    const attributeCount = rng.chance(0.4) ? rng.range(1, 3) : 0;
    const used = new Set<string>();
    for (let a = 0; a < attributeCount; a++) {
      const attribute = rng.pick(corpus.attributeNames);
      if (used.has(attribute)) continue;
      used.add(attribute);
      attributes += ` ${attribute}="${escapeAttribute(trickyValue(rng))}"`;
    }
    const inner =
      depth > 0 && rng.chance(0.6)
        ? randomChildren(rng, corpus, depth - 1, rng.range(0, 5))
        : escapeText(trickyValue(rng));
    out +=
      inner === "" && rng.chance(0.5)
        ? `<${name}${attributes}/>`
        : `<${name}${attributes}>${inner}</${name}>`;
  }
  return out;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
}

function escapeText(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// --- hostile XML: DTDs, entities, sizes, depth --------------------------------------------------------

function billionLaughs(levels: number, fanout: number): string {
  let dtd = '<!ENTITY lol0 "lol">';
  for (let level = 1; level <= levels; level++) {
    dtd += `<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(fanout)}">`;
  }
  return `<!DOCTYPE pnp [${dtd}]>`;
}

function dtdAndEntities(rng: Rng, corpus: Corpus) {
  const golden = rng.pick(corpus.parsed).text;
  const body = `${PNP_OPEN}<response xmlns="urn:cisco:pnp:cli-exec" correlator="c" success="1"><execLog><dialogueLog><sent>&lol9;</sent></dialogueLog></execLog></response>${PNP_CLOSE}`;
  const doctype = rng.pick([
    () => billionLaughs(rng.range(2, 10), rng.range(2, 10)),
    () => '<!DOCTYPE pnp [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    () => '<!doctype pnp PUBLIC "-//x//y" "http://127.0.0.1:1/evil.dtd">',
    () => '<!DOCTYPE pnp [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]>',
    () => '<!DOCTYPE pnp SYSTEM "expect://id">',
    () => "<!DoCtYpE pnp>",
    () => "<!DOCTYPE",
    () => `<!DOCTYPE pnp [${"<!ENTITY a 'b'>".repeat(rng.range(1, 200))}]>`,
    () => '<!ENTITY lol "lol">',
    () => "<!ATTLIST pnp udi CDATA #FIXED 'x'>",
  ])();
  const where = rng.int(4);
  let input: string;
  if (where === 0) input = `<?xml version="1.0"?>\n${doctype}\n${body}`;
  else if (where === 1) input = doctype + golden;
  else if (where === 2) {
    // Inside the document, in text, a comment or a CDATA section.
    const at = golden.indexOf(">", golden.indexOf("<pnp")) + 1;
    const wrapped = rng.pick([doctype, `<!--${doctype}-->`, `<![CDATA[${doctype}]]>`]);
    input = golden.slice(0, at) + wrapped + golden.slice(at);
  } else {
    // Undefined entities and bad character references in text and attributes.
    const reference = rng.pick([
      "&lol9;",
      "&xxe;",
      "&nbsp;",
      "&#0;",
      "&#x1;",
      "&#xFFFE;",
      "&#x110000;",
      "&#4294967296;",
      "&#-1;",
      "&#x-1;",
      "&#12a;",
      "&#X41;",
      "&AMP;",
      "&amp",
      "& ",
      `&${"a".repeat(rng.skewed(5000))};`,
      `&#${"9".repeat(rng.skewed(400))};`,
    ]);
    input = rng.chance(0.5)
      ? golden.replace(/>([^<]*\S[^<]*)</, (_whole, text: string) => `>${text}${reference}<`)
      : golden.replace(/udi="/, `udi="${reference}`);
  }
  return { input };
}

function oversized(rng: Rng, corpus: Corpus) {
  const golden = rng.pick(corpus.parsed).text;
  if (rng.chance(0.15)) {
    // The real default limit (1 MiB), exceeded: by text, by bytes, and by UTF-8 width only.
    const pad = rng.pick(["a", "é", "😀"]);
    const unit = Buffer.byteLength(pad, "utf8");
    const target = 1024 * 1024 + rng.range(1, 64);
    const filler = pad.repeat(Math.ceil(target / unit));
    const input = golden.replace(/<\/pnp>\s*$/, `<!--${filler}--></pnp>`);
    return { input: rng.chance(0.5) ? input : new Uint8Array(Buffer.from(input, "utf8")) };
  }
  // A small configured limit, crossed by a little or by a lot, in text or in bytes.
  const maxBytes = Math.max(64, golden.length - rng.range(-200, 400));
  const input = rng.chance(0.5) ? golden : golden + " ".repeat(rng.skewed(4 * maxBytes));
  return {
    input: rng.chance(0.5) ? input : new Uint8Array(Buffer.from(input, "utf8")),
    limits: { maxBytes },
  };
}

function deepNesting(rng: Rng, corpus: Corpus) {
  const useDefault = rng.chance(0.3);
  const maxDepth = useDefault ? 32 : rng.range(1, 64);
  const depth = rng.chance(0.5)
    ? Math.max(1, maxDepth + rng.range(-3, 3))
    : rng.pick([maxDepth * 2, 1000, 10_000, rng.chance(0.2) ? 120_000 : 5000]);
  const name = rng.pick(["a", "pnp", "p:x", rng.pick(corpus.elementNames)]);
  const declaration = name.startsWith("p:") ? ' xmlns:p="urn:cisco:pnp"' : "";
  const closed = rng.chance(0.8);
  let inner: string;
  if (rng.chance(0.5)) {
    inner = `<${name}${declaration}>`.repeat(depth) + (closed ? `</${name}>`.repeat(depth) : "");
  } else {
    inner = `<${name}${declaration}/>`;
    for (let level = 1; level < depth && level < 2000; level++) inner = `<${name}>${inner}</${name}>`;
  }
  const input = rng.chance(0.5)
    ? `${PNP_OPEN}<response xmlns="urn:cisco:pnp:device-info" correlator="c" success="1">${inner}</response>${PNP_CLOSE}`
    : inner;
  return { input, ...(useDefault ? {} : { limits: { maxDepth } }) };
}

function manyElements(rng: Rng, corpus: Corpus) {
  const useDefault = rng.chance(0.25);
  const maxElements = useDefault ? 10_000 : rng.range(1, 500);
  const count = Math.max(
    1,
    maxElements + rng.range(-5, 5) + (rng.chance(0.3) ? rng.skewed(maxElements * 4) : 0),
  );
  const name = rng.pick(["a", "fileSystem", rng.pick(corpus.elementNames)]);
  const children = `<${name}/>`.repeat(Math.max(0, count - 3));
  return {
    input: `${PNP_OPEN}<response xmlns="urn:cisco:pnp:device-info" correlator="c" success="1"><fileSystemList>${children}</fileSystemList></response>${PNP_CLOSE}`,
    ...(useDefault ? {} : { limits: { maxElements } }),
  };
}

function hugeAttributes(rng: Rng, corpus: Corpus) {
  const useDefault = rng.chance(0.4);
  const maxAttributeLength = useDefault ? 4096 : rng.range(1, 512);
  const golden = rng.pick(corpus.parsed).text;
  const fill = rng.pick(["a", "&amp;", "é", "😀", " ", "&#x41;"]);
  switch (rng.int(4)) {
    case 0: {
      // One value around the limit, or far above it.
      const length = rng.chance(0.6)
        ? Math.max(0, maxAttributeLength + rng.range(-2, 2))
        : rng.skewed(200_000);
      const value = fill.repeat(Math.max(0, Math.ceil(length / fill.length)));
      const input = golden.replace(
        /(correlator|udi|name|success)="[^"]*"/,
        (_whole, attr: string) => `${attr}="${value}"`,
      );
      return { input, ...(useDefault ? {} : { limits: { maxAttributeLength } }) };
    }
    case 1: {
      // Thousands of attributes on one element.
      const count = rng.skewed(20_000);
      let attributes = "";
      for (let i = 0; i < count; i++) attributes += ` a${i}="${i}"`;
      return {
        input: golden.replace(/<pnp\b/, `<pnp${attributes}`),
        ...(useDefault ? {} : { limits: { maxAttributeLength } }),
      };
    }
    case 2: {
      // A huge attribute name, a huge element name, a huge namespace URI.
      const long = "n".repeat(rng.skewed(300_000) + 1);
      const input = rng.pick([
        golden.replace(/<pnp\b/, `<pnp ${long}="1"`),
        golden.replace(/<pnp\b/, `<pnp><${long}/></pnp><pnp`),
        golden.replace(/xmlns="urn:cisco:pnp"/, `xmlns="urn:cisco:pnp:${long}"`),
        `${PNP_OPEN}<${long} xmlns="urn:cisco:pnp:device-info" correlator="c" success="1"/>${PNP_CLOSE}`,
      ]);
      return { input };
    }
    default: {
      // Duplicates, unquoted values, '<' and bare '&' in values.
      const bad = rng.pick([
        ' udi="a" udi="b"',
        " udi=x",
        ' udi="<"',
        ' udi="&"',
        " udi",
        ' udi="unterminated',
        ' ="x"',
      ]);
      return {
        input: golden.replace(
          /<pnp\b[^>]*?(\/?>)/,
          (_whole, end: string) => `<pnp xmlns="urn:cisco:pnp"${bad}${end}`,
        ),
      };
    }
  }
}

// --- not text at all -------------------------------------------------------------------------------

function randomBytes(rng: Rng, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = rng.int(256);
  return bytes;
}

function binaryJunk(rng: Rng, corpus: Corpus) {
  const length = rng.skewed(8192);
  const junk = randomBytes(rng, length);
  switch (rng.int(4)) {
    case 0:
      return { input: junk };
    case 1:
      // Junk as a latin1 string: control characters in text.
      return { input: Buffer.from(junk).toString("latin1") };
    case 2: {
      // Junk inside a real message.
      const golden = rng.pick(corpus.parsed).bytes;
      const at = rng.int(golden.length);
      return { input: Buffer.concat([golden.subarray(0, at), junk, golden.subarray(at)]) };
    }
    default: {
      // UTF-16 and UTF-32 encodings of a real message, with and without a BOM.
      const text = rng.pick(corpus.parsed).text;
      const utf16 = Buffer.from(text, "utf16le");
      const variants = [
        utf16,
        Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]),
        Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(utf16).swap16()]),
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), Buffer.from(text)]),
        Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), Buffer.from(text)]),
      ];
      return { input: rng.pick(variants) };
    }
  }
}

const INVALID_UTF8 = [
  [0x80],
  [0xbf],
  [0xc0, 0x80], // overlong NUL
  [0xc1, 0xbf],
  [0xe0, 0x80, 0xaf], // overlong '/'
  [0xed, 0xa0, 0x80], // UTF-8 encoded surrogate
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xf5, 0x80, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xfe],
  [0xff],
  [0xe2, 0x82], // truncated sequence
  [0xf0, 0x9f, 0x98], // truncated emoji
  [0xef, 0xbf, 0xbe], // U+FFFE, valid UTF-8 but not an XML character
  [0x00],
];

function invalidUtf8(rng: Rng, corpus: Corpus) {
  const golden = rng.pick(corpus.parsed).bytes;
  const parts: Uint8Array[] = [];
  let last = 0;
  const inserts = rng.range(1, 3);
  const points = Array.from({ length: inserts }, () => rng.int(golden.length + 1)).sort((a, b) => a - b);
  for (const point of points) {
    parts.push(golden.subarray(last, point), Uint8Array.from(rng.pick(INVALID_UTF8)));
    last = point;
  }
  parts.push(golden.subarray(last));
  return { input: new Uint8Array(Buffer.concat(parts)) };
}

function loneSurrogates(rng: Rng, corpus: Corpus) {
  const golden = rng.pick(corpus.parsed).text;
  const at = rng.int(golden.length + 1);
  const surrogate = String.fromCharCode(rng.range(0xd800, 0xdfff));
  return { input: golden.slice(0, at) + surrogate + golden.slice(at) };
}

// ---------------------------------------------------------------------------------------------------
// Running

export interface FuzzFailure {
  fuzzCase: FuzzCase;
  problem: string;
  error?: unknown;
  elapsedMs: number;
}

export interface FuzzSummary {
  seed: number;
  count: number;
  elapsedMs: number;
  /** How many cases ended in each outcome: an error code or a message kind. */
  outcomes: Record<string, number>;
  /** How many cases each generator made. */
  generators: Record<string, number>;
  slowest: { index: number; generator: string; ms: number };
  failures: FuzzFailure[];
}

export interface FuzzOptions {
  seed: number;
  count: number;
  /** First case index (default 0). */
  start?: number;
  /** A case slower than this is a failure: a hang or super-linear parsing (default 2000 ms). */
  maxCaseMs?: number;
  /** Stop after this many failures (default 10). */
  maxFailures?: number;
  onProgress?: (done: number) => void;
}

export function runFuzz(options: FuzzOptions): FuzzSummary {
  const corpus = loadCorpus();
  const maxCaseMs = options.maxCaseMs ?? 2000;
  const maxFailures = options.maxFailures ?? 10;
  const start = options.start ?? 0;
  const summary: FuzzSummary = {
    seed: options.seed,
    count: 0,
    elapsedMs: 0,
    outcomes: {},
    generators: {},
    slowest: { index: -1, generator: "", ms: 0 },
    failures: [],
  };
  const began = performance.now();
  for (let index = start; index < start + options.count; index++) {
    const fuzzCase = generateCase(options.seed, index, corpus);
    const caseStart = performance.now();
    const outcome = checkParse(fuzzCase);
    const elapsedMs = performance.now() - caseStart;
    summary.count += 1;
    summary.generators[fuzzCase.generator] = (summary.generators[fuzzCase.generator] ?? 0) + 1;
    if (elapsedMs > summary.slowest.ms) {
      summary.slowest = { index, generator: fuzzCase.generator, ms: Math.round(elapsedMs) };
    }
    if (!outcome.ok) {
      summary.failures.push({ fuzzCase, problem: outcome.problem, error: outcome.error, elapsedMs });
    } else {
      summary.outcomes[outcome.result] = (summary.outcomes[outcome.result] ?? 0) + 1;
      if (elapsedMs > maxCaseMs) {
        summary.failures.push({
          fuzzCase,
          problem: `took ${Math.round(elapsedMs)} ms (limit ${maxCaseMs} ms): a hang or super-linear parsing`,
          elapsedMs,
        });
      }
    }
    if (summary.failures.length >= maxFailures) break;
    if (options.onProgress && (index - start + 1) % 1000 === 0) options.onProgress(index - start + 1);
  }
  summary.elapsedMs = Math.round(performance.now() - began);
  return summary;
}

/** What to print for a failing case: enough to reproduce it without the generator. */
export function describeFailure(failure: FuzzFailure): string {
  const { fuzzCase } = failure;
  const lines = [
    `fuzz case failed: seed=${fuzzCase.seed} index=${fuzzCase.index} generator=${fuzzCase.generator}`,
    `  problem: ${failure.problem}`,
    `  reproduce: node --import tsx test/fuzz/run.ts --seed ${fuzzCase.seed} --only ${fuzzCase.index}`,
  ];
  if (fuzzCase.limits) lines.push(`  limits: ${JSON.stringify(fuzzCase.limits)}`);
  lines.push(`  input: ${previewInput(fuzzCase.input)}`);
  if (failure.error instanceof Error && failure.error.stack) {
    lines.push(`  stack: ${failure.error.stack.split("\n").slice(0, 8).join("\n    ")}`);
  }
  return lines.join("\n");
}

export function previewInput(input: string | Uint8Array | Element, max = 1500): string {
  if (typeof input === "string") {
    const shown = JSON.stringify(input.length > max ? input.slice(0, max) : input);
    return `string(${input.length} chars) ${shown}${input.length > max ? " …" : ""}`;
  }
  if (input instanceof Uint8Array) {
    const shown = Buffer.from(input.subarray(0, max)).toString("base64");
    return `bytes(${input.byteLength}) base64:${shown}${input.byteLength > max ? " …" : ""}`;
  }
  let text: string;
  try {
    text = input.toString();
  } catch (error) {
    text = `<unprintable element: ${describeError(error)}>`;
  }
  const shown = JSON.stringify(text.length > max ? text.slice(0, max) : text);
  return `Element(${text.length} chars as XML${input.parent ? `, inside <${input.parent.name}>` : ""}) ${shown}`;
}
