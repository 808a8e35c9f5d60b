import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { XmppAgent } from "../../src/agent/xmpp-agent.js";
import { reexecTrusting } from "../../src/cli/trust-env.js";
import { loadConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import { type LocalStack, startLocalStack } from "../../src/localstack/stack.js";
import type { EjabberdApi } from "../../src/transports/xmpp/ejabberd-api.js";
import { ensureDevCerts } from "../../src/trust/dev-certs.js";

export const BENCH_DIR = resolve(".local/bench");

/** Makes sure this process trusts the bench CA (re-executing itself if needed); true means "carry on". */
export function trustBenchCa(config: Config): boolean {
  mkdirSync(BENCH_DIR, { recursive: true });
  const certs = ensureDevCerts({
    dir: join(BENCH_DIR, "certs"),
    xmppDomain: config.xmppDomain,
    componentDomain: config.componentDomain,
  });
  return !reexecTrusting(certs.caCertPath);
}

export function benchConfig(): Config {
  return loadConfig(
    {
      dataDir: BENCH_DIR,
      xmppDomain: "bench.test",
      componentDomain: "pnpserver.bench.test",
      componentSecret: "bench-secret",
      logLevel: "warn",
      reconcileIntervalMs: 0,
    },
    {},
  );
}

export async function startBenchStack(config: Config): Promise<LocalStack> {
  return startLocalStack({ config, freePorts: true, forceLocalRedis: true });
}

/** Registers `count` device accounts through ejabberd's API, `parallel` at a time. */
export async function registerAccounts(api: EjabberdApi, domain: string, count: number, parallel = 16) {
  const run = randomBytes(3).toString("hex");
  const accounts = Array.from({ length: count }, (_, i) => ({
    username: `b${run}-${i}`,
    password: randomBytes(9).toString("base64url"),
  }));
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < accounts.length) {
        const a = accounts[next++]!;
        await api.register(a.username, domain, a.password);
      }
    }),
  );
  return accounts;
}

/** Logs the devices in `concurrency` at a time; each sends directed presence to the server JID. */
export async function loginAll(
  stack: LocalStack,
  accounts: { username: string; password: string }[],
  concurrency = 64,
): Promise<XmppAgent[]> {
  const agents = accounts.map(
    (a) =>
      new XmppAgent({
        service: `xmpp://127.0.0.1:${stack.info.ejabberdC2sPort}`,
        domain: stack.info.xmppDomain,
        username: a.username,
        password: a.password,
        serverJid: stack.info.componentDomain,
        reconnect: false,
        handle: async () => {
          throw new Error("bench device");
        },
      }),
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < agents.length) await agents[next++]!.start();
    }),
  );
  return agents;
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
