// Benchmark: N devices log in (SASL PLAIN over STARTTLS) and announce presence. Prints the time until all
// are up in Redis through our component, beside a bare component that only counts presences.
// Run: npm run bench:presence -- [count]
import { component } from "@xmpp/component";
import { createLogger } from "../../src/log/logger.js";
import { createRedis } from "../../src/store/redis.js";
import { EjabberdApi } from "../../src/transports/xmpp/ejabberd-api.js";
import { createXmppTransport } from "../../src/transports/xmpp/service.js";
import { benchConfig, loginAll, registerAccounts, startBenchStack, trustBenchCa } from "./harness.js";

const count = Number(process.argv[2] ?? 1000);
const config = benchConfig();
if (trustBenchCa(config)) {
  const stack = await startBenchStack(config);
  const api = new EjabberdApi(`http://127.0.0.1:${stack.info.ejabberdApiPort}/api`);
  try {
    const accountsA = await registerAccounts(api, stack.info.xmppDomain, count);
    const accountsB = await registerAccounts(api, stack.info.xmppDomain, count);

    // Baseline: a bare @xmpp/component that counts available presences and does nothing else.
    const bare = component({
      service: `xmpp://127.0.0.1:${stack.info.ejabberdComponentPort}`,
      domain: stack.info.componentDomain,
      password: config.componentSecret,
    });
    bare.on("error", () => undefined);
    let seen = 0;
    let allSeen: () => void = () => undefined;
    const baselineDone = new Promise<void>((r) => (allSeen = r));
    bare.on("stanza", (s: { name: string; attrs: Record<string, string> }) => {
      if (s.name === "presence" && !s.attrs.type && ++seen === count) allSeen();
    });
    await bare.start();
    let t0 = performance.now();
    const agentsA = await loginAll(stack, accountsA);
    await baselineDone;
    const baselineMs = performance.now() - t0;
    await Promise.all(agentsA.map((a) => a.stop()));
    await bare.stop();

    // Ours: presence recorded in Redis by the PnP component (Lua script + event stream per change).
    const redis = createRedis(stack.info.redisUrl);
    const transport = createXmppTransport({
      config: stack.config,
      logger: createLogger({ level: "warn" }),
      redis,
    });
    await transport.start();
    const key = transport.keys.presenceUp();
    const reader = redis.duplicate();
    t0 = performance.now();
    const agentsB = await loginAll(stack, accountsB);
    const loginsMs = performance.now() - t0;
    // Wait on the event stream (no polling sleeps) until every device is up in Redis.
    let lastId = "0";
    let up = 0;
    while (up < count) {
      const reply = (await reader.xread(
        "COUNT",
        5000,
        "BLOCK",
        5000,
        "STREAMS",
        transport.keys.events(),
        lastId,
      )) as [string, [string, string[]][]][] | null;
      if (!reply) throw new Error(`stalled at ${await redis.zcard(key)} of ${count} up`);
      for (const [, entries] of reply)
        for (const [id, fields] of entries) {
          lastId = id;
          if (fields[fields.indexOf("state") + 1] === "up") up++;
        }
    }
    const oursMs = performance.now() - t0;
    const inRedis = await redis.zcard(key);
    console.log(`devices                      ${count}`);
    console.log(
      `bare component, all seen     ${baselineMs.toFixed(0)} ms  (${(count / (baselineMs / 1000)).toFixed(0)} devices/s)`,
    );
    console.log(
      `PnP component, all in Redis  ${oursMs.toFixed(0)} ms  (${(count / (oursMs / 1000)).toFixed(0)} devices/s; logins alone ${loginsMs.toFixed(0)} ms)`,
    );
    console.log(`ratio ours / bare            ${(oursMs / baselineMs).toFixed(2)}`);
    console.log(`up in Redis at the end       ${inRedis}`);
    await Promise.all(agentsB.map((a) => a.stop()));
    await transport.stop();
    reader.disconnect();
    redis.disconnect();
  } finally {
    await stack.stop();
  }
}
