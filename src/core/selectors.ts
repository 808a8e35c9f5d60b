// Device selectors: which devices a job, a group or a listing is about. Pure parsing, validation and
// matching, plus resolution through a SelectorIndex (which the store implements with its Redis sets).
//
// Semantics: every given criterion must hold (AND). `tags`: the device has all of them; `anyTags`: at
// least one of them; `pid`: a glob (`*` any run of characters, `/` included; `?` one character; case
// does not matter); `locationPrefix`: the location is that path or below it (`emea/fr` matches
// `emea/fr/par1`, not `emea/frx`); `ids` and `serials` together are one explicit list of devices (the
// device is one of them); `states`: the device is in one of them.
//
// Two written forms: JSON (`{"tags":["core"],"pid":"C9300-*"}`) and a compact one for the command line:
// `tag:core,any:edge,pid:C9300-*,loc:emea/fr,id:foc1,sn:FOC2,state:planned` (terms joined by commas;
// repeated tag terms add up to "all of", repeated any/id/sn/state terms to lists).

import { PnpError } from "../errors.js";
import {
  isLifecycleState,
  LIFECYCLE_STATES,
  type LifecycleState,
  normaliseId,
  normaliseLocation,
  normaliseSerial,
  normaliseTag,
} from "./inventory.js";

export interface Selector {
  tags?: string[];
  anyTags?: string[];
  pid?: string;
  locationPrefix?: string;
  ids?: string[];
  serials?: string[];
  states?: LifecycleState[];
}

/** What matching looks at in a device. */
export interface SelectorSubject {
  id: string;
  pid: string;
  tags: readonly string[];
  location: string;
  state: LifecycleState;
}

export class SelectorError extends PnpError {
  constructor(readonly errors: string[]) {
    super("SELECTOR_INVALID", `invalid selector: ${errors.join("; ")}`, { errors });
    this.name = "SelectorError";
  }
}

const SELECTOR_FIELDS = ["tags", "anyTags", "pid", "locationPrefix", "ids", "serials", "states"] as const;
const PID_GLOB = /^[A-Za-z0-9/*?-]{1,40}$/;

/** The regular expression of a PID glob: `*` any run (slashes too), `?` one character, case-insensitive. */
export function pidGlobToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "i");
}

export function isGlob(pid: string): boolean {
  return /[*?]/.test(pid);
}

/** True when `location` is `prefix` or lies below it, on a segment boundary. */
export function locationMatches(prefix: string, location: string): boolean {
  return location === prefix || location.startsWith(`${prefix}/`);
}

function uniqueSorted<T extends string>(values: T[]): T[] {
  return [...new Set(values)].sort();
}

function stringList(value: unknown, field: string, errors: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    errors.push(`${field} must be a list of strings`);
    return undefined;
  }
  if (value.length === 0) {
    errors.push(`${field} is an empty list`);
    return undefined;
  }
  return value;
}

/**
 * Validates a selector in its JSON form and returns it normalised (tags lower case, ids lower case,
 * serials upper case, lists unique and sorted, location without surrounding slashes). Throws
 * SelectorError with every problem. An empty selector is refused: it would match every device.
 */
export function parseSelectorJson(value: unknown): Selector {
  const errors: string[] = [];
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new SelectorError(["a selector must be an object"]);
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw))
    if (!(SELECTOR_FIELDS as readonly string[]).includes(key))
      errors.push(`unknown field "${key}"; expected ${SELECTOR_FIELDS.join(", ")}`);
  const out: Selector = {};
  const tags = stringList(raw.tags, "tags", errors);
  if (tags) out.tags = uniqueSorted(tags.map((t) => normaliseTag(t, errors)));
  const anyTags = stringList(raw.anyTags, "anyTags", errors);
  if (anyTags) out.anyTags = uniqueSorted(anyTags.map((t) => normaliseTag(t, errors)));
  if (raw.pid !== undefined) {
    if (typeof raw.pid !== "string" || !PID_GLOB.test(raw.pid.trim()))
      errors.push(
        `pid ${JSON.stringify(raw.pid)} must be a PID or glob of letters, digits, "-", "/", "*", "?"`,
      );
    else out.pid = raw.pid.trim();
  }
  if (raw.locationPrefix !== undefined) {
    if (typeof raw.locationPrefix !== "string") errors.push("locationPrefix must be a string");
    else {
      const location = normaliseLocation(raw.locationPrefix, errors);
      if (location === "") errors.push("locationPrefix is empty");
      else out.locationPrefix = location;
    }
  }
  const ids = stringList(raw.ids, "ids", errors);
  if (ids) out.ids = uniqueSorted(ids.map((id) => normaliseId(id, errors)));
  const serials = stringList(raw.serials, "serials", errors);
  if (serials) out.serials = uniqueSorted(serials.map((s) => normaliseSerial(s, errors)));
  const states = stringList(raw.states, "states", errors);
  if (states) {
    const bad = states.filter((s) => !isLifecycleState(s));
    if (bad.length > 0)
      errors.push(
        `unknown state ${bad.map((s) => JSON.stringify(s)).join(", ")}; expected ${LIFECYCLE_STATES.join(", ")}`,
      );
    else out.states = uniqueSorted(states as LifecycleState[]);
  }
  if (errors.length === 0 && Object.keys(out).length === 0)
    errors.push("the selector has no criteria (it would match every device)");
  if (errors.length > 0) throw new SelectorError(errors);
  return out;
}

const COMPACT_KEYS: Record<string, "tag" | "any" | "pid" | "loc" | "id" | "sn" | "state"> = {
  tag: "tag",
  any: "any",
  anytag: "any",
  pid: "pid",
  loc: "loc",
  location: "loc",
  id: "id",
  sn: "sn",
  serial: "sn",
  state: "state",
};

/** Parses the compact form `tag:core,pid:C9300-*,loc:emea/fr,id:foc1,id:foc2` (see the file header). */
export function parseSelectorString(text: string): Selector {
  const errors: string[] = [];
  const raw: {
    tags: string[];
    anyTags: string[];
    ids: string[];
    serials: string[];
    states: string[];
    pid?: string;
    locationPrefix?: string;
  } = { tags: [], anyTags: [], ids: [], serials: [], states: [] };
  const terms = text.split(",");
  if (text.trim() === "") throw new SelectorError(["the selector is empty"]);
  terms.forEach((term, i) => {
    const where = `term ${i + 1} (${JSON.stringify(term.trim())})`;
    const trimmed = term.trim();
    if (trimmed === "") {
      errors.push(`term ${i + 1} is empty (two commas in a row, or a comma at an end)`);
      return;
    }
    const colon = trimmed.indexOf(":");
    if (colon < 0) {
      errors.push(`${where} is not key:value; keys are ${Object.keys(COMPACT_KEYS).join(", ")}`);
      return;
    }
    const key = COMPACT_KEYS[trimmed.slice(0, colon).trim().toLowerCase()];
    const value = trimmed.slice(colon + 1).trim();
    if (!key) {
      errors.push(
        `${where}: unknown key "${trimmed.slice(0, colon).trim()}"; keys are ${Object.keys(COMPACT_KEYS).join(", ")}`,
      );
      return;
    }
    if (value === "") {
      errors.push(`${where}: no value after "${key}:"`);
      return;
    }
    switch (key) {
      case "tag":
        raw.tags.push(value);
        break;
      case "any":
        raw.anyTags.push(value);
        break;
      case "id":
        raw.ids.push(value);
        break;
      case "sn":
        raw.serials.push(value);
        break;
      case "state":
        raw.states.push(value);
        break;
      case "pid":
        if (raw.pid !== undefined)
          errors.push(`${where}: pid is given twice (a device has one PID; use a glob)`);
        raw.pid = value;
        break;
      case "loc":
        if (raw.locationPrefix !== undefined)
          errors.push(`${where}: loc is given twice (a device has one location)`);
        raw.locationPrefix = value;
        break;
    }
  });
  if (errors.length > 0) throw new SelectorError(errors);
  const json: Record<string, unknown> = {};
  for (const field of ["tags", "anyTags", "ids", "serials", "states"] as const)
    if (raw[field].length > 0) json[field] = raw[field];
  if (raw.pid !== undefined) json.pid = raw.pid;
  if (raw.locationPrefix !== undefined) json.locationPrefix = raw.locationPrefix;
  return parseSelectorJson(json);
}

/** Either form: JSON when the text starts with `{`, the compact form otherwise. */
export function parseSelector(text: string): Selector {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return parseSelectorString(trimmed);
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (err) {
    throw new SelectorError([`not valid JSON: ${(err as Error).message}`]);
  }
  return parseSelectorJson(value);
}

/** The compact form of a (valid) selector; parseSelectorString(formatSelector(s)) equals s. */
export function formatSelector(selector: Selector): string {
  const terms: string[] = [];
  for (const t of selector.tags ?? []) terms.push(`tag:${t}`);
  for (const t of selector.anyTags ?? []) terms.push(`any:${t}`);
  if (selector.pid !== undefined) terms.push(`pid:${selector.pid}`);
  if (selector.locationPrefix !== undefined) terms.push(`loc:${selector.locationPrefix}`);
  for (const id of selector.ids ?? []) terms.push(`id:${id}`);
  for (const sn of selector.serials ?? []) terms.push(`sn:${sn}`);
  for (const s of selector.states ?? []) terms.push(`state:${s}`);
  return terms.join(",");
}

/** The explicit device ids a selector names (ids and serials together), or undefined when it names none. */
export function explicitIds(selector: Selector): string[] | undefined {
  if (!selector.ids && !selector.serials) return undefined;
  return uniqueSorted([...(selector.ids ?? []), ...(selector.serials ?? []).map((s) => s.toLowerCase())]);
}

/** Does the device match? The selector must be normalised (parseSelector*). */
export function matchSelector(selector: Selector, device: SelectorSubject): boolean {
  const explicit = explicitIds(selector);
  if (explicit && !explicit.includes(device.id)) return false;
  if (selector.tags && !selector.tags.every((t) => device.tags.includes(t))) return false;
  if (selector.anyTags && !selector.anyTags.some((t) => device.tags.includes(t))) return false;
  if (selector.pid !== undefined && !pidGlobToRegExp(selector.pid).test(device.pid)) return false;
  if (selector.locationPrefix !== undefined && !locationMatches(selector.locationPrefix, device.location))
    return false;
  if (selector.states && !selector.states.includes(device.state)) return false;
  return true;
}

/** The inventory's secondary indexes, as resolution needs them. Every method returns ids. */
export interface SelectorIndex {
  allIds(): Promise<string[]>;
  /** Devices that have every one of these tags. */
  withAllTags(tags: string[]): Promise<string[]>;
  /** Devices that have at least one of these tags. */
  withAnyTag(tags: string[]): Promise<string[]>;
  /** Every PID some device has. */
  knownPids(): Promise<string[]>;
  withAnyPid(pids: string[]): Promise<string[]>;
  /** Devices at this location or below it. */
  atLocation(prefix: string): Promise<string[]>;
  inAnyState(states: LifecycleState[]): Promise<string[]>;
  /** Those of these ids that are devices. */
  existing(ids: string[]): Promise<string[]>;
}

/**
 * Sorted ids of the devices matching a (normalised) selector, from the indexes alone: each criterion is
 * one set (tag intersection, unions for any-tags, PIDs matching the glob and states), and the result is
 * their intersection. An empty selector resolves to every device.
 */
export async function resolveSelector(index: SelectorIndex, selector: Selector): Promise<string[]> {
  const lookups: Promise<string[]>[] = [];
  const explicit = explicitIds(selector);
  if (explicit) lookups.push(index.existing(explicit));
  if (selector.tags) lookups.push(index.withAllTags(selector.tags));
  if (selector.anyTags) lookups.push(index.withAnyTag(selector.anyTags));
  if (selector.pid !== undefined) {
    const glob = pidGlobToRegExp(selector.pid);
    lookups.push(
      index.knownPids().then((pids) => {
        const matching = pids.filter((p) => glob.test(p));
        return matching.length === 0 ? [] : index.withAnyPid(matching);
      }),
    );
  }
  if (selector.locationPrefix !== undefined) lookups.push(index.atLocation(selector.locationPrefix));
  if (selector.states) lookups.push(index.inAnyState(selector.states));
  if (lookups.length === 0) return (await index.allIds()).sort();
  const sets = (await Promise.all(lookups)).sort((a, b) => a.length - b.length);
  let result = new Set(sets[0]);
  for (const other of sets.slice(1)) {
    if (result.size === 0) break;
    const next = new Set(other);
    result = new Set([...result].filter((id) => next.has(id)));
  }
  return [...result].sort();
}
