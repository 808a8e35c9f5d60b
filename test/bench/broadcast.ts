// Benchmark: broadcast device-info, then a cli-config change, to N simulated devices.
//  - baseline: a bare @xmpp/component sends the same PnP iq to every device and only counts replies;
//  - ours: a job through the PnP component; time until every result is in Redis.
// Also prints the component process's memory growth per device. The fleet runs in a child process.
// Run: npm run bench:broadcast -- [count]      (node --expose-gc is set by the npm script)
import { spawn } from "node:child_process";
import { component, xml } from "@xmpp/component";
import { createLogger } from "../../src/log/logger.js";
import { buildRequest, type ServiceRequest } from "../../src/protocol/index.js";
import { createRedis } from "../../src/store/redis.js";
import { createXmppTransport } from "../../src/transports/xmpp/service.js";
import { benchConfig, mb, startBenchStack, trustBenchCa } from "./harness.js";

const count = Number(process.argv[2] ?? 5000);
const config = benchConfig();
const gc = (globalThis as { gc?: () => void }).gc;

type Body = Omit<ServiceRequest, "correlator">;
const DEVICE_INFO = { service: "device-info", type: "all" } as Body;
const CLI_CONFIG = {
  service: "cli-config",
  operation: "configApply",
  data: {
    kind: "commands",
    commands: [
      "interface Loopback100",
      "description managed by pnp",
      "ip address 10.255.0.1 255.255.255.255",
    ],
  },
} as Body;

function heap(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

if (trustBenchCa(config)) {
  const stack = await startBenchStack(config);
  const prefix = `B${Date.now().toString(36).slice(-4)}`.toUpperCase();
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(5, "0")}`.toLowerCase());
  const fleet = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/index.ts", "simulate", "--count", String(count), "--prefix", prefix],
    {
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: stack.info.caCertPath,
        PNP_DATA_DIR: config.dataDir,
        PNP_XMPP_DOMAIN: stack.info.xmppDomain,
        PNP_COMPONENT_DOMAIN: stack.info.componentDomain,
        PNP_EJABBERD_C2S_PORT: String(stack.info.ejabberdC2sPort),
        PNP_EJABBERD_API_PORT: String(stack.info.ejabberdApiPort),
        PNP_LOG_PRETTY: "0",
        PNP_LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  try {
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      let buffer = "";
      fleet.stdout!.on("data", (d) => {
        buffer += d;
        if (/simulated devices online/.test(buffer)) resolve();
      });
      fleet.once("exit", (code) => reject(new Error(`fleet exited (${code})`)));
    });
    console.log(
      `devices                         ${count} (fleet online in ${((performance.now() - t0) / 1000).toFixed(1)} s, separate process)`,
    );

    // Baseline: bare component, same iq, replies counted, 1,000 outstanding at most.
    const bare = component({
      service: `xmpp://127.0.0.1:${stack.info.ejabberdComponentPort}`,
      domain: stack.info.componentDomain,
      password: config.componentSecret,
    });
    bare.on("error", () => undefined);
    await bare.start();
    async function baseline(body: Body, label: string): Promise<number> {
      let replies = 0;
      let release: () => void = () => undefined;
      let windowOpen = Promise.resolve();
      let outstanding = 0;
      let allDone: () => void = () => undefined;
      const done = new Promise<void>((r) => (allDone = r));
      const onStanza = (s: { name: string; attrs: Record<string, string> }) => {
        if (s.name !== "iq" || !s.attrs.id?.startsWith(label)) return;
        replies++;
        outstanding--;
        release();
        if (replies === count) allDone();
      };
      bare.on("stanza", onStanza);
      const start = performance.now();
      for (let i = 0; i < count; i++) {
        while (outstanding >= 1000) {
          windowOpen = new Promise<void>((r) => (release = r));
          await windowOpen;
        }
        outstanding++;
        const pnp = buildRequest({ udi: `PID:,VID:,SN:${ids[i]}` }, {
          ...body,
          correlator: `${label}-${i}`,
        } as ServiceRequest);
        await bare.send(
          xml(
            "iq",
            {
              type: "set",
              to: `${ids[i]}@${stack.info.xmppDomain}/pnp`,
              from: stack.info.componentDomain,
              id: `${label}-${i}`,
            },
            pnp,
          ),
        );
      }
      await done;
      bare.off("stanza", onStanza);
      return performance.now() - start;
    }
    const baseInfo = await baseline(DEVICE_INFO, "bi");
    const baseConfig = await baseline(CLI_CONFIG, "bc");
    await bare.stop();

    // Ours: the PnP component, jobs, Redis.
    const redis = createRedis(stack.info.redisUrl);
    const heapBefore = heap();
    const rssBefore = process.memoryUsage().rss;
    const transport = createXmppTransport({
      config: { ...stack.config, reconcileIntervalMs: 0 },
      logger: createLogger({ level: "warn" }),
      redis,
    });
    // Our component connects after the fleet, so it reconciles every session and asks each device to
    // announce itself again: let that one-off burst finish, to measure the broadcast in steady state.
    let announced = 0;
    const allAnnounced = new Promise<void>((resolve) => {
      transport.connection.xmpp.on("stanza", (s: { name: string; attrs: Record<string, string> }) => {
        if (s.name === "iq" && s.attrs.id?.startsWith("announce:") && ++announced === count) resolve();
      });
    });
    const t1 = performance.now();
    await transport.start();
    await allAnnounced;
    console.log(
      `component start + reconcile     ${((performance.now() - t1) / 1000).toFixed(1)} s (${count} sessions marked up and re-announced)`,
    );
    const reader = redis.duplicate();
    let lastId = "$";
    async function untilJobDone(jobId: string): Promise<void> {
      for (;;) {
        const reply = (await reader.xread(
          "COUNT",
          10000,
          "BLOCK",
          10000,
          "STREAMS",
          transport.keys.events(),
          lastId,
        )) as [string, [string, string[]][]][] | null;
        if (!reply)
          throw new Error(
            `job ${jobId} stalled: ${JSON.stringify((await transport.jobs.get(jobId))?.counts)}`,
          );
        for (const [, entries] of reply) {
          for (const [id, f] of entries) {
            lastId = id;
            if (
              f[1] === "job" &&
              f[f.indexOf("job", 2) + 1] === jobId &&
              f[f.indexOf("state") + 1] !== "running"
            )
              return;
          }
        }
      }
    }
    async function ours(body: Body): Promise<{ ms: number; ok: number }> {
      const start = performance.now();
      const job = await transport.jobs.create({
        devices: ids,
        request: body as never,
        target: "bench",
        maxAttempts: 1,
      });
      await untilJobDone(job.id);
      const ms = performance.now() - start;
      const done = (await transport.jobs.get(job.id))!;
      return { ms, ok: done.counts.succeeded };
    }
    // Warm-up (JIT, first script loads, first dispatch round) on 50 devices, not measured.
    const warm = await transport.jobs.create({
      devices: ids.slice(0, 50),
      request: DEVICE_INFO as never,
      target: "warm-up",
    });
    await untilJobDone(warm.id);
    const info = await ours(DEVICE_INFO);
    const cfg = await ours(CLI_CONFIG);
    const heapAfter = heap();
    const rssAfter = process.memoryUsage().rss;
    const row = (label: string, base: number, our: { ms: number; ok: number }) =>
      console.log(
        `${label.padEnd(32)}baseline ${base.toFixed(0)} ms, ours ${our.ms.toFixed(0)} ms (${our.ok}/${count} succeeded), ratio ${(our.ms / base).toFixed(2)}`,
      );
    row("device-info broadcast", baseInfo, info);
    row("cli-config broadcast", baseConfig, cfg);
    console.log(
      `component heap growth           ${mb(heapAfter - heapBefore)} (${((heapAfter - heapBefore) / count).toFixed(0)} B/device${gc ? "" : ", no --expose-gc"})`,
    );
    console.log(
      `component RSS growth            ${mb(rssAfter - rssBefore)} (${((rssAfter - rssBefore) / count).toFixed(0)} B/device)`,
    );
    // Where Redis spent its time during both broadcasts (the component process itself is mostly idle).
    const stats = (await redis.info("commandstats"))
      .split("\n")
      .map((line) => /^cmdstat_(\w+):calls=(\d+),usec=(\d+)/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ command: m[1]!, calls: Number(m[2]), ms: Number(m[3]) / 1000 }))
      .sort((x, y) => y.ms - x.ms)
      .slice(0, 6);
    console.log(
      `redis busiest commands          ${stats.map((s) => `${s.command} ${s.ms.toFixed(0)} ms/${s.calls}`).join(", ")}`,
    );
    await transport.stop();
    reader.disconnect();
    redis.disconnect();
  } finally {
    fleet.kill("SIGTERM");
    await new Promise((r) => fleet.once("exit", r));
    await stack.stop();
  }
}
