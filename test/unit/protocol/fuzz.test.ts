// Seeded fuzzing of parsePnp with hostile input (generators in test/fuzz/generate.ts). The property: a
// typed message, or a PnpProtocolError with one of the documented parse codes; never another exception,
// never a hang, and no memory kept from one case to the next. Silent on success; on failure it prints the
// seed, the case index, the generator and the input, and the command that replays that one case.
//
// PNP_FUZZ_SEED and PNP_FUZZ_COUNT override the seed and the case count (e.g. to replay a CI failure).
// Long runs: node --import tsx test/fuzz/run.ts --count 1000000 --seed <n>

import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { PnpProtocolError } from "../../../src/protocol/index.js";
import {
  classify,
  describeFailure,
  GENERATOR_NAMES,
  generateCase,
  loadCorpus,
  PARSE_ERROR_CODES,
  previewInput,
  runFuzz,
} from "../../fuzz/generate.js";

const DEFAULT_SEED = 0x5eed_cafe;
const SEED = envInteger("PNP_FUZZ_SEED") ?? DEFAULT_SEED;
const COUNT = Math.max(10_000, envInteger("PNP_FUZZ_COUNT") ?? 20_000);

/**
 * Heap growth allowed across the whole run, measured after a forced full GC on both sides, with the
 * corpus loaded and the code warmed up before the first measurement. Nothing in the parser or the
 * generator is meant to outlive a case, so what remains is V8 noise (feedback vectors, late-compiled
 * code): measured at 0.05 to 0.6 MiB for 20,000 cases. Keeping each case's input alive instead measures
 * about 86 MiB, and keeping one 50-byte record per case about 1 MiB. The bound, 4 MiB, is several times
 * the noise and about 200 bytes per case: any retained input, tree or error (0.1 KB to 1 MiB each), or a
 * cache keyed by input, exceeds it.
 */
const HEAP_GROWTH_BOUND = 4 * 1024 * 1024;

function envInteger(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number, got ${raw}`);
  return value;
}

/** A full-GC function, without needing `node --expose-gc` for the whole worker. */
function collectGarbage(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe("parsePnp under hostile input (seeded fuzzing)", () => {
  it("the property rejects what it must (so the fuzz run can fail)", () => {
    expect(
      classify(() => ({
        kind: "response",
        envelope: { udi: "u" },
        response: { correlator: "c", success: true, service: "x" },
      })),
    ).toMatchObject({ ok: true });
    expect(
      classify(() => {
        throw new PnpProtocolError("PNP_XML_TOO_DEEP", "deep");
      }),
    ).toMatchObject({ ok: true, result: "PNP_XML_TOO_DEEP" });
    expect(
      classify(() => {
        throw new TypeError("Cannot read properties of undefined");
      }),
    ).toMatchObject({ ok: false });
    expect(
      classify(() => {
        throw new RangeError("Maximum call stack size exceeded");
      }),
    ).toMatchObject({ ok: false });
    expect(
      classify(() => {
        throw new PnpProtocolError("PNP_BUILD_INVALID", "a builder code from the parser");
      }),
    ).toMatchObject({ ok: false });
    expect(classify(() => ({ kind: "mystery", envelope: { udi: "u" } }))).toMatchObject({ ok: false });
    expect(
      classify(() => ({
        kind: "response",
        envelope: { udi: "u" },
        response: { correlator: "c", success: "1" },
      })),
    ).toMatchObject({ ok: false });
    const cyclic: Record<string, unknown> = { kind: "unknown", envelope: { udi: "u" }, element: "x" };
    cyclic.self = cyclic;
    expect(classify(() => cyclic)).toMatchObject({ ok: false });
    expect([...PARSE_ERROR_CODES].sort()).toEqual([
      "PNP_MSG_INVALID",
      "PNP_XML_ATTR_TOO_LONG",
      "PNP_XML_DTD_FORBIDDEN",
      "PNP_XML_ENTITY_FORBIDDEN",
      "PNP_XML_INVALID_CHAR",
      "PNP_XML_MALFORMED",
      "PNP_XML_TOO_DEEP",
      "PNP_XML_TOO_LARGE",
      "PNP_XML_TOO_MANY_ELEMENTS",
    ]);
  });

  it("cases are a pure function of (seed, index), so a printed failure can be replayed", () => {
    for (const index of [0, 1, 77, 4242, COUNT - 1]) {
      const a = generateCase(SEED, index);
      const b = generateCase(SEED, index);
      expect(b.generator).toBe(a.generator);
      expect(b.limits).toEqual(a.limits);
      expect(previewInput(b.input, 1e6)).toBe(previewInput(a.input, 1e6));
    }
    expect(previewInput(generateCase(SEED + 1, 0).input)).not.toBe(previewInput(generateCase(SEED, 0).input));
  });

  it(`holds for ${COUNT} generated cases, in bounded time and memory`, () => {
    const gc = collectGarbage();
    loadCorpus();
    // Warm up with another seed: lazily compiled code and module state must not count as growth.
    const warmUp = runFuzz({ seed: SEED ^ 0xffff, count: 1500, maxFailures: 1 });
    const before = heapAfterGc(gc);
    const summary = runFuzz({ seed: SEED, count: COUNT, maxCaseMs: 2000, maxFailures: 10 });
    const growth = heapAfterGc(gc) - before;

    const failures = [...warmUp.failures, ...summary.failures];
    if (failures.length > 0) {
      console.error(
        `parsePnp fuzzing (seed ${SEED}, ${summary.count} of ${COUNT} cases run) found ${failures.length} failure(s):\n\n${failures.map(describeFailure).join("\n\n")}`,
      );
    }
    expect(failures.map((f) => `seed=${f.fuzzCase.seed} index=${f.fuzzCase.index}: ${f.problem}`)).toEqual(
      [],
    );
    expect(summary.count).toBe(COUNT);

    // The generators really produce hostile input of every kind: each documented code is reached,
    // and so is every kind of message (mutations that stay valid).
    for (const code of PARSE_ERROR_CODES) expect(summary.outcomes[code] ?? 0, code).toBeGreaterThan(0);
    for (const kind of ["request", "response", "fault", "work-request", "bye", "syslog-event", "unknown"]) {
      expect(summary.outcomes[`kind:${kind}`] ?? 0, kind).toBeGreaterThan(0);
    }
    for (const name of GENERATOR_NAMES) expect(summary.generators[name] ?? 0, name).toBeGreaterThan(0);

    if (growth > HEAP_GROWTH_BOUND) {
      console.error(
        `parsePnp fuzzing (seed ${SEED}): heap grew by ${(growth / 2 ** 20).toFixed(1)} MiB over ${COUNT} cases (bound ${HEAP_GROWTH_BOUND / 2 ** 20} MiB)`,
      );
    }
    expect(growth).toBeLessThan(HEAP_GROWTH_BOUND);
  }, 25_000);
});
