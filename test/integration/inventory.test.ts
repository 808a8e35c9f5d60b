import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerInventoryCommands, resolveInventoryTarget } from "../../src/cli/inventory-commands.js";
import { parseInventoryCsv } from "../../src/core/csv-import.js";
import {
  type DeviceRecord,
  type ImportReport,
  importInventory,
  LIFECYCLE_STATES,
  type LifecycleState,
} from "../../src/core/inventory.js";
import { matchSelector, parseSelectorString } from "../../src/core/selectors.js";
import { type InventoryKeys, RedisInventoryStore } from "../../src/store/inventory-store.js";
import { createKeys, inventoryKeys } from "../../src/store/keys.js";
import type { PnpRedis } from "../../src/store/redis.js";
import { testConfig, testRedis } from "../helpers/fixtures.js";

const fixturePath = (name: string) =>
  fileURLToPath(new URL(`../fixtures/inventory/${name}`, import.meta.url));
const fixture = (name: string) => readFileSync(fixturePath(name), "utf8");

const config = testConfig();
const redis: PnpRedis = testRedis(config);
let storeCount = 0;

/** A store on a key prefix of its own, so each test sees only its own devices. */
function freshStore(): { store: RedisInventoryStore; k: InventoryKeys; prefix: string } {
  const prefix = `${config.redisPrefix}-${++storeCount}`;
  const keys = createKeys(prefix);
  return { store: new RedisInventoryStore(redis, keys, 1000), k: inventoryKeys(keys), prefix };
}

async function keysUnder(pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    out.push(...batch);
    cursor = next;
  } while (cursor !== "0");
  return out.sort();
}

/** Every key under the prefix with its serialised value: equal snapshots mean nothing was written. */
async function snapshot(prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of await keysUnder(`{${prefix}}*`))
    out.set(key, (await redis.dumpBuffer(key))!.toString("hex"));
  return out;
}

async function auditEntries(k: InventoryKeys): Promise<Record<string, string>[]> {
  const entries = await redis.xrange(k.audit(), "-", "+");
  return entries.map(([, flat]) => {
    const out: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
    return out;
  });
}

async function allDevices(store: RedisInventoryStore): Promise<DeviceRecord[]> {
  return (await store.getMany(await store.allIds())).filter((d): d is DeviceRecord => d !== undefined);
}

function locationPrefixes(location: string): string[] {
  if (location === "") return [];
  const segments = location.split("/");
  return segments.map((_, i) => segments.slice(0, i + 1).join("/"));
}

/**
 * The indexes must be exactly what the device hashes imply: every set under tag:, pid:, loc:, state:
 * holds the devices that have that value, no set is stale, and the tags/pids registries list the
 * values in use.
 */
async function expectIndexesConsistent(store: RedisInventoryStore, k: InventoryKeys): Promise<void> {
  const devices = await allDevices(store);
  const expected = new Map<string, Set<string>>();
  const add = (key: string, id: string) => {
    if (!expected.has(key)) expected.set(key, new Set());
    expected.get(key)!.add(id);
  };
  for (const d of devices) {
    for (const tag of d.tags) add(k.tag(tag), d.id);
    if (d.pid) add(k.pid(d.pid), d.id);
    for (const p of locationPrefixes(d.location)) add(k.location(p), d.id);
    add(k.state(d.state), d.id);
  }
  const actualKeys = (
    await Promise.all(["tag:*", "pid:*", "loc:*", "state:*"].map((p) => keysUnder(`${k.base}${p}`)))
  ).flat();
  expect(actualKeys.sort()).toEqual([...expected.keys()].sort());
  for (const [key, ids] of expected) expect((await redis.smembers(key)).sort()).toEqual([...ids].sort());
  expect((await redis.smembers(k.tags())).sort()).toEqual(
    [...new Set(devices.flatMap((d) => d.tags))].sort(),
  );
  expect((await redis.smembers(k.pids())).sort()).toEqual(
    [...new Set(devices.map((d) => d.pid).filter(Boolean))].sort(),
  );
}

afterAll(() => {
  redis.disconnect();
});

describe("device registry", () => {
  it("upsert is idempotent by serial and reports what changed", async () => {
    const { store } = freshStore();
    const input = {
      serial: "foc1234x0ab",
      pid: "C9300-24T",
      vid: "V01",
      location: "emea/fr/par1",
      tags: ["Core", "access"],
      variables: { vlan: 10, mgmt: { ip: "10.0.0.1", mask: "255.255.255.0" } },
      hostname: "par1-sw1",
      mac: "001A.2B3C.4D5E",
    };
    expect(await store.upsert(input)).toMatchObject({ id: "foc1234x0ab", outcome: "created" });
    const created = (await store.get("FOC1234X0AB"))!;
    expect(created).toMatchObject({
      id: "foc1234x0ab",
      serial: "FOC1234X0AB",
      pid: "C9300-24T",
      udi: "PID:C9300-24T,VID:V01,SN:FOC1234X0AB",
      mac: "00:1a:2b:3c:4d:5e",
      tags: ["access", "core"],
      variables: { vlan: 10, mgmt: { ip: "10.0.0.1", mask: "255.255.255.0" } },
      state: "planned",
      claimed: true,
    });
    expect(created.createdAt).toBeGreaterThan(0);
    expect(created.lastSeen).toBeUndefined();

    // Same values, other spellings (serial case, tag order and case, variable key order, MAC form).
    const again = await store.upsert({
      ...input,
      serial: "FOC1234X0AB",
      tags: ["ACCESS", "core"],
      variables: { mgmt: { mask: "255.255.255.0", ip: "10.0.0.1" }, vlan: 10 },
      mac: "00-1a-2b-3c-4d-5e",
    });
    expect(again).toEqual({ id: "foc1234x0ab", outcome: "unchanged", changes: [] });
    expect((await store.get("foc1234x0ab"))!.updatedAt).toBe(created.updatedAt);

    const changed = await store.upsert({ serial: "FOC1234X0AB", pid: "C9300-48P", location: "emea/fr/par2" });
    expect(changed).toEqual({ id: "foc1234x0ab", outcome: "updated", changes: ["location", "pid"] });
    const after = (await store.get("foc1234x0ab"))!;
    expect(after).toMatchObject({ pid: "C9300-48P", location: "emea/fr/par2", hostname: "par1-sw1" });
    expect(after.udi).toBe("PID:C9300-48P,VID:V01,SN:FOC1234X0AB");
    expect(await store.countByState()).toMatchObject({ planned: 1, total: 1 });
  });

  it("refuses invalid input with every reason, and writes nothing", async () => {
    const { store, prefix } = freshStore();
    const err = await store
      .upsert({ serial: "FOC-1", pid: "C9300 24T", mac: "nope", tags: ["ok", "not ok"] })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "INVENTORY_INVALID" });
    expect((err as { details: { errors: string[] } }).details.errors).toHaveLength(4);
    expect(await snapshot(prefix)).toEqual(new Map());
  });

  it("a dry-run upsert reports the outcome and writes nothing", async () => {
    const { store, prefix } = freshStore();
    expect(await store.upsert({ serial: "A1", pid: "C1" }, { dryRun: true })).toMatchObject({
      outcome: "created",
    });
    expect(await snapshot(prefix)).toEqual(new Map());
    await store.upsert({ serial: "A1", pid: "C1" });
    const before = await snapshot(prefix);
    expect(await store.upsert({ serial: "A1", pid: "C2", tags: ["x"] }, { dryRun: true })).toEqual({
      id: "a1",
      outcome: "updated",
      changes: ["pid", "tags"],
    });
    expect(await snapshot(prefix)).toEqual(before);
  });

  it("keeps the indexes right through tag changes, PID, location and state changes, and deletes", async () => {
    const { store, k } = freshStore();
    await store.upsert({
      serial: "D1",
      pid: "C9300-24T",
      location: "emea/fr/par1",
      tags: ["core", "access"],
    });
    await store.upsert({ serial: "D2", pid: "C9300-24T", location: "emea/fr/par2", tags: ["core"] });
    await store.upsert({ serial: "D3", pid: "ISR4451-X/K9", location: "emea/frx", tags: ["edge"] });
    await expectIndexesConsistent(store, k);
    expect((await redis.smembers(k.location("emea/fr"))).sort()).toEqual(["d1", "d2"]);
    expect((await redis.smembers(k.location("emea"))).sort()).toEqual(["d1", "d2", "d3"]);

    expect(await store.addTag("d1", ["Lab", "core"])).toEqual(["access", "core", "lab"]);
    expect(await store.removeTag("D1", "access")).toEqual(["core", "lab"]);
    expect(await store.setTags("d3", ["wan"])).toEqual(["wan"]);
    await expectIndexesConsistent(store, k);
    expect(await redis.exists(k.tag("access"), k.tag("edge"))).toBe(0);
    expect((await redis.smembers(k.tags())).sort()).toEqual(["core", "lab", "wan"]);

    await store.upsert({ serial: "D2", pid: "C9300-48P", location: "amer/us" });
    await store.claim("d3", {}); // already claimed: nothing changes
    await store.setState("d3", "provisioning");
    await expectIndexesConsistent(store, k);
    expect((await redis.smembers(k.pid("C9300-24T"))).sort()).toEqual(["d1"]);
    expect(await redis.smembers(k.state("provisioning"))).toEqual(["d3"]);

    expect(await store.delete("d1")).toBe(true);
    expect(await store.delete("d1")).toBe(false);
    await expectIndexesConsistent(store, k);
    expect(await redis.exists(k.pid("C9300-24T"), k.tag("lab"), k.location("emea/fr"))).toBe(0);
    expect(await redis.smembers(k.pids())).not.toContain("C9300-24T");
    expect(await store.get("d1")).toBeUndefined();
    expect(await store.allIds()).toEqual(["d2", "d3"]);
    expect(await auditEntries(k)).toContainEqual(
      expect.objectContaining({ kind: "delete", id: "d1", from: "planned" }),
    );

    await expect(store.addTag("nosuch", "x")).rejects.toMatchObject({ code: "INVENTORY_NOT_FOUND" });
    await expect(store.addTag("d2", "bad tag")).rejects.toMatchObject({ code: "INVENTORY_INVALID" });
  });

  it("getMany answers in order, with undefined for unknown ids", async () => {
    const { store } = freshStore();
    await store.upsert({ serial: "G1", pid: "C1" });
    await store.upsert({ serial: "G2", pid: "C1" });
    const got = await store.getMany(["g2", "nope", "G1"]);
    expect(got.map((d) => d?.id)).toEqual(["g2", undefined, "g1"]);
  });

  it("recordSeen creates unclaimed devices, keeps lastSeen moving forward, and reports PID mismatches", async () => {
    const { store, k } = freshStore();
    const seen = await store.recordSeen("foc1", 1_000, {
      udi: "PID:C9300-24T,VID:V02,SN:FOC1",
      hostname: "Switch",
    });
    expect(seen).toEqual({ id: "foc1", created: true, state: "unclaimed", claimed: false });
    expect(await store.get("foc1")).toMatchObject({
      serial: "FOC1",
      pid: "C9300-24T",
      vid: "V02",
      udi: "PID:C9300-24T,VID:V02,SN:FOC1",
      seenHostname: "Switch",
      lastSeen: 1_000,
      state: "unclaimed",
      claimed: false,
    });
    expect(await redis.smembers(k.state("unclaimed"))).toEqual(["foc1"]);

    // An older report changes nothing.
    await store.recordSeen("foc1", 500, { udi: "PID:C9300-48P,VID:V09,SN:FOC1", hostname: "Old" });
    expect(await store.get("foc1")).toMatchObject({
      lastSeen: 1_000,
      pid: "C9300-24T",
      seenHostname: "Switch",
    });

    // Planned with another PID: the plan stays and the mismatch is reported on every sighting.
    await store.upsert({ serial: "FOC1", pid: "C9300-48P" });
    const mismatch = await store.recordSeen("foc1", 2_000, { udi: "PID:C9300-24T,VID:V02,SN:FOC1" });
    expect(mismatch).toEqual({
      id: "foc1",
      created: false,
      state: "planned",
      claimed: true,
      pidMismatch: { planned: "C9300-48P", seen: "C9300-24T" },
    });
    expect(await store.get("foc1")).toMatchObject({
      pid: "C9300-48P",
      seenPid: "C9300-24T",
      lastSeen: 2_000,
    });
    expect((await store.recordSeen("foc1", 1_500, {})).pidMismatch).toEqual({
      planned: "C9300-48P",
      seen: "",
    });
    await expectIndexesConsistent(store, k);

    await expect(
      store.recordSeen("foc1", 3_000, { udi: "PID:C9300-24T,VID:,SN:FOC2" }),
    ).rejects.toMatchObject({
      code: "INVENTORY_INVALID",
    });
    await expect(store.recordSeen("foc1", 3_000, { udi: "garbage" })).rejects.toMatchObject({
      code: "INVENTORY_INVALID",
    });
  });

  it("setState moves claimed devices only, keeps the error text in the error state, and is idempotent", async () => {
    const { store, k } = freshStore();
    await store.upsert({ serial: "S1", pid: "C1" });
    expect(await store.setState("s1", "provisioning")).toEqual({
      id: "s1",
      changed: true,
      from: "planned",
      to: "provisioning",
    });
    expect((await store.setState("s1", "provisioning")).changed).toBe(false);
    expect(await store.setState("s1", "error", "image install failed")).toMatchObject({ changed: true });
    expect(await store.get("s1")).toMatchObject({ state: "error", error: "image install failed" });
    expect((await store.setState("s1", "error", "another reason")).changed).toBe(true);
    await store.setState("s1", "provisioned", "ignored outside error");
    const done = (await store.get("s1"))!;
    expect(done.state).toBe("provisioned");
    expect(done.error).toBeUndefined();
    await expect(store.setState("s1", "unclaimed")).rejects.toMatchObject({ code: "INVENTORY_INVALID" });
    await expect(store.setState("s1", "gone" as LifecycleState)).rejects.toMatchObject({
      code: "INVENTORY_INVALID",
    });
    await expect(store.setState("nosuch", "planned")).rejects.toMatchObject({ code: "INVENTORY_NOT_FOUND" });
    await store.recordSeen("u1", 1, {});
    await expect(store.setState("u1", "provisioning")).rejects.toMatchObject({
      code: "INVENTORY_NOT_CLAIMED",
    });
    const events = (await redis.xrange(k.events(), "-", "+")).map(([, f]) => f.join(" "));
    expect(events.filter((e) => e.includes("change state") && e.includes("id s1"))).toHaveLength(4);
    expect(await store.countByState()).toEqual({
      unclaimed: 1,
      planned: 0,
      provisioning: 0,
      provisioned: 1,
      error: 0,
      total: 2,
    });
  });

  it("recordResults stores the summary", async () => {
    const { store } = freshStore();
    await store.upsert({ serial: "R1", pid: "C1" });
    expect(await store.recordResults("r1", { job: "j1", ok: 3, failed: 0 })).toBe(true);
    expect((await store.get("r1"))!.lastResults).toEqual({ failed: 0, job: "j1", ok: 3 });
    expect(await store.recordResults("nosuch", {})).toBe(false);
  });
});

describe("claim and unclaim", () => {
  it("claim moves unclaimed to planned with the given plan; both are idempotent and audited", async () => {
    const { store, k } = freshStore();
    await store.recordSeen("foc9", 10, { udi: "PID:C9300-24T,VID:V01,SN:FOC9" });

    const claimed = await store.claim(
      "FOC9",
      { location: "emea/fr/par1", tags: ["core"], variables: { vlan: 20 } },
      "ticket 42",
    );
    expect(claimed).toEqual({
      id: "foc9",
      changed: true,
      outcome: "claimed",
      changes: ["location", "tags", "variables"],
    });
    expect(await store.get("foc9")).toMatchObject({
      state: "planned",
      claimed: true,
      pid: "C9300-24T",
      location: "emea/fr/par1",
      tags: ["core"],
      variables: { vlan: 20 },
    });
    expect(await store.claim("foc9", { location: "emea/fr/par1" })).toEqual({
      id: "foc9",
      changed: false,
      outcome: "already-claimed",
      changes: [],
    });

    await store.setState("foc9", "provisioning");
    await expect(store.unclaim("foc9", "wrong site")).rejects.toMatchObject({ code: "INVENTORY_BUSY" });
    await store.setState("foc9", "provisioned");

    expect(await store.unclaim("foc9", "returned to stock")).toMatchObject({
      changed: true,
      outcome: "unclaimed",
    });
    expect(await store.unclaim("foc9", "again")).toMatchObject({
      changed: false,
      outcome: "already-unclaimed",
    });
    const unclaimed = (await store.get("foc9"))!;
    expect(unclaimed).toMatchObject({
      state: "unclaimed",
      claimed: false,
      unclaimReason: "returned to stock",
      location: "",
      tags: [],
      variables: {},
      pid: "C9300-24T",
      serial: "FOC9",
    });
    await expectIndexesConsistent(store, k);

    const audit = await auditEntries(k);
    expect(audit.map((a) => [a.kind, a.id, a.reason, a.from, a.to])).toEqual([
      ["claim", "foc9", "ticket 42", "unclaimed", "planned"],
      ["unclaim", "foc9", "returned to stock", "provisioned", "unclaimed"],
    ]);
    expect(JSON.parse(audit[1]!.plan!)).toMatchObject({
      location: "emea/fr/par1",
      tags: "core",
      state: "provisioned",
    });
    expect(Number(audit[0]!.ts)).toBeGreaterThan(0);

    await expect(store.unclaim("foc9", "  ")).rejects.toMatchObject({ code: "INVENTORY_INVALID" });
    await expect(store.claim("nosuch")).rejects.toMatchObject({ code: "INVENTORY_NOT_FOUND" });
    await expect(store.unclaim("nosuch", "x")).rejects.toMatchObject({ code: "INVENTORY_NOT_FOUND" });
    await expect(store.claim("foc9", { pid: "bad pid" })).rejects.toMatchObject({
      code: "INVENTORY_INVALID",
    });
  });

  it("an upsert (import) of an unclaimed device claims it, audited with the import's reason", async () => {
    const { store, k } = freshStore();
    await store.recordSeen("jae1", 10, { pid: "C9300-24T" });
    expect(await store.upsert({ serial: "JAE1", pid: "C9300-24T" }, { reason: "import a.csv" })).toEqual({
      id: "jae1",
      outcome: "updated",
      changes: ["claimed"],
    });
    expect(await store.get("jae1")).toMatchObject({ state: "planned", claimed: true });
    expect(await auditEntries(k)).toEqual([
      expect.objectContaining({ kind: "claim", id: "jae1", reason: "import a.csv", from: "unclaimed" }),
    ]);
  });
});

describe("CSV import against Redis", () => {
  it("reports created, updated, unchanged and rejected rows, and a dry run writes nothing", async () => {
    const { store, k, prefix } = freshStore();
    const good = parseInventoryCsv(fixture("good.csv"));

    const dry = await importInventory(store, good, { dryRun: true });
    expect(dry.counts).toEqual({ created: 4, updated: 0, unchanged: 0, rejected: 0 });
    expect(await snapshot(prefix)).toEqual(new Map());

    const first = await importInventory(store, good);
    expect(first.counts).toEqual({ created: 4, updated: 0, unchanged: 0, rejected: 0 });
    expect(first.created.map((r) => [r.row, r.id])).toEqual([
      [2, "foc1234x0ab"],
      [3, "foc1234x0ac"],
      [4, "jae98765432"],
      [6, "fdo11112222"],
    ]);
    expect(await store.get("jae98765432")).toMatchObject({
      variables: { note: "has, a comma", quote: 'say "hi"' },
      tags: ["core"],
    });
    await expectIndexesConsistent(store, k);

    expect((await importInventory(store, good)).counts).toEqual({
      created: 0,
      updated: 0,
      unchanged: 4,
      rejected: 0,
    });

    // One row changed, one new, one bad: a dry run predicts it exactly and changes nothing.
    const edited = parseInventoryCsv(
      [
        "serial,pid,location,tags",
        "FOC1234X0AB,C9300-24T,emea/fr/par1,access;core",
        "FOC1234X0AC,ISR4451-X/K9,emea/fr/par3,edge;wan",
        "NEW0001,C9200L-24P-4G,emea/fr/par3,access",
        "BAD!,C9300-24T,emea,core",
      ].join("\r\n"),
    );
    const before = await snapshot(prefix);
    const predicted = await importInventory(store, edited, { dryRun: true });
    expect(await snapshot(prefix)).toEqual(before);
    const applied = await importInventory(store, edited);
    const strip = (r: ImportReport) => ({ ...r, dryRun: undefined });
    expect(strip(applied)).toEqual(strip(predicted));
    expect(applied.counts).toEqual({ created: 1, updated: 1, unchanged: 1, rejected: 1 });
    expect(applied.updated).toEqual([
      { row: 3, id: "foc1234x0ac", serial: "FOC1234X0AC", changes: ["location"] },
    ]);
    expect(applied.rejected).toEqual([
      { row: 5, serial: "BAD!", errors: [expect.stringMatching(/^serial/)] },
    ]);
    expect(await store.countByState()).toMatchObject({ planned: 5, total: 5 });
  });

  it("rejected rows write nothing, valid rows of the same file are written", async () => {
    const { store, k } = freshStore();
    const report = await importInventory(store, parseInventoryCsv(fixture("bad-rows.csv")));
    expect(report.counts).toEqual({ created: 1, updated: 0, unchanged: 0, rejected: 8 });
    expect(await store.allIds()).toEqual(["good0001"]);
    for (const serial of ["dup0001", "good0002", "nopid0001", "shortrow"])
      expect(await store.get(serial)).toBeUndefined();
    await expectIndexesConsistent(store, k);
  });
});

describe("selectors on 500 devices", () => {
  const { store, k } = freshStore();
  const pids = ["C9300-24T", "C9300-48P", "ISR4451-X/K9", "CISCO2901/K9", "C9200L-24P-4G", "C9300L-24T"];
  const locations = ["emea/fr/par1", "emea/fr/par2", "emea/frx/lil1", "emea/de/fra1", "amer/us/nyc1", ""];
  const tagPool = ["core", "access", "edge", "wan", "lab", "pci"];
  const states: LifecycleState[] = ["planned", "provisioning", "provisioned", "error"];

  beforeAll(async () => {
    const serials = Array.from({ length: 500 }, (_, i) => `SN${String(i).padStart(5, "0")}`);
    await Promise.all(
      serials.map(async (serial, i) => {
        if (i % 10 === 9) {
          // A tenth are seen but not planned.
          await store.recordSeen(serial.toLowerCase(), 1_000 + i, { pid: pids[i % pids.length]! });
          return;
        }
        await store.upsert({
          serial,
          pid: pids[i % pids.length]!,
          location: locations[Math.floor(i / 7) % locations.length]!,
          tags: tagPool.filter((_, j) => ((i * 13) >> j) % 2 === 1),
        });
        const state = states[Math.floor(i / 3) % states.length]!;
        if (state !== "planned") await store.setState(serial.toLowerCase(), state, "x");
      }),
    );
  });

  it("holds 500 devices and consistent indexes", async () => {
    const counts = await store.countByState();
    expect(counts.total).toBe(500);
    expect(counts.unclaimed).toBe(50);
    expect(LIFECYCLE_STATES.reduce((sum, s) => sum + counts[s], 0)).toBe(500);
    await expectIndexesConsistent(store, k);
  });

  it.each([
    "tag:core",
    "tag:core,tag:access",
    "any:lab,any:pci",
    "pid:C9300-*",
    "pid:*/K9",
    "pid:c9300l-*",
    "pid:NOPE*",
    "loc:emea/fr",
    "loc:emea",
    "loc:emea/frx",
    "state:unclaimed",
    "state:error,state:provisioning",
    "tag:core,pid:C9300-*,loc:emea/fr",
    "any:edge,any:wan,loc:emea,state:planned",
    "id:sn00001,id:sn00002,sn:SN00499,id:sn99999",
    "id:sn00001,id:sn00002,tag:core",
  ])("%s resolves, through the indexes, to what matchSelector says", async (text) => {
    const selector = parseSelectorString(text);
    const devices = await allDevices(store);
    const expected = devices
      .filter((d) => matchSelector(selector, d))
      .map((d) => d.id)
      .sort();
    const resolved = await store.resolve(selector);
    expect(resolved).toEqual(expected);
    if (!text.includes("NOPE")) expect(resolved.length).toBeGreaterThan(0);
  });

  it("lists in pages with a cursor, with and without a filter", async () => {
    const collect = async (options: Parameters<RedisInventoryStore["list"]>[0]) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list({ ...options, ...(cursor ? { cursor } : {}), limit: 37 });
        ids.push(...page.devices.map((d) => d.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      return { ids, pages };
    };
    const all = await collect({});
    expect(all.ids).toEqual((await store.allIds()).sort());
    expect(all.ids).toHaveLength(500);
    expect(all.pages).toBe(Math.ceil(500 / 37));
    const selector = parseSelectorString("pid:C9300-*");
    const filtered = await collect({ selector, states: ["planned", "error"] });
    expect(filtered.ids).toEqual(await store.resolve({ ...selector, states: ["error", "planned"] }));
    expect(filtered.ids.length).toBeGreaterThan(37);
  });
});

describe("saved groups", () => {
  it("saves validated selectors by name, lists, resolves, replaces and deletes them", async () => {
    const { store } = freshStore();
    await store.upsert({ serial: "P1", pid: "C9300-24T", location: "emea/fr/par1", tags: ["core"] });
    await store.upsert({ serial: "P2", pid: "C9300-48P", location: "emea/fr/par2", tags: ["core"] });
    await store.upsert({ serial: "P3", pid: "C9300-48P", location: "emea/frx", tags: ["core"] });

    const saved = await store.saveGroup("fr-core", parseSelectorString("tag:core,loc:emea/fr"));
    expect(saved.created).toBe(true);
    expect(await store.resolveGroup("fr-core")).toEqual(["p1", "p2"]);
    await store.saveGroup("k9", { pid: "*/K9" });
    expect((await store.listGroups()).map((g) => g.name)).toEqual(["fr-core", "k9"]);
    expect(await store.resolveGroup("k9")).toEqual([]);

    // A group is a selector, not a list: it follows the inventory.
    await store.upsert({ serial: "P3", location: "emea/fr/lil1" });
    expect(await store.resolveGroup("fr-core")).toEqual(["p1", "p2", "p3"]);

    const replaced = await store.saveGroup("fr-core", { tags: ["CORE"], pid: "C9300-48P" });
    expect(replaced.created).toBe(false);
    expect(replaced.group.createdAt).toBe(saved.group.createdAt);
    expect((await store.getGroup("fr-core"))!.selector).toEqual({ tags: ["core"], pid: "C9300-48P" });
    expect(await store.resolveGroup("fr-core")).toEqual(["p2", "p3"]);

    await expect(store.saveGroup("bad name", { tags: ["x"] })).rejects.toMatchObject({
      code: "GROUP_INVALID",
    });
    await expect(store.saveGroup("empty", {})).rejects.toMatchObject({ code: "GROUP_INVALID" });
    await expect(store.saveGroup("typo", { tag: ["x"] } as never)).rejects.toMatchObject({
      code: "GROUP_INVALID",
    });
    expect(await store.getGroup("empty")).toBeUndefined();

    expect(await store.deleteGroup("k9")).toBe(true);
    expect(await store.deleteGroup("k9")).toBe(false);
    await expect(store.resolveGroup("k9")).rejects.toMatchObject({ code: "GROUP_NOT_FOUND" });
    expect((await store.listGroups()).map((g) => g.name)).toEqual(["fr-core"]);
  });
});

describe("pnpctl inventory and group commands (in process)", () => {
  const { store, prefix } = freshStore();
  const dataDir = mkdtempSync(join(tmpdir(), "pnp-inv-cli-"));
  const saved: Record<string, string | undefined> = {};
  const env = { PNP_REDIS_URL: config.redisUrl, PNP_REDIS_PREFIX: prefix, PNP_DATA_DIR: dataDir };

  beforeAll(() => {
    for (const [name, value] of Object.entries(env)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });

  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function pnpctl(...args: string[]): Promise<{ stdout: string; exitCode: number }> {
    const program = new Command().name("pnpctl").option("--json").exitOverride();
    registerInventoryCommands(program);
    let stdout = "";
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      stdout += chunk.toString();
      return true;
    });
    process.exitCode = 0;
    try {
      await program.parseAsync(args, { from: "user" });
    } finally {
      write.mockRestore();
    }
    const exitCode = Number(process.exitCode ?? 0);
    process.exitCode = 0;
    return { stdout, exitCode };
  }

  it("imports (dry run first), lists, shows, tags, claims and unclaims", async () => {
    const dry = await pnpctl("inventory", "import", fixturePath("good.csv"), "--dry-run");
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain("dry run: nothing was written");
    expect(dry.stdout).toMatch(/created {4}4/);
    expect(await store.allIds()).toEqual([]);

    const done = await pnpctl("--json", "inventory", "import", fixturePath("good.csv"));
    expect(JSON.parse(done.stdout).counts).toEqual({ created: 4, updated: 0, unchanged: 0, rejected: 0 });

    const bad = await pnpctl("--json", "inventory", "import", fixturePath("bad-rows.csv"));
    expect(bad.exitCode).toBe(1);
    expect(JSON.parse(bad.stdout).rejected.map((r: { row: number }) => r.row)).toEqual([
      3, 4, 5, 6, 7, 8, 9, 10,
    ]);

    const list = await pnpctl("--json", "inventory", "list", "--selector", "tag:core,loc:emea");
    expect(JSON.parse(list.stdout).map((d: DeviceRecord) => d.id)).toEqual(["foc1234x0ab", "jae98765432"]);
    const text = await pnpctl("inventory", "list", "--state", "planned", "--limit", "2");
    expect(text.stdout.trim().split("\n")).toHaveLength(3);

    expect((await pnpctl("inventory", "show", "FOC1234X0AB")).stdout).toContain(
      "udi         PID:C9300-24T,VID:V01,SN:FOC1234X0AB",
    );
    await expect(pnpctl("inventory", "show", "nosuch")).rejects.toMatchObject({
      code: "INVENTORY_NOT_FOUND",
    });

    const tagged = await pnpctl(
      "--json",
      "inventory",
      "tag",
      "foc1234x0ab",
      "--add",
      "lab",
      "--remove",
      "access",
    );
    expect(JSON.parse(tagged.stdout)).toEqual({ id: "foc1234x0ab", tags: ["core", "lab"] });

    expect((await pnpctl("inventory", "unclaim", "foc1234x0ab", "--reason", "rma")).stdout).toContain(
      "unclaimed",
    );
    expect((await store.get("foc1234x0ab"))!.state).toBe("unclaimed");
    const claimed = await pnpctl(
      "--json",
      "inventory",
      "claim",
      "foc1234x0ab",
      "--location",
      "emea/fr/par9",
      "--tag",
      "core",
      "--tag",
      "lab",
    );
    expect(JSON.parse(claimed.stdout)).toMatchObject({ changed: true, outcome: "claimed" });
    expect(await store.get("foc1234x0ab")).toMatchObject({
      state: "planned",
      location: "emea/fr/par9",
      tags: ["core", "lab"],
    });
    await expect(pnpctl("inventory", "unclaim", "foc1234x0ab")).rejects.toThrow(/--reason/);
  });

  it("saves, lists, shows (with its devices) and deletes groups", async () => {
    expect((await pnpctl("group", "save", "k9", "pid:*/K9")).stdout).toContain("group k9 created: pid:*/K9");
    await expect(pnpctl("group", "save", "bad", "colour:red")).rejects.toMatchObject({
      code: "SELECTOR_INVALID",
    });
    const shown = JSON.parse((await pnpctl("--json", "group", "show", "k9")).stdout);
    expect(shown).toMatchObject({
      name: "k9",
      selector: { pid: "*/K9" },
      ids: ["fdo11112222", "foc1234x0ac"],
    });
    expect((await pnpctl("group", "list")).stdout).toMatch(/^k9\s+pid:\*\/K9$/m);
    expect((await pnpctl("group", "delete", "k9")).stdout).toContain("group k9 deleted");
    const again = await pnpctl("group", "delete", "k9");
    expect(again.exitCode).toBe(1);
    await expect(pnpctl("group", "show", "k9")).rejects.toMatchObject({ code: "GROUP_NOT_FOUND" });
  });

  it("resolves job targets (selector or saved group) for the job commands", async () => {
    const hashTagged = `{${prefix}}`;
    expect(await resolveInventoryTarget(redis, hashTagged, { selector: "pid:*/K9" })).toEqual([
      "fdo11112222",
      "foc1234x0ac",
    ]);
    expect(
      await resolveInventoryTarget(redis, hashTagged, { selector: '{"tags":["core"],"pid":"C9300-*"}' }),
    ).toEqual(["foc1234x0ab", "good0001", "jae98765432"]);
    await store.saveGroup("de", { locationPrefix: "emea/de" });
    expect(await resolveInventoryTarget(redis, hashTagged, { group: "de" })).toEqual(["jae98765432"]);
    await expect(resolveInventoryTarget(redis, hashTagged, { group: "nope" })).rejects.toMatchObject({
      code: "GROUP_NOT_FOUND",
    });
    await expect(resolveInventoryTarget(redis, hashTagged, { selector: "pid:" })).rejects.toMatchObject({
      code: "SELECTOR_INVALID",
    });
  });
});
