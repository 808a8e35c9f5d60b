import {
  assertValid,
  type ClaimFields,
  type ClaimResult,
  canonicalJson,
  type DeviceInput,
  type DeviceRecord,
  InventoryError,
  type InventoryStore,
  isLifecycleState,
  type JsonValue,
  LIFECYCLE_STATES,
  type LifecycleState,
  type ListOptions,
  type ListPage,
  normaliseDeviceInput,
  normaliseHostname,
  normaliseId,
  normaliseLocation,
  normalisePid,
  normaliseTags,
  normaliseVariables,
  type SeenInfo,
  type SeenResult,
  type StateCounts,
  type StateResult,
  type UpsertOptions,
  type UpsertResult,
  type Variables,
} from "../core/inventory.js";
import {
  parseSelectorJson,
  resolveSelector,
  type Selector,
  SelectorError,
  type SelectorIndex,
} from "../core/selectors.js";
import { tryParseUdi } from "../protocol/udi.js";
import { inventoryKeys, type Keys } from "./keys.js";
import type { LuaReply, PnpRedis } from "./redis.js";

export type InventoryKeys = ReturnType<typeof inventoryKeys>;

export interface SavedGroup {
  name: string;
  selector: Selector;
  createdAt: number;
  updatedAt: number;
}

export interface GroupStore {
  /** Creates or replaces a group; the selector is validated. Returns whether it was created. */
  saveGroup(name: string, selector: Selector): Promise<{ created: boolean; group: SavedGroup }>;
  getGroup(name: string): Promise<SavedGroup | undefined>;
  listGroups(): Promise<SavedGroup[]>;
  deleteGroup(name: string): Promise<boolean>;
  /** Sorted ids of the group's devices now; throws GROUP_NOT_FOUND. */
  resolveGroup(name: string): Promise<string[]>;
}

const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

type LuaCommand = (...args: (string | number)[]) => Promise<LuaReply>;

/**
 * The `inventoryApply` command, defined by createRedis from scripts/inventory-apply-4.lua. PnpRedis in
 * redis.ts does not declare it yet (that file has another owner), so it is looked up here, typed.
 */
function inventoryApply(redis: PnpRedis): LuaCommand {
  const command = (redis as unknown as Record<string, LuaCommand | undefined>).inventoryApply;
  if (typeof command !== "function")
    throw new Error("the inventoryApply Lua command is not defined: make the connection with createRedis()");
  return command.bind(redis);
}

function notFound(id: string): InventoryError {
  return new InventoryError("INVENTORY_NOT_FOUND", `no device ${id} in the inventory`, { id });
}

function parseJson<T>(text: string | undefined, fallback: T): T {
  if (text === undefined || text === "") return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function deviceFromHash(hash: Record<string, string>): DeviceRecord | undefined {
  if (!hash.id || !hash.state) return undefined;
  const record: DeviceRecord = {
    id: hash.id,
    serial: hash.serial ?? hash.id.toUpperCase(),
    pid: hash.pid ?? "",
    vid: hash.vid ?? "",
    udi: hash.udi ?? "",
    mac: hash.mac ?? "",
    hostname: hash.hostname ?? "",
    tags: hash.tags ? hash.tags.split(",") : [],
    location: hash.location ?? "",
    variables: parseJson<Variables>(hash.variables, {}),
    state: isLifecycleState(hash.state) ? hash.state : "error",
    claimed: hash.claimed === "1",
    stateAt: Number(hash.stateAt ?? 0),
    createdAt: Number(hash.createdAt ?? 0),
    updatedAt: Number(hash.updatedAt ?? 0),
  };
  if (hash.lastSeen) record.lastSeen = Number(hash.lastSeen);
  if (hash.seenPid) record.seenPid = hash.seenPid;
  if (hash.seenHostname) record.seenHostname = hash.seenHostname;
  if (hash.lastResults) record.lastResults = parseJson<JsonValue>(hash.lastResults, null);
  if (hash.error) record.error = hash.error;
  if (hash.unclaimReason) record.unclaimReason = hash.unclaimReason;
  return record;
}

/** The plan fields of a normalised input as the script's field/value pairs. */
function planPairs(fields: {
  serial?: string;
  pid?: string;
  vid?: string;
  mac?: string;
  hostname?: string;
  tags?: string[];
  location?: string;
  variables?: Variables;
}): string[] {
  const pairs: string[] = [];
  for (const key of ["serial", "pid", "vid", "mac", "hostname", "location"] as const) {
    const value = fields[key];
    if (value !== undefined) pairs.push(key, value);
  }
  if (fields.tags !== undefined) pairs.push("tags", fields.tags.join(","));
  if (fields.variables !== undefined) pairs.push("variables", canonicalJson(fields.variables));
  return pairs;
}

function splitChanges(text: unknown): string[] {
  return String(text ?? "")
    .split(",")
    .filter(Boolean)
    .sort();
}

/**
 * The device registry in Redis. One Lua script (inventory-apply-4.lua) performs every write and keeps
 * the secondary indexes (all ids, per tag, per PID, per location prefix, per state) in step atomically;
 * selectors resolve through those indexes, never by scanning.
 */
export class RedisInventoryStore implements InventoryStore, GroupStore, SelectorIndex {
  readonly k: InventoryKeys;
  private readonly apply: LuaCommand;

  constructor(
    private readonly redis: PnpRedis,
    keys: Keys,
    private readonly streamMaxLen = 100_000,
  ) {
    this.k = inventoryKeys(keys);
    this.apply = inventoryApply(redis);
  }

  private run(op: string, id: string, reason: string, pairs: string[], dryRun = false): Promise<LuaReply> {
    return this.apply(
      this.k.device(id),
      this.k.ids(),
      this.k.audit(),
      this.k.events(),
      this.k.base,
      op,
      id,
      this.streamMaxLen,
      dryRun ? "1" : "0",
      reason,
      ...pairs,
    );
  }

  private id(value: string): string {
    const errors: string[] = [];
    const id = normaliseId(value, errors);
    return assertValid({ value: id, errors }, "device id");
  }

  async upsert(input: DeviceInput, options: UpsertOptions = {}): Promise<UpsertResult> {
    const value = assertValid(normaliseDeviceInput(input), `device ${input.serial}`);
    const { id, ...fields } = value;
    const [outcome, changes] = await this.run(
      "upsert",
      id,
      options.reason ?? "upsert",
      planPairs(fields),
      options.dryRun === true,
    );
    return { id, outcome: outcome as UpsertResult["outcome"], changes: splitChanges(changes) };
  }

  async get(id: string): Promise<DeviceRecord | undefined> {
    return deviceFromHash(await this.redis.hgetall(this.k.device(id.toLowerCase())));
  }

  async getMany(ids: string[]): Promise<(DeviceRecord | undefined)[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.k.device(id.toLowerCase()));
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([err, hash]) => {
      if (err) throw err;
      return deviceFromHash(hash as Record<string, string>);
    });
  }

  async delete(id: string, reason = "deleted"): Promise<boolean> {
    const [ok] = await this.run("delete", this.id(id), reason, []);
    return ok === 1;
  }

  private async tags(id: string, mode: "set" | "add" | "remove", tags: string[]): Promise<string[]> {
    const errors: string[] = [];
    const clean = assertValid({ value: normaliseTags(tags, errors), errors }, `tags of ${id}`);
    const deviceId = this.id(id);
    const [ok, after] = await this.run("tags", deviceId, "", ["mode", mode, "tags", clean.join(",")]);
    if (ok !== 1) throw notFound(deviceId);
    return String(after ?? "")
      .split(",")
      .filter(Boolean);
  }

  setTags(id: string, tags: string[]): Promise<string[]> {
    return this.tags(id, "set", tags);
  }

  addTag(id: string, tag: string | string[]): Promise<string[]> {
    return this.tags(id, "add", Array.isArray(tag) ? tag : [tag]);
  }

  removeTag(id: string, tag: string | string[]): Promise<string[]> {
    return this.tags(id, "remove", Array.isArray(tag) ? tag : [tag]);
  }

  async claim(id: string, fields: ClaimFields = {}, reason = "claimed"): Promise<ClaimResult> {
    const deviceId = this.id(id);
    const errors: string[] = [];
    const plan: Parameters<typeof planPairs>[0] = {};
    if (fields.pid !== undefined) plan.pid = normalisePid(fields.pid, errors);
    if (fields.location !== undefined) plan.location = normaliseLocation(fields.location, errors);
    if (fields.tags !== undefined) plan.tags = normaliseTags(fields.tags, errors);
    if (fields.variables !== undefined) plan.variables = normaliseVariables(fields.variables, errors);
    if (fields.hostname !== undefined) plan.hostname = normaliseHostname(fields.hostname, errors);
    assertValid({ value: plan, errors }, `claim of ${deviceId}`);
    const [ok, outcome, changes] = await this.run("claim", deviceId, reason, planPairs(plan));
    if (ok !== 1) throw notFound(deviceId);
    return {
      id: deviceId,
      changed: outcome === "claimed",
      outcome: outcome as ClaimResult["outcome"],
      changes: splitChanges(changes),
    };
  }

  async unclaim(id: string, reason: string): Promise<ClaimResult> {
    const deviceId = this.id(id);
    if (reason.trim() === "")
      throw new InventoryError("INVENTORY_INVALID", "unclaim needs a reason", { id: deviceId });
    const [ok, outcome] = await this.run("unclaim", deviceId, reason.trim(), []);
    if (ok !== 1) {
      if (outcome === "busy")
        throw new InventoryError(
          "INVENTORY_BUSY",
          `${deviceId} is provisioning; it can be unclaimed when that ends`,
          { id: deviceId },
        );
      throw notFound(deviceId);
    }
    return {
      id: deviceId,
      changed: outcome === "unclaimed",
      outcome: outcome as ClaimResult["outcome"],
      changes: [],
    };
  }

  async setState(id: string, state: LifecycleState, error?: string): Promise<StateResult> {
    const deviceId = this.id(id);
    if (!isLifecycleState(state) || state === "unclaimed")
      throw new InventoryError(
        "INVENTORY_INVALID",
        `state ${JSON.stringify(state)} cannot be set; use planned, provisioning, provisioned or error (unclaim to unclaim)`,
        { id: deviceId, state },
      );
    const [ok, what, from] = await this.run("state", deviceId, "", ["state", state, "error", error ?? ""]);
    if (ok !== 1) {
      if (what === "not-claimed")
        throw new InventoryError("INVENTORY_NOT_CLAIMED", `${deviceId} is unclaimed; claim it first`, {
          id: deviceId,
        });
      throw notFound(deviceId);
    }
    return { id: deviceId, changed: what === "changed", from: from as LifecycleState, to: state };
  }

  async recordSeen(id: string, at: number, seen: SeenInfo): Promise<SeenResult> {
    const deviceId = this.id(id);
    let pid = seen.pid?.trim() ?? "";
    let vid = "";
    let udi = "";
    if (seen.udi !== undefined && seen.udi.trim() !== "") {
      const parsed = tryParseUdi(seen.udi);
      if (!parsed)
        throw new InventoryError(
          "INVENTORY_INVALID",
          `${JSON.stringify(seen.udi.slice(0, 80))} is not a UDI`,
          {
            id: deviceId,
          },
        );
      if (parsed.sn.toLowerCase() !== deviceId)
        throw new InventoryError(
          "INVENTORY_INVALID",
          `the UDI's serial ${parsed.sn} is not the serial of device ${deviceId}`,
          { id: deviceId, udi: seen.udi },
        );
      udi = `PID:${parsed.pid},VID:${parsed.vid},SN:${parsed.sn.toUpperCase()}`;
      vid = parsed.vid;
      if (pid === "") pid = parsed.pid;
    }
    if (!Number.isFinite(at) || at < 0)
      throw new InventoryError("INVENTORY_INVALID", `seen time ${at} is not a time in ms`, { id: deviceId });
    const hostname = (seen.hostname ?? "").trim().slice(0, 253);
    const reply = await this.run("seen", deviceId, "", [
      "at",
      String(Math.floor(at)),
      "udi",
      udi,
      "pid",
      pid.slice(0, 64),
      "vid",
      vid.slice(0, 32),
      "hostname",
      hostname,
    ]);
    const [created, state, claimed, mismatch] = reply;
    const result: SeenResult = {
      id: deviceId,
      created: created === 1,
      state: state as LifecycleState,
      claimed: claimed === "1",
    };
    if (mismatch) result.pidMismatch = { planned: String(mismatch), seen: pid };
    return result;
  }

  async recordResults(id: string, summary: JsonValue): Promise<boolean> {
    const [ok] = await this.run("results", this.id(id), "", ["lastResults", canonicalJson(summary)]);
    return ok === 1;
  }

  async list(options: ListOptions = {}): Promise<ListPage> {
    const limit = Math.min(1000, Math.max(1, Math.floor(options.limit ?? 100)));
    const cursor = options.cursor ? this.id(options.cursor) : undefined;
    const selector: Selector = { ...options.selector };
    if (options.states && options.states.length > 0) selector.states = options.states;
    let ids: string[];
    if (Object.keys(selector).length === 0) {
      ids = await this.redis.zrangebylex(
        this.k.ids(),
        cursor ? `(${cursor}` : "-",
        "+",
        "LIMIT",
        0,
        limit + 1,
      );
    } else {
      const all = await this.resolve(selector);
      const start = cursor === undefined ? 0 : all.findIndex((id) => id > cursor);
      ids = start < 0 ? [] : all.slice(start, start + limit + 1);
    }
    const more = ids.length > limit;
    const page = ids.slice(0, limit);
    const devices = (await this.getMany(page)).filter((d): d is DeviceRecord => d !== undefined);
    const result: ListPage = { devices };
    if (more) result.nextCursor = page[page.length - 1];
    return result;
  }

  async countByState(): Promise<StateCounts> {
    const pipeline = this.redis.pipeline();
    for (const state of LIFECYCLE_STATES) pipeline.scard(this.k.state(state));
    pipeline.zcard(this.k.ids());
    const replies = (await pipeline.exec()) ?? [];
    const counts = { total: Number(replies[LIFECYCLE_STATES.length]?.[1] ?? 0) } as StateCounts;
    LIFECYCLE_STATES.forEach((state, i) => {
      counts[state] = Number(replies[i]?.[1] ?? 0);
    });
    return counts;
  }

  /** Resolves a selector (validated here) through the indexes; sorted ids. */
  resolve(selector: Selector): Promise<string[]> {
    const normal = Object.keys(selector).length === 0 ? {} : parseSelectorJson(selector);
    return resolveSelector(this, normal);
  }

  // ---- SelectorIndex ----

  allIds(): Promise<string[]> {
    return this.redis.zrange(this.k.ids(), "0", "-1");
  }

  withAllTags(tags: string[]): Promise<string[]> {
    return this.redis.sinter(...tags.map((t) => this.k.tag(t)));
  }

  withAnyTag(tags: string[]): Promise<string[]> {
    return this.redis.sunion(...tags.map((t) => this.k.tag(t)));
  }

  knownPids(): Promise<string[]> {
    return this.redis.smembers(this.k.pids());
  }

  withAnyPid(pids: string[]): Promise<string[]> {
    return this.redis.sunion(...pids.map((p) => this.k.pid(p)));
  }

  atLocation(prefix: string): Promise<string[]> {
    return this.redis.smembers(this.k.location(prefix));
  }

  inAnyState(states: LifecycleState[]): Promise<string[]> {
    return this.redis.sunion(...states.map((s) => this.k.state(s)));
  }

  async existing(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const scores = await this.redis.zmscore(this.k.ids(), ...ids);
    return ids.filter((_, i) => scores[i] !== null);
  }

  // ---- saved groups ----

  private groupName(name: string): string {
    if (!GROUP_NAME.test(name))
      throw new InventoryError(
        "GROUP_INVALID",
        `group name ${JSON.stringify(name)} must be up to 64 letters, digits, "_", "." or "-", starting with a letter or digit`,
        { name },
      );
    return name;
  }

  async saveGroup(name: string, selector: Selector): Promise<{ created: boolean; group: SavedGroup }> {
    const groupName = this.groupName(name);
    let normal: Selector;
    try {
      normal = parseSelectorJson(selector);
    } catch (err) {
      if (err instanceof SelectorError)
        throw new InventoryError("GROUP_INVALID", `group ${groupName}: ${err.message}`, {
          errors: err.errors,
        });
      throw err;
    }
    const existing = await this.getGroup(groupName);
    const now = Date.now();
    const group: SavedGroup = {
      name: groupName,
      selector: normal,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    const created = await this.redis.hset(
      this.k.groups(),
      groupName,
      JSON.stringify({ selector: group.selector, createdAt: group.createdAt, updatedAt: group.updatedAt }),
    );
    return { created: created === 1, group };
  }

  private groupFromJson(name: string, text: string): SavedGroup {
    const parsed = JSON.parse(text) as { selector: Selector; createdAt: number; updatedAt: number };
    return { name, selector: parsed.selector, createdAt: parsed.createdAt, updatedAt: parsed.updatedAt };
  }

  async getGroup(name: string): Promise<SavedGroup | undefined> {
    const text = await this.redis.hget(this.k.groups(), name);
    return text === null ? undefined : this.groupFromJson(name, text);
  }

  async listGroups(): Promise<SavedGroup[]> {
    const all = await this.redis.hgetall(this.k.groups());
    return Object.keys(all)
      .sort()
      .map((name) => this.groupFromJson(name, all[name]!));
  }

  async deleteGroup(name: string): Promise<boolean> {
    return (await this.redis.hdel(this.k.groups(), name)) === 1;
  }

  async resolveGroup(name: string): Promise<string[]> {
    const group = await this.getGroup(name);
    if (!group) throw new InventoryError("GROUP_NOT_FOUND", `no group ${JSON.stringify(name)}`, { name });
    return this.resolve(group.selector);
  }
}
