import { readFileSync } from "node:fs";
import { type Command, InvalidArgumentError, Option } from "commander";
import { parseInventoryCsv } from "../core/csv-import.js";
import {
  type DeviceRecord,
  type ImportReport,
  InventoryError,
  importInventory,
  isLifecycleState,
  LIFECYCLE_STATES,
  type LifecycleState,
} from "../core/inventory.js";
import { formatSelector, parseSelector, type Selector } from "../core/selectors.js";
import { RedisInventoryStore } from "../store/inventory-store.js";
import { createKeys } from "../store/keys.js";
import type { PnpRedis } from "../store/redis.js";
import { cliConfig, print, withRedis } from "./context.js";

/** Repeatable options: `--tag a --tag b`, or `--tag a,b`. */
function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

function collectStates(value: string, previous: LifecycleState[] = []): LifecycleState[] {
  const states = collect(value);
  for (const s of states)
    if (!isLifecycleState(s)) throw new InvalidArgumentError(`states are ${LIFECYCLE_STATES.join(", ")}`);
  return [...previous, ...(states as LifecycleState[])];
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number ≥ 1");
  return n;
}

/** Opens the inventory on the configured Redis (as the other pnpctl commands do) for one command. */
async function withInventory<T>(run: (store: RedisInventoryStore) => Promise<T>): Promise<T> {
  const config = cliConfig();
  return withRedis(config, (redis) =>
    run(new RedisInventoryStore(redis, createKeys(config.redisPrefix), config.eventStreamMaxLen)),
  );
}

function deviceLine(d: DeviceRecord): string {
  return [
    d.id.padEnd(20),
    d.state.padEnd(12),
    (d.pid || "-").padEnd(18),
    (d.location || "-").padEnd(20),
    d.tags.join(" ") || "-",
  ].join(" ");
}

function formatDevice(d: DeviceRecord): string {
  const lines = [
    `id          ${d.id}`,
    `serial      ${d.serial}`,
    `state       ${d.state}${d.claimed ? "" : " (not claimed)"}${d.error ? `: ${d.error}` : ""}`,
    `pid         ${d.pid || "-"}${d.seenPid && d.seenPid.toUpperCase() !== d.pid.toUpperCase() ? ` (device reports ${d.seenPid})` : ""}`,
    `vid         ${d.vid || "-"}`,
    `udi         ${d.udi || "-"}`,
    `mac         ${d.mac || "-"}`,
    `hostname    ${d.hostname || "-"}${d.seenHostname ? ` (device says ${d.seenHostname})` : ""}`,
    `location    ${d.location || "-"}`,
    `tags        ${d.tags.join(" ") || "-"}`,
    `variables   ${Object.keys(d.variables).length > 0 ? JSON.stringify(d.variables) : "-"}`,
    `last seen   ${d.lastSeen ? new Date(d.lastSeen).toISOString() : "never"}`,
  ];
  if (d.unclaimReason) lines.push(`unclaimed   ${d.unclaimReason}`);
  if (d.lastResults !== undefined) lines.push(`results     ${JSON.stringify(d.lastResults)}`);
  lines.push(
    `created     ${new Date(d.createdAt).toISOString()}`,
    `updated     ${new Date(d.updatedAt).toISOString()}`,
  );
  return lines.join("\n");
}

function formatReport(report: ImportReport): string {
  const { counts } = report;
  const lines = [
    report.dryRun ? "dry run: nothing was written; this is what the import would do" : "import done",
    `created    ${counts.created}`,
    `updated    ${counts.updated}`,
    `unchanged  ${counts.unchanged}`,
    `rejected   ${counts.rejected}`,
  ];
  for (const r of report.created)
    lines.push(`  row ${r.row}  ${r.id}  ${report.dryRun ? "would be created" : "created"}`);
  for (const r of report.updated)
    lines.push(
      `  row ${r.row}  ${r.id}  ${report.dryRun ? "would be updated" : "updated"}: ${r.changes.join(", ")}`,
    );
  for (const r of report.rejected)
    lines.push(`  row ${r.row}${r.serial ? `  ${r.serial}` : ""}  rejected: ${r.errors.join("; ")}`);
  return lines.join("\n");
}

/**
 * Resolves a job target through the inventory: a selector (compact or JSON form) or a saved group, to
 * sorted device ids. Its shape is job-commands' TargetResolver: `registerJobCommands(program,
 * resolveInventoryTarget)`. `prefix` is the hash-tagged key prefix (`keys.prefix`, e.g. "{pnp}").
 */
export async function resolveInventoryTarget(
  redis: PnpRedis,
  prefix: string,
  target: { selector?: string; group?: string },
): Promise<string[]> {
  if (target.selector && target.group) throw new InvalidArgumentError("give --selector or --group, not both");
  const store = new RedisInventoryStore(redis, createKeys(prefix.replace(/^\{(.*)\}$/, "$1")));
  if (target.selector) return store.resolve(parseSelector(target.selector));
  if (target.group) return store.resolveGroup(target.group);
  throw new InvalidArgumentError("give --selector or --group");
}

/**
 * Adds `inventory …` and `group …` to pnpctl. Output honours the program's `--json` option. Failures
 * throw (errors carry codes: INVENTORY_NOT_FOUND, SELECTOR_INVALID, CSV_INVALID, …) for the program's
 * error handler; `inventory import` sets exit code 1 when rows were rejected.
 */
export function registerInventoryCommands(program: Command): void {
  const json = () => program.opts().json === true;
  const inventory = program
    .command("inventory")
    .description("the device inventory: import, list, claim, tag");

  inventory
    .command("import <file>")
    .description(
      "import devices from a CSV file (header: serial,pid[,location,tags,variables,hostname,mac,vid]); exit 1 when rows were rejected",
    )
    .option("--dry-run", "validate and report what would be created or updated; write nothing")
    .action(async (file: string, options: { dryRun?: boolean }) => {
      const parsed = parseInventoryCsv(readFileSync(file, "utf8"));
      const report = await withInventory((store) =>
        importInventory(store, parsed, { dryRun: options.dryRun === true, reason: `import ${file}` }),
      );
      print(report, json(), () => formatReport(report));
      if (report.counts.rejected > 0) process.exitCode = 1;
    });

  inventory
    .command("list")
    .description("list devices, in id order")
    .option("--selector <selector>", "e.g. tag:core,pid:C9300-*,loc:emea/fr (or the JSON form)")
    .addOption(
      new Option("--state <state>", "only in these states (repeat, or a,b)").argParser(collectStates),
    )
    .addOption(new Option("--limit <n>", "at most this many devices").argParser(positive))
    .action(async (options: { selector?: string; state?: LifecycleState[]; limit?: number }) => {
      const selector: Selector | undefined = options.selector ? parseSelector(options.selector) : undefined;
      const devices = await withInventory(async (store) => {
        const out: DeviceRecord[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.list({
            ...(selector ? { selector } : {}),
            ...(options.state ? { states: options.state } : {}),
            ...(cursor ? { cursor } : {}),
            limit: Math.min(500, (options.limit ?? Number.POSITIVE_INFINITY) - out.length),
          });
          out.push(...page.devices);
          cursor = page.nextCursor;
        } while (cursor && out.length < (options.limit ?? Number.POSITIVE_INFINITY));
        return out;
      });
      print(devices, json(), () =>
        devices.length === 0
          ? "no device matches"
          : [
              `${"id".padEnd(20)} ${"state".padEnd(12)} ${"pid".padEnd(18)} ${"location".padEnd(20)} tags`,
              ...devices.map(deviceLine),
            ].join("\n"),
      );
    });

  inventory
    .command("count")
    .description("how many devices are in each lifecycle state")
    .action(async () => {
      const counts = await withInventory((store) => store.countByState());
      print(counts, json(), () =>
        [...LIFECYCLE_STATES, "total" as const].map((s) => `${s.padEnd(13)}${counts[s]}`).join("\n"),
      );
    });

  inventory
    .command("show <id>")
    .description("one device (its id is its serial in lower case)")
    .action(async (id: string) => {
      const device = await withInventory((store) => store.get(id));
      if (!device) {
        throw new InventoryError("INVENTORY_NOT_FOUND", `no device ${id.toLowerCase()} in the inventory`, {
          id,
        });
      }
      print(device, json(), () => formatDevice(device));
    });

  inventory
    .command("claim <id>")
    .description("move an unclaimed (seen) device to planned, optionally with its plan")
    .option("--pid <pid>", "planned PID")
    .option("--location <path>", "location, e.g. emea/fr/par1")
    .option("--tag <tag>", "tag (repeat, or a,b); replaces the device's tags", collect)
    .option("--reason <text>", "recorded in the audit stream", "claimed")
    .action(
      async (id: string, options: { pid?: string; location?: string; tag?: string[]; reason: string }) => {
        const result = await withInventory((store) =>
          store.claim(
            id,
            {
              ...(options.pid !== undefined ? { pid: options.pid } : {}),
              ...(options.location !== undefined ? { location: options.location } : {}),
              ...(options.tag !== undefined ? { tags: options.tag } : {}),
            },
            options.reason,
          ),
        );
        print(result, json(), () =>
          result.changed
            ? `${result.id} claimed: planned`
            : `${result.id} was already claimed${result.changes.length > 0 ? `; updated ${result.changes.join(", ")}` : ""}`,
        );
      },
    );

  inventory
    .command("unclaim <id>")
    .description("move a device back to unclaimed (its plan is cleared and kept in the audit stream)")
    .requiredOption("--reason <text>", "why (recorded in the audit stream)")
    .action(async (id: string, options: { reason: string }) => {
      const result = await withInventory((store) => store.unclaim(id, options.reason));
      print(result, json(), () =>
        result.changed ? `${result.id} unclaimed` : `${result.id} was already unclaimed`,
      );
    });

  inventory
    .command("tag <id>")
    .description("add or remove tags")
    .option("--add <tag>", "tag to add (repeat, or a,b)", collect)
    .option("--remove <tag>", "tag to remove (repeat, or a,b)", collect)
    .action(async (id: string, options: { add?: string[]; remove?: string[] }) => {
      if (!options.add?.length && !options.remove?.length)
        throw new InvalidArgumentError("give --add and/or --remove");
      const tags = await withInventory(async (store) => {
        let after: string[] = [];
        if (options.add?.length) after = await store.addTag(id, options.add);
        if (options.remove?.length) after = await store.removeTag(id, options.remove);
        return after;
      });
      print(
        { id: id.toLowerCase(), tags },
        json(),
        () => `${id.toLowerCase()}: ${tags.join(" ") || "(no tags)"}`,
      );
    });

  const group = program.command("group").description("saved groups: a name for a selector");

  group
    .command("save <name> <selector>")
    .description("create or replace a group, e.g. group save paris-core tag:core,loc:emea/fr/par1")
    .action(async (name: string, text: string) => {
      const selector = parseSelector(text);
      const { created, group: saved } = await withInventory((store) => store.saveGroup(name, selector));
      print(
        { created, ...saved },
        json(),
        () => `group ${name} ${created ? "created" : "replaced"}: ${formatSelector(saved.selector)}`,
      );
    });

  group
    .command("list")
    .description("saved groups")
    .action(async () => {
      const groups = await withInventory((store) => store.listGroups());
      print(groups, json(), () =>
        groups.length === 0
          ? "no groups"
          : groups.map((g) => `${g.name.padEnd(24)} ${formatSelector(g.selector)}`).join("\n"),
      );
    });

  group
    .command("show <name>")
    .description("a group's selector and the devices it resolves to now")
    .action(async (name: string) => {
      const shown = await withInventory(async (store) => {
        const saved = await store.getGroup(name);
        if (!saved) return undefined;
        return { ...saved, ids: await store.resolve(saved.selector) };
      });
      if (!shown) {
        throw new InventoryError("GROUP_NOT_FOUND", `no group ${JSON.stringify(name)}`, { name });
      }
      print(shown, json(), () =>
        [
          `group     ${shown.name}`,
          `selector  ${formatSelector(shown.selector)}`,
          `devices   ${shown.ids.length}`,
          ...shown.ids.map((id) => `  ${id}`),
        ].join("\n"),
      );
    });

  group
    .command("delete <name>")
    .description("delete a group (its devices are not touched)")
    .action(async (name: string) => {
      const deleted = await withInventory((store) => store.deleteGroup(name));
      print({ name, deleted }, json(), () => (deleted ? `group ${name} deleted` : `no group ${name}`));
      if (!deleted) process.exitCode = 1;
    });
}
