#!/usr/bin/env node
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { startFleet } from "../agent/fleet-runner.js";
import { fleetFromTopology } from "../agent/model/index.js";
import { ejabberdApiUrl } from "../config/load.js";
import { askDevice } from "../core/ask.js";
import { errorMessage } from "../errors.js";
import { readStackInfo, startLocalStack } from "../localstack/stack.js";
import { DEVICE_INFO_TYPES } from "../protocol/index.js";
import { startServer, stopOnSignals } from "../server.js";
import { RedisDeviceStore } from "../store/device-store.js";
import { createKeys } from "../store/keys.js";
import { RedisPresenceStore } from "../store/presence-store.js";
import { createRedis } from "../store/redis.js";
import { RedisTaskStore } from "../store/task-store.js";
import { EjabberdApi } from "../transports/xmpp/ejabberd-api.js";
import { cliConfig, cliLogger, print, requireRedisUrl } from "./context.js";
import { registerInventoryCommands, resolveInventoryTarget } from "./inventory-commands.js";
import { registerJobCommands } from "./job-commands.js";
import { reexecTrusting, spawnTrusting } from "./trust-env.js";

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("must be a whole number ≥ 0");
  return n;
}

const program = new Command()
  .name("pnpctl")
  .description("Cisco Open PnP deployment server: run it, and talk to devices through it")
  .option("--json", "machine-readable output");

program
  .command("serve")
  .description(
    "run the PnP server (component beside ejabberd); with --local, start a project-local ejabberd and Redis first",
  )
  .option(
    "--local",
    "start project-local ejabberd and Redis under the data folder (never the system services)",
  )
  .addOption(
    new Option("--demo <count>", "also run this many simulated devices in this process")
      .argParser(positiveInt)
      .default(0),
  )
  .action(async (options: { local?: boolean; demo: number }) => {
    let config = cliConfig();
    const logger = cliLogger(config);
    const stack = options.local ? await startLocalStack({ config }) : undefined;
    if (stack) {
      config = stack.config;
      logger.info({ ...stack.info, redisUrl: undefined }, "local ejabberd and Redis running");
    }
    const server = await startServer(config, logger);
    // Demo devices run in a child process of their own, which trusts the development CA (see trust-env).
    let demo: ChildProcess | undefined;
    if (options.demo > 0) {
      const caCertPath = stack?.info.caCertPath ?? readStackInfo(config.dataDir)?.caCertPath;
      if (!caCertPath) throw new Error("--demo needs the local stack's CA: use it with --local");
      demo = spawnTrusting(caCertPath, [
        process.argv[1]!,
        "simulate",
        "--count",
        String(options.demo),
        "--prefix",
        "DEMO",
      ]);
      logger.info(
        { count: options.demo },
        "starting demo devices (demo00000…); try: npm run pnpctl -- device-info demo00000",
      );
    }
    stopOnSignals(async () => {
      if (demo && demo.exitCode === null) {
        const gone = once(demo, "exit");
        demo.kill("SIGTERM");
        await gone;
      }
      await server.stop();
      await stack?.stop();
    }, logger);
  });

program
  .command("device-info <device>")
  .description(
    "ask one device (its id: the serial in lower case, or its JID) for device-info, store the answer and print it",
  )
  .addOption(new Option("--type <type>", "which sections").choices([...DEVICE_INFO_TYPES]).default("all"))
  .addOption(
    new Option("--timeout <ms>", "how long to wait for the answer").argParser(positiveInt).default(30_000),
  )
  .action(async (deviceArg: string, options: { type: string; timeout: number }) => {
    const json = program.opts().json === true;
    const config = cliConfig();
    const device = (deviceArg.split("@")[0] ?? deviceArg).toLowerCase();
    const redis = createRedis(requireRedisUrl(config));
    try {
      const keys = createKeys(config.redisPrefix);
      const tasks = new RedisTaskStore(redis, keys, config.eventStreamMaxLen);
      const presence = await new RedisPresenceStore(redis, keys, "cli", config.eventStreamMaxLen).get(device);
      if (presence?.state !== "up")
        process.stderr.write(`note: ${device} is not up now; the request waits for it until the timeout\n`);
      const task = await askDevice(
        tasks,
        device,
        { service: "device-info", type: options.type as "all" },
        { timeoutMs: options.timeout },
      );
      if (task.state !== "succeeded") {
        print(
          task,
          json,
          () =>
            `device-info for ${device}: ${task.state}${task.result?.errorCode ? ` (${task.result.errorCode}: ${task.result.errorMessage ?? ""})` : ""}`,
        );
        process.exitCode = 2;
        return;
      }
      const record = await new RedisDeviceStore(redis, keys).get(device);
      print(record, json, () => formatDeviceInfo(device, record?.deviceInfo));
    } finally {
      redis.disconnect();
    }
  });

program
  .command("presence")
  .description("list the devices that are up now")
  .action(async () => {
    const json = program.opts().json === true;
    const config = cliConfig();
    const redis = createRedis(requireRedisUrl(config));
    try {
      const up = await new RedisPresenceStore(
        redis,
        createKeys(config.redisPrefix),
        "cli",
        config.eventStreamMaxLen,
      ).listUp();
      print(up, json, () =>
        up.length === 0
          ? "no device is up"
          : up.map((u) => `${u.device}  up since ${new Date(u.since).toISOString()}`).join("\n"),
      );
    } finally {
      redis.disconnect();
    }
  });

program
  .command("simulate")
  .description(
    "run simulated PnP devices against the configured ejabberd (accounts are created through its API)",
  )
  .addOption(new Option("--count <n>", "how many devices").argParser(positiveInt).default(10))
  .option("--prefix <serialPrefix>", "serial number prefix", "SIM")
  .option(
    "--topology <file>",
    "build the fleet from a topology file (devices and CDP links) instead of --count",
  )
  .action(async (options: { count: number; prefix: string; topology?: string }) => {
    const config = cliConfig();
    if (reexecTrusting(readStackInfo(config.dataDir)?.caCertPath)) return;
    const logger = cliLogger(config);
    const fleet = await startFleet({
      service: `xmpp://${config.ejabberdHost}:${config.ejabberdC2sPort}`,
      domain: config.xmppDomain,
      serverJid: config.componentDomain,
      api: new EjabberdApi(ejabberdApiUrl(config)),
      count: options.count,
      serialPrefix: options.prefix,
      ...(options.topology
        ? { models: [...fleetFromTopology(readFileSync(options.topology, "utf8")).values()] }
        : {}),
    });
    logger.info({ count: fleet.devices.length }, "simulated devices online");
    stopOnSignals(() => fleet.stop(), logger);
  });

function formatDeviceInfo(
  device: string,
  info: import("../protocol/index.js").DeviceInfoData | undefined,
): string {
  if (!info) return `${device}: no device-info stored`;
  const lines = [`device      ${device}`];
  if (info.udi) lines.push(`udi         ${info.udi.primaryChassis}`);
  for (const m of info.udi?.stackMembers ?? []) lines.push(`  member ${m.slot}  ${m.udi}`);
  for (const s of info.udi?.standbyUdis ?? []) lines.push(`  standby   ${s}`);
  const hw = info.hardwareInfo;
  if (hw)
    lines.push(`hardware    ${[hw.platformName, hw.hostname, hw.processorType].filter(Boolean).join(", ")}`);
  const img = info.imageInfo;
  if (img) lines.push(`image       ${img.imageFile} (${img.versionString})`, `hash        ${img.imageHash}`);
  for (const fs of info.fileSystemList ?? [])
    lines.push(
      `filesystem  ${fs.name.padEnd(10)} ${fs.type.padEnd(6)} ${fs.freespace}/${fs.size} bytes free`,
    );
  return lines.join("\n");
}

registerInventoryCommands(program);
registerJobCommands(program, resolveInventoryTarget);
(await import("./token-commands.js")).registerTokenCommands(program);
(await import("./credential-commands.js")).registerCredentialCommands(program);

program.parseAsync().catch((err: unknown) => {
  const code = (err as { code?: string }).code;
  process.stderr.write(`pnpctl: ${code ? `${code}: ` : ""}${errorMessage(err)}\n`);
  process.exit(1);
});
