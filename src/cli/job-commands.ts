import { readFileSync } from "node:fs";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { RequestBody } from "../core/ask.js";
import type { JobRecord, JobResult } from "../core/jobs.js";
import { RedisJobStore } from "../store/job-store.js";
import { createKeys } from "../store/keys.js";
import type { PnpRedis } from "../store/redis.js";
import { cliConfig, withRedis } from "./context.js";

/** Resolves a selector string or a saved group to device ids (the inventory provides it). */
export type TargetResolver = (
  redis: PnpRedis,
  prefix: string,
  target: { selector?: string; group?: string },
) => Promise<string[]>;

function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("must be a number ≥ 0");
  return n;
}

/** The service request from the command line: a shortcut, or any service as JSON. */
export function requestFromOptions(options: {
  service: string;
  type?: string;
  cli?: string;
  configFile?: string;
  request?: string;
}): RequestBody {
  if (options.request) {
    const parsed = JSON.parse(options.request) as RequestBody;
    if (
      !parsed ||
      typeof parsed !== "object" ||
      typeof (parsed as { service?: unknown }).service !== "string"
    ) {
      throw new InvalidArgumentError(
        '--request must be a JSON object with a "service", e.g. {"service":"device-info","type":"all"}',
      );
    }
    return parsed;
  }
  switch (options.service) {
    case "device-info":
      return { service: "device-info", type: (options.type ?? "all") as "all" };
    case "cli-exec":
      if (!options.cli) throw new InvalidArgumentError("cli-exec needs --cli '<command>'");
      return { service: "cli-exec", operation: "execCLI", command: options.cli };
    case "cli-config": {
      if (!options.configFile)
        throw new InvalidArgumentError("cli-config needs --config-file <file> (one command per line)");
      const lines = readFileSync(options.configFile, "utf8")
        .split(/\r?\n/)
        .filter((l) => l.trim() !== "");
      return { service: "cli-config", operation: "configApply", data: { kind: "commands", commands: lines } };
    }
    default:
      throw new InvalidArgumentError(`for ${options.service} give the whole request with --request '<json>'`);
  }
}

export function progressLine(job: JobRecord): string {
  const c = job.counts;
  const done = c.succeeded + c.failed + c.timed_out + c.cancelled;
  const width = 30;
  const filled = c.total === 0 ? width : Math.round((done / c.total) * width);
  const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
  return `[${bar}] ${done}/${c.total}  ok ${c.succeeded}  failed ${c.failed}  timeout ${c.timed_out}  cancelled ${c.cancelled}  in flight ${c.queued + c.sent}  pending ${c.pending}  ${job.state}`;
}

export function resultsTable(results: JobResult[]): string {
  const rows = results.map((r) => [
    r.device,
    r.state,
    String(r.attempts),
    r.errorCode ?? "",
    (r.errorMessage ?? "").slice(0, 60),
  ]);
  const header = ["device", "state", "tries", "error", "message"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

async function withJobs<T>(
  fn: (jobs: RedisJobStore, redis: PnpRedis, prefix: string) => Promise<T>,
): Promise<T> {
  const config = cliConfig();
  const keys = createKeys(config.redisPrefix);
  return withRedis(config, (redis) =>
    fn(new RedisJobStore(redis, keys, config.eventStreamMaxLen), redis, keys.prefix),
  );
}

/** Follows the job through the event stream (no polling) until it is final, redrawing one progress line. */
async function watchJob(
  jobs: RedisJobStore,
  redis: PnpRedis,
  prefix: string,
  id: string,
  json: boolean,
): Promise<JobRecord> {
  const reader = redis.duplicate();
  try {
    let job = await jobs.get(id);
    if (!job) throw new Error(`no job ${id}`);
    let lastId = "$";
    const tty = process.stdout.isTTY === true && !json;
    while (job.state === "running") {
      if (tty) process.stdout.write(`\r${progressLine(job)}`);
      const reply = (await reader.xread("BLOCK", 2000, "STREAMS", `${prefix}:events`, lastId)) as
        | [string, [string, string[]][]][]
        | null;
      for (const [, entries] of reply ?? []) for (const [entryId] of entries) lastId = entryId;
      job = (await jobs.get(id))!;
    }
    if (tty) process.stdout.write(`\r${progressLine(job)}\n`);
    return job;
  } finally {
    reader.disconnect();
  }
}

export function registerJobCommands(program: Command, resolveTarget?: TargetResolver): void {
  const job = program
    .command("job")
    .description("send a PnP service request to one device or a whole group, and follow it");
  const json = () => program.opts().json === true;

  job
    .command("create")
    .description("create a job: one task per target device, each with its own correlator")
    .option("--device <id>", "one device (its id: serial in lower case)")
    .option("--devices <ids>", "comma-separated device ids")
    .option("--selector <selector>", "inventory selector, e.g. tag:core,pid:C9300-*,loc:emea/fr")
    .option("--group <name>", "a saved group")
    .addOption(
      new Option("--service <service>", "shortcut services; others via --request").default("device-info"),
    )
    .option("--type <type>", "device-info type", "all")
    .option("--cli <command>", "cli-exec command")
    .option("--config-file <file>", "cli-config lines to apply")
    .option("--request <json>", "the whole service request as JSON (any service)")
    .addOption(new Option("--max-in-flight <k>", "at most K devices in flight (0 = all)").argParser(number))
    .addOption(
      new Option("--failure-ratio <r>", "stop when failed/finished exceeds this (0..1)").argParser(number),
    )
    .addOption(new Option("--min-finished <n>", "results needed before the ratio applies").argParser(number))
    .addOption(
      new Option("--timeout <ms>", "per-device timeout (default depends on the service)").argParser(number),
    )
    .addOption(
      new Option("--attempts <n>", "deliveries per device, retries after timeouts").argParser(number),
    )
    .option("--watch", "follow the job with a progress bar and print a summary table")
    .action(async (o) => {
      const request = requestFromOptions(o);
      await withJobs(async (jobs, redis, prefix) => {
        let devices: string[] = [];
        let target = "";
        if (o.device) [devices, target] = [[String(o.device).toLowerCase()], `device ${o.device}`];
        else if (o.devices)
          [devices, target] = [
            String(o.devices)
              .split(",")
              .map((d) => d.trim().toLowerCase())
              .filter(Boolean),
            `devices ${o.devices}`,
          ];
        else if (o.selector || o.group) {
          if (!resolveTarget)
            throw new Error("selectors and groups need the inventory, which this build does not have");
          devices = await resolveTarget(redis, prefix, { selector: o.selector, group: o.group });
          target = o.selector ? `selector ${o.selector}` : `group ${o.group}`;
        } else throw new InvalidArgumentError("give a target: --device, --devices, --selector or --group");
        const created = await jobs.create({
          devices,
          request,
          target,
          timeoutMs: o.timeout,
          maxAttempts: o.attempts,
          maxInFlight: o.maxInFlight,
          failureRatio: o.failureRatio,
          minFinished: o.minFinished,
        });
        if (!o.watch) {
          process.stdout.write(
            json()
              ? `${JSON.stringify(created, null, 2)}\n`
              : `${created.id}  ${created.counts.total} devices  ${created.service}\n`,
          );
          return;
        }
        if (!json())
          process.stdout.write(`${created.id}  ${created.counts.total} devices  ${created.service}\n`);
        const final = await watchJob(jobs, redis, prefix, created.id, json());
        const results = await jobs.results(created.id);
        process.stdout.write(
          json() ? `${JSON.stringify({ job: final, results }, null, 2)}\n` : `${resultsTable(results)}\n`,
        );
        if (final.counts.failed + final.counts.timed_out > 0 || final.state !== "completed")
          process.exitCode = 2;
      });
    });

  job
    .command("watch <id>")
    .description("follow a job until it ends, then print each device's result")
    .action(async (id: string) =>
      withJobs(async (jobs, redis, prefix) => {
        const final = await watchJob(jobs, redis, prefix, id, json());
        const results = await jobs.results(id);
        process.stdout.write(
          json()
            ? `${JSON.stringify({ job: final, results }, null, 2)}\n`
            : `${progressLine(final)}\n${resultsTable(results)}\n`,
        );
      }),
    );

  job
    .command("show <id>")
    .description("a job's state, counts and per-device results")
    .action(async (id: string) =>
      withJobs(async (jobs) => {
        const record = await jobs.get(id);
        if (!record) throw new Error(`no job ${id}`);
        const results = await jobs.results(id);
        process.stdout.write(
          json()
            ? `${JSON.stringify({ job: record, results }, null, 2)}\n`
            : `${record.id}  ${record.target}  ${record.service}\n${progressLine(record)}\n${resultsTable(results)}\n`,
        );
      }),
    );

  job
    .command("cancel <id>")
    .description("cancel what a job has not sent yet (tasks on devices may still answer)")
    .action(async (id: string) =>
      withJobs(async (jobs) => {
        const cancelled = await jobs.cancel(id);
        process.stdout.write(
          json() ? `${JSON.stringify({ id, cancelled })}\n` : `${id}: ${cancelled} task(s) cancelled\n`,
        );
      }),
    );

  job
    .command("list")
    .description("recent jobs, newest first")
    .action(async () =>
      withJobs(async (jobs) => {
        const records = (await Promise.all((await jobs.list()).map((id) => jobs.get(id)))).filter(
          (j): j is JobRecord => j !== undefined,
        );
        process.stdout.write(
          json()
            ? `${JSON.stringify(records, null, 2)}\n`
            : `${records.map((j) => `${j.id}  ${j.service.padEnd(14)} ${progressLine(j)}`).join("\n")}\n`,
        );
      }),
    );
}
