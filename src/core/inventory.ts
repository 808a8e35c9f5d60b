// The device inventory: what a device is (serial, PID, location, tags, variables), where it is in its
// lifecycle, and the rules that normalise and validate what operators give us. Pure: no Redis here; the
// store (src/store/inventory-store.ts) implements InventoryStore.
//
// A device's id is its serial number in lower case (`foc1234x0ab`); on XMPP it is also the local part of
// the device's JID. Serials are kept in upper case, as Cisco prints them.

import { PnpError } from "../errors.js";
import type { Selector } from "./selectors.js";

export const LIFECYCLE_STATES = ["unclaimed", "planned", "provisioning", "provisioned", "error"] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];
/** States a claimed device may be moved to with setState (unclaimed is only reached through unclaim). */
export const CLAIMED_STATES: readonly LifecycleState[] = ["planned", "provisioning", "provisioned", "error"];

export function isLifecycleState(value: string): value is LifecycleState {
  return (LIFECYCLE_STATES as readonly string[]).includes(value);
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type Variables = Record<string, JsonValue>;

/** What an operator (CSV row, API call) says about a device. Omitted fields are left as they are. */
export interface DeviceInput {
  serial: string;
  pid?: string;
  vid?: string;
  location?: string;
  tags?: string[];
  variables?: Variables;
  hostname?: string;
  mac?: string;
}

/** A DeviceInput after normalisation: serial upper case, tags lower case sorted unique, MAC aa:bb:…. */
export interface NormalDeviceInput extends DeviceInput {
  id: string;
}

/**
 * One device as stored. Text fields the inventory does not know yet are "" (not undefined), as in the
 * Redis hash.
 */
export interface DeviceRecord {
  id: string;
  serial: string;
  /** The planned PID (or the reported one, for a device nobody planned). */
  pid: string;
  vid: string;
  /** The UDI the device reported, or the one formatted from the plan before it was first seen. */
  udi: string;
  mac: string;
  /** The planned hostname (for day-0 configuration). */
  hostname: string;
  tags: string[];
  location: string;
  variables: Variables;
  state: LifecycleState;
  claimed: boolean;
  /** When the device was last seen (ms), if ever. */
  lastSeen?: number;
  /** The PID the device reported when it differs from the planned one. */
  seenPid?: string;
  /** The hostname the device reported (its current one, not the plan). */
  seenHostname?: string;
  /** Summary of the last results, as the job system recorded it. */
  lastResults?: JsonValue;
  /** Why the device is in the error state. */
  error?: string;
  /** Why it was last unclaimed. */
  unclaimReason?: string;
  stateAt: number;
  createdAt: number;
  updatedAt: number;
}

export interface UpsertOptions {
  /** Validate and report the outcome; write nothing. */
  dryRun?: boolean;
  /** Recorded in the audit entry when the upsert claims an unclaimed device. */
  reason?: string;
}

export interface UpsertResult {
  id: string;
  outcome: "created" | "updated" | "unchanged";
  /** Fields that were (or, in a dry run, would be) changed; sorted. */
  changes: string[];
}

export interface ClaimFields {
  pid?: string;
  location?: string;
  tags?: string[];
  variables?: Variables;
  hostname?: string;
}

export interface ClaimResult {
  id: string;
  /** False when the device already was in the wanted claim state (claim and unclaim are idempotent). */
  changed: boolean;
  outcome: "claimed" | "already-claimed" | "unclaimed" | "already-unclaimed";
  /** Fields claim changed (pid, location, tags, variables, hostname). */
  changes: string[];
}

export interface StateResult {
  id: string;
  changed: boolean;
  from: LifecycleState;
  to: LifecycleState;
}

export interface SeenInfo {
  /** The UDI the device reported; its SN must be the device's serial. */
  udi?: string;
  /** The PID it reported (default: the UDI's). */
  pid?: string;
  /** The hostname it reported. */
  hostname?: string;
}

export interface SeenResult {
  id: string;
  /** True when the device was not in the registry: it is now, as unclaimed. */
  created: boolean;
  state: LifecycleState;
  claimed: boolean;
  /** Set when the device reported a PID other than the planned one (the plan is kept). */
  pidMismatch?: { planned: string; seen: string };
}

export interface ListOptions {
  selector?: Selector;
  /** Shorthand for selector.states. */
  states?: LifecycleState[];
  /** The last id of the previous page (pages are in id order). */
  cursor?: string;
  /** Page size, 1…1000 (default 100). */
  limit?: number;
}

export interface ListPage {
  devices: DeviceRecord[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

export type StateCounts = Record<LifecycleState, number> & { total: number };

export interface InventoryStore {
  /** Creates or updates the device by serial (idempotent); an unclaimed device becomes planned. */
  upsert(input: DeviceInput, options?: UpsertOptions): Promise<UpsertResult>;
  get(id: string): Promise<DeviceRecord | undefined>;
  /** One entry per id, in order; undefined where there is no such device. */
  getMany(ids: string[]): Promise<(DeviceRecord | undefined)[]>;
  delete(id: string, reason?: string): Promise<boolean>;
  setTags(id: string, tags: string[]): Promise<string[]>;
  addTag(id: string, tag: string | string[]): Promise<string[]>;
  removeTag(id: string, tag: string | string[]): Promise<string[]>;
  claim(id: string, fields?: ClaimFields, reason?: string): Promise<ClaimResult>;
  unclaim(id: string, reason: string): Promise<ClaimResult>;
  setState(id: string, state: LifecycleState, error?: string): Promise<StateResult>;
  recordSeen(id: string, at: number, seen: SeenInfo): Promise<SeenResult>;
  recordResults(id: string, summary: JsonValue): Promise<boolean>;
  list(options?: ListOptions): Promise<ListPage>;
  countByState(): Promise<StateCounts>;
  /** Sorted ids of the devices the selector matches, resolved through the indexes. */
  resolve(selector: Selector): Promise<string[]>;
}

export class InventoryError extends PnpError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = "InventoryError";
  }
}

// ---- normalisation and validation ---------------------------------------------------------------------

const SERIAL = /^[A-Za-z0-9]{1,20}$/;
const PID = /^[A-Za-z0-9][A-Za-z0-9/-]{0,39}$/;
const VID = /^[A-Za-z0-9.-]{0,16}$/;
const TAG = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;
const LOCATION_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const HOST_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const VARIABLE_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
export const MAX_LOCATION_DEPTH = 8;
export const MAX_TAGS = 64;
export const MAX_VARIABLES_BYTES = 64 * 1024;

/** Validation problems, as plain sentences; normalisers return the clean value or push a problem. */
type Problems = string[];

function show(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/** The device id of a serial (its lower case). */
export function deviceId(serial: string): string {
  return serial.trim().toLowerCase();
}

export function normaliseSerial(value: string, problems: Problems): string {
  const serial = value.trim();
  if (serial === "") problems.push("serial is empty");
  else if (!SERIAL.test(serial)) problems.push(`serial ${show(serial)} must be 1 to 20 letters or digits`);
  return serial.toUpperCase();
}

/** Ids are lower-case serials; accepts a serial in any case. */
export function normaliseId(value: string, problems: Problems): string {
  const id = value.trim();
  if (!SERIAL.test(id)) problems.push(`device id ${show(id)} must be 1 to 20 letters or digits (a serial)`);
  return id.toLowerCase();
}

export function normalisePid(value: string, problems: Problems): string {
  const pid = value.trim();
  if (pid === "") problems.push("pid is empty");
  else if (!PID.test(pid))
    problems.push(
      `pid ${show(pid)} must be up to 40 letters, digits, "-" or "/", starting with a letter or digit`,
    );
  return pid;
}

export function normaliseVid(value: string, problems: Problems): string {
  const vid = value.trim();
  if (!VID.test(vid)) problems.push(`vid ${show(vid)} must be up to 16 letters, digits, "." or "-"`);
  return vid;
}

/** Tags are lower case; `[a-z0-9][a-z0-9_.:-]*`, up to 64 characters. */
export function normaliseTag(value: string, problems: Problems): string {
  const tag = value.trim().toLowerCase();
  if (!TAG.test(tag))
    problems.push(
      `tag ${show(value.trim())} must be up to 64 letters, digits, "_", ".", ":" or "-", starting with a letter or digit`,
    );
  return tag;
}

/** Sorted, unique, lower-case tags. */
export function normaliseTags(values: readonly string[], problems: Problems): string[] {
  const tags = [...new Set(values.map((v) => normaliseTag(v, problems)))].sort();
  if (tags.length > MAX_TAGS) problems.push(`too many tags (${tags.length}; at most ${MAX_TAGS})`);
  return tags;
}

/** Splits a tag list written with `;` or whitespace between tags. */
export function splitTags(text: string): string[] {
  return text.split(/[;\s]+/).filter((t) => t !== "");
}

/**
 * A location path like `emea/fr/par1`: up to 8 segments of letters, digits, `_`, `.`, `-` (each starting
 * with a letter or digit). A leading or trailing `/` is dropped; "" means no location. Case is kept, and
 * matching is case-sensitive.
 */
export function normaliseLocation(value: string, problems: Problems): string {
  const location = value.trim().replace(/^\/+|\/+$/g, "");
  if (location === "") return "";
  const segments = location.split("/");
  if (segments.length > MAX_LOCATION_DEPTH)
    problems.push(`location ${show(location)} has more than ${MAX_LOCATION_DEPTH} segments`);
  for (const segment of segments) {
    if (segment === "") {
      problems.push(`location ${show(location)} has an empty segment`);
      break;
    }
    if (!LOCATION_SEGMENT.test(segment)) {
      problems.push(
        `location segment ${show(segment)} must be letters, digits, "_", "." or "-", starting with a letter or digit`,
      );
      break;
    }
  }
  return location;
}

/**
 * A MAC address in any usual form (`AA:BB:CC:DD:EE:FF`, `aa-bb-…`, Cisco `aabb.ccdd.eeff`, bare hex),
 * normalised to `aa:bb:cc:dd:ee:ff`. "" means none.
 */
export function normaliseMac(value: string, problems: Problems): string {
  const mac = value.trim();
  if (mac === "") return "";
  let hex: string | undefined;
  if (/^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\1[0-9A-Fa-f]{2}){4}$/.test(mac)) hex = mac.replace(/[:-]/g, "");
  else if (/^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$/.test(mac)) hex = mac.replace(/\./g, "");
  else if (/^[0-9A-Fa-f]{12}$/.test(mac)) hex = mac;
  if (hex === undefined) {
    problems.push(`mac ${show(mac)} is not a MAC address (aa:bb:cc:dd:ee:ff, aa-bb-…, aabb.ccdd.eeff)`);
    return mac;
  }
  return hex.toLowerCase().match(/../g)!.join(":");
}

export function normaliseHostname(value: string, problems: Problems): string {
  const hostname = value.trim();
  if (hostname === "") return "";
  if (hostname.length > 253 || !hostname.split(".").every((label) => HOST_LABEL.test(label)))
    problems.push(`hostname ${show(hostname)} must be DNS labels of letters, digits and "-"`);
  return hostname;
}

/** JSON with object keys sorted, so equal values have equal text (the store compares text). */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > 32) return false;
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJsonValue(v, depth + 1));
  if (typeof value === "object") return Object.values(value).every((v) => isJsonValue(v, depth + 1));
  return false;
}

export function normaliseVariables(value: unknown, problems: Problems): Variables {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push("variables must be an object (k=v;k2=v2 or {...})");
    return {};
  }
  const out: Variables = {};
  for (const [key, v] of Object.entries(value)) {
    if (!VARIABLE_KEY.test(key))
      problems.push(
        `variable name ${show(key)} must be letters, digits, "_", "." or "-", not starting with a digit`,
      );
    else if (!isJsonValue(v)) problems.push(`variable ${key} is not a JSON value`);
    else out[key] = v;
  }
  if (Buffer.byteLength(canonicalJson(out)) > MAX_VARIABLES_BYTES)
    problems.push(`variables are larger than ${MAX_VARIABLES_BYTES} bytes`);
  return out;
}

/** Parses variables written as `k=v;k2=v2` (string values) or as a JSON object. */
export function parseVariables(text: string, problems: Problems): Variables {
  const trimmed = text.trim();
  if (trimmed === "") return {};
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      problems.push(`variables are not valid JSON: ${(err as Error).message}`);
      return {};
    }
    return normaliseVariables(parsed, problems);
  }
  const out: Record<string, string> = {};
  for (const pair of trimmed.split(";")) {
    if (pair.trim() === "") continue;
    const eq = pair.indexOf("=");
    if (eq < 0) {
      problems.push(`variable ${show(pair.trim())} is not k=v`);
      continue;
    }
    const key = pair.slice(0, eq).trim();
    if (Object.hasOwn(out, key)) problems.push(`variable ${show(key)} is given twice`);
    out[key] = pair.slice(eq + 1).trim();
  }
  return normaliseVariables(out, problems);
}

/** Validates and normalises a DeviceInput; `errors` is empty when `value` may be written. */
export function normaliseDeviceInput(
  input: DeviceInput,
  options: { requirePid?: boolean } = {},
): { value: NormalDeviceInput; errors: string[] } {
  const errors: Problems = [];
  const serial = normaliseSerial(input.serial ?? "", errors);
  const value: NormalDeviceInput = { id: serial.toLowerCase(), serial };
  if (input.pid !== undefined || options.requirePid) value.pid = normalisePid(input.pid ?? "", errors);
  if (input.vid !== undefined) value.vid = normaliseVid(input.vid, errors);
  if (input.location !== undefined) value.location = normaliseLocation(input.location, errors);
  if (input.tags !== undefined) value.tags = normaliseTags(input.tags, errors);
  if (input.variables !== undefined) value.variables = normaliseVariables(input.variables, errors);
  if (input.hostname !== undefined) value.hostname = normaliseHostname(input.hostname, errors);
  if (input.mac !== undefined) value.mac = normaliseMac(input.mac, errors);
  return { value, errors };
}

/** Throws INVENTORY_INVALID listing every problem. */
export function assertValid<T>(result: { value: T; errors: string[] }, what: string): T {
  if (result.errors.length > 0)
    throw new InventoryError("INVENTORY_INVALID", `${what}: ${result.errors.join("; ")}`, {
      errors: result.errors,
    });
  return result.value;
}

// ---- import ---------------------------------------------------------------------------------------------

/** An accepted CSV row: the device, and the file line its record starts on. */
export interface ImportRow extends DeviceInput {
  row: number;
}

export interface RejectedRow {
  row: number;
  serial?: string;
  errors: string[];
}

export interface ImportedRow {
  row: number;
  id: string;
  serial: string;
  changes: string[];
}

export interface ImportReport {
  dryRun: boolean;
  created: ImportedRow[];
  updated: ImportedRow[];
  unchanged: ImportedRow[];
  rejected: RejectedRow[];
  counts: { created: number; updated: number; unchanged: number; rejected: number };
}

/**
 * Writes parsed rows (see parseInventoryCsv) through the store, one atomic upsert per row, and reports
 * what was created, updated, unchanged and rejected. With dryRun, the store reports the same outcomes and
 * writes nothing. A row the store refuses is reported as rejected; it wrote nothing.
 */
export async function importInventory(
  store: Pick<InventoryStore, "upsert">,
  parsed: { accepted: ImportRow[]; rejected: RejectedRow[] },
  options: { dryRun?: boolean; concurrency?: number; reason?: string } = {},
): Promise<ImportReport> {
  const dryRun = options.dryRun === true;
  const report: ImportReport = {
    dryRun,
    created: [],
    updated: [],
    unchanged: [],
    rejected: [...parsed.rejected],
    counts: { created: 0, updated: 0, unchanged: 0, rejected: 0 },
  };
  const chunk = Math.max(1, options.concurrency ?? 64);
  for (let i = 0; i < parsed.accepted.length; i += chunk) {
    const rows = parsed.accepted.slice(i, i + chunk);
    const outcomes = await Promise.allSettled(
      rows.map(({ row: _row, ...input }) =>
        store.upsert(input, { dryRun, reason: options.reason ?? "import" }),
      ),
    );
    outcomes.forEach((outcome, j) => {
      const row = rows[j]!;
      if (outcome.status === "rejected") {
        const err = outcome.reason as { details?: { errors?: unknown }; message?: string };
        const errors = Array.isArray(err.details?.errors)
          ? (err.details.errors as string[])
          : [String(err.message ?? err)];
        report.rejected.push({ row: row.row, serial: row.serial, errors });
        return;
      }
      const { id, outcome: what, changes } = outcome.value;
      report[what].push({ row: row.row, id, serial: row.serial.trim().toUpperCase(), changes });
    });
  }
  report.rejected.sort((a, b) => a.row - b.row);
  report.counts = {
    created: report.created.length,
    updated: report.updated.length,
    unchanged: report.unchanged.length,
    rejected: report.rejected.length,
  };
  return report;
}
