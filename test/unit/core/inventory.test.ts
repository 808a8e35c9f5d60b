import { describe, expect, it } from "vitest";
import { parseInventoryCsv } from "../../../src/core/csv-import.js";
import {
  canonicalJson,
  type DeviceInput,
  deviceId,
  InventoryError,
  importInventory,
  normaliseDeviceInput,
  normaliseLocation,
  normaliseMac,
  normalisePid,
  normaliseSerial,
  normaliseTags,
  normaliseVariables,
  parseVariables,
  type UpsertOptions,
  type UpsertResult,
} from "../../../src/core/inventory.js";

function problems<T>(run: (p: string[]) => T): { value: T; problems: string[] } {
  const p: string[] = [];
  const value = run(p);
  return { value, problems: p };
}

describe("normalisers", () => {
  it("serials: letters and digits, 1 to 20, kept in upper case; ids are lower case", () => {
    expect(problems((p) => normaliseSerial(" foc1234x0ab ", p))).toEqual({
      value: "FOC1234X0AB",
      problems: [],
    });
    expect(deviceId("FOC1234X0AB")).toBe("foc1234x0ab");
    expect(problems((p) => normaliseSerial("A".repeat(20), p)).problems).toEqual([]);
    expect(problems((p) => normaliseSerial("A".repeat(21), p)).problems).toHaveLength(1);
    expect(problems((p) => normaliseSerial("FOC_1", p)).problems).toEqual([
      'serial "FOC_1" must be 1 to 20 letters or digits',
    ]);
    expect(problems((p) => normaliseSerial("", p)).problems).toEqual(["serial is empty"]);
  });

  it("PIDs: letters, digits, - and /", () => {
    for (const pid of ["C9300-24T", "ISR4451-X/K9", "CISCO2901/K9", "N9K-C93180YC-EX"])
      expect(problems((p) => normalisePid(pid, p)).problems).toEqual([]);
    for (const pid of ["C9300 24T", "-C9300", "C9300=", "/K9"])
      expect(problems((p) => normalisePid(pid, p)).problems).toHaveLength(1);
  });

  it("MACs in every usual form become aa:bb:cc:dd:ee:ff", () => {
    for (const mac of ["00:1A:2B:3C:4D:5E", "00-1a-2b-3c-4d-5e", "001a.2b3c.4d5e", "001A2B3C4D5E"])
      expect(problems((p) => normaliseMac(mac, p))).toEqual({ value: "00:1a:2b:3c:4d:5e", problems: [] });
    for (const mac of ["00:1A:2B:3C:4D", "00:1A-2B:3C:4D:5E", "001a.2b3c.4d5", "gg:1a:2b:3c:4d:5e"])
      expect(problems((p) => normaliseMac(mac, p)).problems).toHaveLength(1);
    expect(problems((p) => normaliseMac("", p))).toEqual({ value: "", problems: [] });
  });

  it("locations: segments, no empty ones, at most 8, case kept", () => {
    expect(problems((p) => normaliseLocation("/EMEA/fr/par-1_a.b/", p))).toEqual({
      value: "EMEA/fr/par-1_a.b",
      problems: [],
    });
    expect(problems((p) => normaliseLocation("a/b/c/d/e/f/g/h", p)).problems).toEqual([]);
    expect(problems((p) => normaliseLocation("a/b/c/d/e/f/g/h/i", p)).problems).toEqual([
      'location "a/b/c/d/e/f/g/h/i" has more than 8 segments',
    ]);
    expect(problems((p) => normaliseLocation("emea/../fr", p)).problems[0]).toMatch(/segment "\.\."/);
    expect(problems((p) => normaliseLocation("emea/f r", p)).problems[0]).toMatch(/segment "f r"/);
  });

  it("tags: lower case, unique, sorted; at most 64", () => {
    expect(problems((p) => normaliseTags(["Core", "access", "core", "site:par1"], p))).toEqual({
      value: ["access", "core", "site:par1"],
      problems: [],
    });
    expect(problems((p) => normaliseTags(["a,b"], p)).problems).toHaveLength(1);
    const many = Array.from({ length: 65 }, (_, i) => `t${i}`);
    expect(problems((p) => normaliseTags(many, p)).problems).toEqual(["too many tags (65; at most 64)"]);
  });

  it("variables: names checked, JSON values only, size bounded", () => {
    expect(problems((p) => normaliseVariables({ a: 1, b: [true, null], c: { d: "x" } }, p)).problems).toEqual(
      [],
    );
    expect(problems((p) => normaliseVariables({ a: Number.NaN }, p)).problems).toEqual([
      "variable a is not a JSON value",
    ]);
    expect(problems((p) => normaliseVariables({ big: "x".repeat(70_000) }, p)).problems).toEqual([
      "variables are larger than 65536 bytes",
    ]);
    expect(problems((p) => parseVariables(" k = v ; j=", p))).toEqual({
      value: { k: "v", j: "" },
      problems: [],
    });
  });

  it("canonicalJson sorts keys at every depth", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("normaliseDeviceInput leaves omitted fields out and can require a PID", () => {
    expect(normaliseDeviceInput({ serial: "foc1", tags: ["B", "a"] })).toEqual({
      value: { id: "foc1", serial: "FOC1", tags: ["a", "b"] },
      errors: [],
    });
    expect(normaliseDeviceInput({ serial: "foc1" }, { requirePid: true }).errors).toEqual(["pid is empty"]);
  });
});

/** Records the calls; answers by serial from `outcomes`; throws for serials in `failing`. */
class FakeUpsert {
  calls: { input: DeviceInput; options: UpsertOptions | undefined }[] = [];
  constructor(
    private readonly outcomes: Record<string, UpsertResult["outcome"]>,
    private readonly failing: string[] = [],
  ) {}
  async upsert(input: DeviceInput, options?: UpsertOptions): Promise<UpsertResult> {
    this.calls.push({ input, options });
    if (this.failing.includes(input.serial))
      throw new InventoryError("INVENTORY_INVALID", "refused", { errors: ["refused by the store"] });
    return {
      id: deviceId(input.serial),
      outcome: this.outcomes[input.serial] ?? "created",
      changes: ["pid"],
    };
  }
}

describe("importInventory", () => {
  const csv = [
    "serial,pid,tags",
    "A1,C9300-24T,core",
    "A2,C9300-24T,core",
    "bad!,C9300-24T,core",
    "A3,C9300-24T,core",
    "A4,C9300-24T,core",
  ].join("\n");

  it("sorts the store's outcomes into the report, with rows, and counts them", async () => {
    const store = new FakeUpsert({ A1: "created", A2: "updated", A3: "unchanged", A4: "created" });
    const report = await importInventory(store, parseInventoryCsv(csv));
    expect(report.dryRun).toBe(false);
    expect(report.counts).toEqual({ created: 2, updated: 1, unchanged: 1, rejected: 1 });
    expect(report.created.map((r) => [r.row, r.id])).toEqual([
      [2, "a1"],
      [6, "a4"],
    ]);
    expect(report.updated).toEqual([{ row: 3, id: "a2", serial: "A2", changes: ["pid"] }]);
    expect(report.rejected).toEqual([
      { row: 4, serial: "bad!", errors: [expect.stringMatching(/^serial "bad!"/)] },
    ]);
    // The row number is not part of what the store receives.
    expect(store.calls[0]!.input).toEqual({ serial: "A1", pid: "C9300-24T", tags: ["core"] });
    expect(store.calls.every((c) => c.options?.dryRun === false)).toBe(true);
  });

  it("passes dryRun to every upsert and says so in the report", async () => {
    const store = new FakeUpsert({});
    const report = await importInventory(store, parseInventoryCsv(csv), { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(store.calls).toHaveLength(4);
    expect(store.calls.every((c) => c.options?.dryRun === true)).toBe(true);
  });

  it("reports a row the store refuses as rejected, with the store's reasons, and goes on", async () => {
    const store = new FakeUpsert({}, ["A2"]);
    const report = await importInventory(store, parseInventoryCsv(csv), { concurrency: 1 });
    expect(report.rejected.map((r) => [r.row, r.errors])).toEqual([
      [3, ["refused by the store"]],
      [4, [expect.stringMatching(/^serial "bad!"/)]],
    ]);
    expect(report.counts).toEqual({ created: 3, updated: 0, unchanged: 0, rejected: 2 });
  });
});
