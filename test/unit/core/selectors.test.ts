import { describe, expect, it } from "vitest";
import type { LifecycleState } from "../../../src/core/inventory.js";
import {
  formatSelector,
  locationMatches,
  matchSelector,
  parseSelector,
  parseSelectorJson,
  parseSelectorString,
  pidGlobToRegExp,
  resolveSelector,
  type Selector,
  SelectorError,
  type SelectorIndex,
  type SelectorSubject,
} from "../../../src/core/selectors.js";

function selectorErrors(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(SelectorError);
    expect((err as SelectorError).code).toBe("SELECTOR_INVALID");
    return (err as SelectorError).errors;
  }
  throw new Error("expected a SelectorError");
}

const device = (over: Partial<SelectorSubject> = {}): SelectorSubject => ({
  id: "foc1",
  pid: "C9300-24T",
  tags: ["core", "access"],
  location: "emea/fr/par1",
  state: "planned",
  ...over,
});

describe("PID globs", () => {
  it.each([
    ["C9300-*", "C9300-24T", true],
    ["C9300-*", "C9300-48UXM/A", true],
    ["C9300-*", "C9300", false],
    ["C9300-*", "C9300L-24T", false],
    ["*/K9", "ISR4451-X/K9", true],
    ["*/K9", "CISCO2901/K9", true],
    ["*/K9", "CISCO2901/K9X", false],
    ["*/K9", "K9", false],
    ["ISR4451-X/K9", "isr4451-x/k9", true],
    ["ISR4451-X/K9", "ISR4451-X/K9-2", false],
    ["C9?00-*", "C9200-24P", true],
    ["C9?00-*", "C92000-24P", false],
    ["*", "anything/at-all", true],
  ])("%s on %s: %s", (glob, pid, expected) => {
    expect(pidGlobToRegExp(glob).test(pid)).toBe(expected);
    expect(matchSelector({ pid: glob }, device({ pid }))).toBe(expected);
  });

  it("treats regular-expression characters literally (they cannot even be written in a PID glob)", () => {
    expect(pidGlobToRegExp("A.B").test("AxB")).toBe(false);
    expect(selectorErrors(() => parseSelectorString("pid:C9300.*"))[0]).toMatch(/pid "C9300.\*" must be/);
  });
});

describe("location prefix", () => {
  it.each([
    ["emea/fr", "emea/fr/par1", true],
    ["emea/fr", "emea/fr", true],
    ["emea/fr", "emea/frx", false],
    ["emea/fr", "emea/frx/par1", false],
    ["emea/fr", "emea", false],
    ["emea/fr", "", false],
    ["emea", "emea/fr/par1", true],
  ])("%s covers %s: %s", (prefix, location, expected) => {
    expect(locationMatches(prefix, location)).toBe(expected);
    expect(matchSelector({ locationPrefix: prefix }, device({ location }))).toBe(expected);
  });

  it("drops surrounding slashes from the prefix", () => {
    expect(parseSelectorString("loc:/emea/fr/")).toEqual({ locationPrefix: "emea/fr" });
  });
});

describe("parseSelectorString (compact form)", () => {
  it("parses the documented example and normalises it", () => {
    expect(parseSelectorString("tag:core,pid:C9300-*,loc:emea/fr,id:FOC2,id:foc1")).toEqual({
      tags: ["core"],
      pid: "C9300-*",
      locationPrefix: "emea/fr",
      ids: ["foc1", "foc2"],
    });
  });

  it("knows every key and its aliases, and trims spaces", () => {
    expect(
      parseSelectorString(
        " tag:Core , any:edge, anytag:wan, sn:foc9, serial:FOC8, state:error, state:planned, location:amer, TAG:x",
      ),
    ).toEqual({
      tags: ["core", "x"],
      anyTags: ["edge", "wan"],
      serials: ["FOC8", "FOC9"],
      states: ["error", "planned"],
      locationPrefix: "amer",
    });
  });

  it("gives one clear error per bad term", () => {
    expect(selectorErrors(() => parseSelectorString("tag:core,,colour:red,pid,loc:"))).toEqual([
      "term 2 is empty (two commas in a row, or a comma at an end)",
      'term 3 ("colour:red"): unknown key "colour"; keys are tag, any, anytag, pid, loc, location, id, sn, serial, state',
      'term 4 ("pid") is not key:value; keys are tag, any, anytag, pid, loc, location, id, sn, serial, state',
      'term 5 ("loc:"): no value after "loc:"',
    ]);
  });

  it("refuses two PIDs or two locations (a device has one of each)", () => {
    expect(selectorErrors(() => parseSelectorString("pid:A,pid:B"))).toEqual([
      'term 2 ("pid:B"): pid is given twice (a device has one PID; use a glob)',
    ]);
    expect(selectorErrors(() => parseSelectorString("loc:a,loc:b"))[0]).toMatch(/loc is given twice/);
  });

  it("validates values: states, tags, ids, locations", () => {
    expect(selectorErrors(() => parseSelectorString("state:gone"))).toEqual([
      'unknown state "gone"; expected unclaimed, planned, provisioning, provisioned, error',
    ]);
    expect(selectorErrors(() => parseSelectorString("tag:bad tag"))[0]).toMatch(/^tag "bad tag" must be/);
    expect(selectorErrors(() => parseSelectorString("id:foc-1"))[0]).toMatch(/^device id "foc-1" must be/);
    expect(selectorErrors(() => parseSelectorString("loc:emea//fr"))[0]).toBe(
      'location "emea//fr" has an empty segment',
    );
    expect(selectorErrors(() => parseSelectorString("  "))).toEqual(["the selector is empty"]);
  });

  it("round-trips through formatSelector", () => {
    const text = "tag:core,tag:x,any:edge,pid:*/K9,loc:emea/fr,id:foc1,sn:FOC2,state:planned";
    const parsed = parseSelectorString(text);
    expect(formatSelector(parsed)).toBe(text);
    expect(parseSelectorString(formatSelector(parsed))).toEqual(parsed);
  });
});

describe("parseSelectorJson and parseSelector", () => {
  it("accepts the JSON form, directly or as text", () => {
    const json = {
      tags: ["Core"],
      anyTags: ["b", "a"],
      pid: "C9300-*",
      locationPrefix: "emea",
      states: ["planned"],
    };
    const expected = {
      tags: ["core"],
      anyTags: ["a", "b"],
      pid: "C9300-*",
      locationPrefix: "emea",
      states: ["planned"],
    };
    expect(parseSelectorJson(json)).toEqual(expected);
    expect(parseSelector(JSON.stringify(json))).toEqual(expected);
    expect(parseSelector("tag:core")).toEqual({ tags: ["core"] });
  });

  it("refuses unknown fields, wrong types, empty lists, empty selectors and bad JSON", () => {
    expect(
      selectorErrors(() => parseSelectorJson({ tag: ["x"], pid: 7, ids: [], states: "planned" })),
    ).toEqual([
      'unknown field "tag"; expected tags, anyTags, pid, locationPrefix, ids, serials, states',
      'pid 7 must be a PID or glob of letters, digits, "-", "/", "*", "?"',
      "ids is an empty list",
      "states must be a list of strings",
    ]);
    expect(selectorErrors(() => parseSelectorJson({}))).toEqual([
      "the selector has no criteria (it would match every device)",
    ]);
    expect(selectorErrors(() => parseSelectorJson(["tags"]))).toEqual(["a selector must be an object"]);
    expect(selectorErrors(() => parseSelector("{tags:"))[0]).toMatch(/^not valid JSON/);
  });
});

describe("matchSelector: combinations", () => {
  const d = device({ id: "foc1", pid: "C9300-24T", tags: ["access", "core"], location: "emea/fr/par1" });

  it("all tags must be there; any tags needs one", () => {
    expect(matchSelector({ tags: ["core", "access"] }, d)).toBe(true);
    expect(matchSelector({ tags: ["core", "edge"] }, d)).toBe(false);
    expect(matchSelector({ anyTags: ["edge", "core"] }, d)).toBe(true);
    expect(matchSelector({ anyTags: ["edge", "wan"] }, d)).toBe(false);
  });

  it("ANDs the criteria", () => {
    expect(matchSelector(parseSelectorString("tag:core,pid:C9300-*,loc:emea/fr"), d)).toBe(true);
    expect(matchSelector(parseSelectorString("tag:core,pid:C9300-*,loc:emea/de"), d)).toBe(false);
    expect(matchSelector(parseSelectorString("tag:core,pid:*/K9,loc:emea/fr"), d)).toBe(false);
    expect(matchSelector(parseSelectorString("tag:core,state:error"), d)).toBe(false);
    expect(matchSelector(parseSelectorString("any:edge,any:access,state:error,state:planned"), d)).toBe(true);
  });

  it("ids and serials are one explicit list of devices", () => {
    expect(matchSelector(parseSelectorString("id:foc2,sn:FOC1"), d)).toBe(true);
    expect(matchSelector(parseSelectorString("id:foc2,sn:FOC3"), d)).toBe(false);
    expect(matchSelector(parseSelectorString("id:foc1,tag:edge"), d)).toBe(false);
  });
});

/** The index as plain sets, built from subjects, to check resolution against matchSelector. */
class MemoryIndex implements SelectorIndex {
  constructor(private readonly devices: SelectorSubject[]) {}
  private ids(pred: (d: SelectorSubject) => boolean) {
    return Promise.resolve(this.devices.filter(pred).map((d) => d.id));
  }
  allIds() {
    return this.ids(() => true);
  }
  withAllTags(tags: string[]) {
    return this.ids((d) => tags.every((t) => d.tags.includes(t)));
  }
  withAnyTag(tags: string[]) {
    return this.ids((d) => tags.some((t) => d.tags.includes(t)));
  }
  knownPids() {
    return Promise.resolve([...new Set(this.devices.map((d) => d.pid).filter(Boolean))]);
  }
  withAnyPid(pids: string[]) {
    return this.ids((d) => pids.includes(d.pid));
  }
  atLocation(prefix: string) {
    return this.ids((d) => locationMatches(prefix, d.location));
  }
  inAnyState(states: LifecycleState[]) {
    return this.ids((d) => states.includes(d.state));
  }
  existing(ids: string[]) {
    return this.ids((d) => ids.includes(d.id));
  }
}

describe("resolveSelector", () => {
  const pids = ["C9300-24T", "C9300-48P", "ISR4451-X/K9", "CISCO2901/K9", "C9200L-24P-4G"];
  const locations = ["emea/fr/par1", "emea/fr/par2", "emea/frx", "emea/de/fra1", "amer/us/nyc1", ""];
  const tagPool = ["core", "access", "edge", "wan", "lab"];
  const states: LifecycleState[] = ["unclaimed", "planned", "provisioning", "provisioned", "error"];
  const devices: SelectorSubject[] = Array.from({ length: 120 }, (_, i) => ({
    id: `dev${String(i).padStart(4, "0")}`,
    pid: pids[i % pids.length]!,
    location: locations[i % locations.length]!,
    tags: tagPool.filter((_, j) => (i >> j) % 2 === 1),
    state: states[(i * 7) % states.length]!,
  }));
  const index = new MemoryIndex(devices);

  it.each([
    "tag:core",
    "tag:core,tag:edge",
    "any:wan,any:lab",
    "pid:C9300-*",
    "pid:*/K9",
    "pid:NOPE-*",
    "loc:emea/fr",
    "loc:emea",
    "state:error,state:planned",
    "tag:core,pid:C9300-*,loc:emea/fr",
    "id:dev0001,id:dev0002,sn:DEV0007,id:nosuch",
    "id:dev0001,id:dev0003,tag:core",
    "any:edge,any:wan,loc:emea,state:provisioned,pid:C*",
  ])("%s gives the ids matchSelector accepts, sorted", async (text) => {
    const selector: Selector = parseSelectorString(text);
    const expected = devices
      .filter((d) => matchSelector(selector, d))
      .map((d) => d.id)
      .sort();
    const resolved = await resolveSelector(index, selector);
    expect(resolved).toEqual(expected);
    if (!text.startsWith("pid:NOPE")) expect(resolved.length).toBeGreaterThan(0);
  });

  it("an empty selector resolves to every device", async () => {
    expect(await resolveSelector(index, {})).toHaveLength(devices.length);
  });
});
