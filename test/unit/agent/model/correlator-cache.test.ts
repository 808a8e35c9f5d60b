import { describe, expect, it } from "vitest";
import { CorrelatorCache } from "../../../../src/agent/model/index.js";
import { device, imageFetch, NEW_XE, NEW_XE_SIZE } from "./helpers.js";

describe("CorrelatorCache", () => {
  it("runs an operation once per correlator and replays the first result", () => {
    const cache = new CorrelatorCache<number>(4);
    let calls = 0;
    const op = () => ++calls;
    expect(cache.run("c1", op)).toEqual({ result: 1, replayed: false });
    expect(cache.run("c1", op)).toEqual({ result: 1, replayed: true });
    expect(cache.run("c2", op)).toEqual({ result: 2, replayed: false });
    expect(calls).toBe(2);
  });

  it("evicts the least recently used correlator beyond its capacity", () => {
    const cache = new CorrelatorCache<string>(2);
    cache.set("a", "A");
    cache.set("b", "B");
    expect(cache.get("a")).toBe("A"); // a is now the most recent
    cache.set("c", "C");
    expect(cache.has("b")).toBe(false);
    expect(cache.has("a")).toBe(true);
    expect(cache.size).toBe(2);
  });

  it("never caches an empty correlator and rejects a bad capacity", () => {
    const cache = new CorrelatorCache<number>(2);
    let calls = 0;
    cache.run("", () => ++calls);
    cache.run("", () => ++calls);
    expect(calls).toBe(2);
    expect(cache.size).toBe(0);
    expect(() => new CorrelatorCache(0)).toThrow(RangeError);
  });
});

describe("DeviceModel.once", () => {
  it("does not apply a configuration twice for the same correlator", () => {
    const d = device();
    const apply = () => d.applyConfig(["interface Vlan7", " ip helper-address 10.9.9.1", "hostname c1"]);
    const first = d.once("CiscoPnP-1.0-R1-I1-P1-T1-1", apply);
    d.applyConfig(["hostname changed-later"]);
    const again = d.once("CiscoPnP-1.0-R1-I1-P1-T1-1", apply);
    expect(again.replayed).toBe(true);
    expect(again.result).toBe(first.result);
    expect(d.hostname).toBe("changed-later");
  });

  it("does not install an image twice and survives a reload", () => {
    const d = device();
    let fetches = 0;
    const install = () =>
      d.installImage({ source: `http://s/${NEW_XE}` }, () => {
        fetches++;
        return imageFetch(NEW_XE, NEW_XE_SIZE);
      });
    expect(d.once("corr-9", install).result.success).toBe(true);
    d.reload();
    const replay = d.once("corr-9", install);
    expect(replay).toMatchObject({ replayed: true, result: { success: true } });
    expect(fetches).toBe(1);
  });

  it("keeps only a few correlators per device", () => {
    const d = device({ correlatorCacheSize: 2 });
    let calls = 0;
    for (const c of ["a", "b", "c"]) d.once(c, () => ++calls);
    expect(d.once("a", () => ++calls).replayed).toBe(false);
    expect(d.once("c", () => ++calls).replayed).toBe(true);
  });
});
