// Long fuzz run of parsePnp, outside the test suite.
//
//   node --import tsx test/fuzz/run.ts [--count N] [--seed S] [--start I] [--only I] [--max-case-ms MS]
//
// --count   cases to run (default 200000); --seed  run seed (default: random, printed first);
// --start   first case index; --only I  runs exactly case I of that seed (reproduces a failure);
// --max-case-ms  a case slower than this counts as a hang (default 2000).
// Exits 0 when every case held the property, 1 otherwise; failures are printed with seed and index.
// With --expose-gc (node --expose-gc --import tsx …) the heap after the run is reported too.

import { randomInt } from "node:crypto";
import { parseArgs } from "node:util";
import { checkParse, describeFailure, generateCase, previewInput, runFuzz } from "./generate.js";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "200000" },
    seed: { type: "string" },
    start: { type: "string", default: "0" },
    only: { type: "string" },
    "max-case-ms": { type: "string", default: "2000" },
  },
});

function integer(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a whole number ≥ 0, got ${String(value)}\n`);
    process.exit(2);
  }
  return n;
}

const seed = values.seed === undefined ? randomInt(2 ** 31) : integer("seed", values.seed);
const only = values.only === undefined ? undefined : integer("only", values.only);
const start = only ?? integer("start", values.start);
const count = only === undefined ? integer("count", values.count) : 1;
const maxCaseMs = integer("max-case-ms", values["max-case-ms"]);
const gc = (globalThis as { gc?: () => void }).gc;

process.stdout.write(`fuzzing parsePnp: seed=${seed} start=${start} count=${count}\n`);
if (only !== undefined) {
  // Show the one case in full before running it.
  const fuzzCase = generateCase(seed, only);
  const outcome = checkParse(fuzzCase);
  process.stdout.write(
    `case ${only}: generator=${fuzzCase.generator} limits=${JSON.stringify(fuzzCase.limits ?? {})}\n` +
      `input: ${previewInput(fuzzCase.input, 20_000)}\n` +
      `outcome: ${outcome.ok ? outcome.result : `FAILED: ${outcome.problem}`}\n`,
  );
}
gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const summary = runFuzz({
  seed,
  count,
  start,
  maxCaseMs,
  maxFailures: 25,
  onProgress: (done) => {
    if (done % 20_000 === 0) process.stdout.write(`  ${done} cases\n`);
  },
});
gc?.();
const heapAfter = process.memoryUsage().heapUsed;

for (const failure of summary.failures) process.stderr.write(`${describeFailure(failure)}\n\n`);
const outcomes = Object.entries(summary.outcomes)
  .sort(([, a], [, b]) => b - a)
  .map(([outcome, n]) => `${outcome}=${n}`)
  .join(" ");
process.stdout.write(
  [
    `ran ${summary.count} cases in ${summary.elapsedMs} ms (seed ${seed})`,
    `outcomes: ${outcomes}`,
    `slowest: case ${summary.slowest.index} (${summary.slowest.generator}) ${summary.slowest.ms} ms`,
    gc
      ? `heap: ${(heapBefore / 2 ** 20).toFixed(1)} MiB before, ${(heapAfter / 2 ** 20).toFixed(1)} MiB after`
      : "heap: run with node --expose-gc to measure",
    summary.failures.length === 0 ? "no failures" : `${summary.failures.length} failures (seed ${seed})`,
  ]
    .map((line) => `${line}\n`)
    .join(""),
);
process.exitCode = summary.failures.length === 0 ? 0 : 1;
