import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { inject } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import { createLogger, type Logger } from "../../src/log/logger.js";
import { createRedis, type PnpRedis } from "../../src/store/redis.js";
import { EjabberdApi } from "../../src/transports/xmpp/ejabberd-api.js";

/** A config pointing at the suite's stack, with a key prefix of its own. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const stack = inject("stack");
  return loadConfig(
    {
      xmppDomain: stack.xmppDomain,
      componentDomain: stack.componentDomain,
      componentSecret: stack.componentSecret,
      ejabberdHost: stack.ejabberdHost,
      ejabberdComponentPort: stack.ejabberdComponentPort,
      ejabberdC2sPort: stack.ejabberdC2sPort,
      ejabberdC2sTlsPort: stack.ejabberdC2sTlsPort,
      ejabberdApiPort: stack.ejabberdApiPort,
      redisUrl: stack.redisUrl,
      redisPrefix: `t${randomBytes(4).toString("hex")}`,
      reconnectBaseMs: 100,
      reconnectMaxMs: 1000,
      ...overrides,
    },
    {},
  );
}

/** A logger whose lines tests can read back. */
export function captureLogger(level = "debug"): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk.toString());
      if (process.env.PNP_TEST_LOG) process.stderr.write(chunk);
      done();
    },
  });
  const logger = createLogger({ level, destination: sink });
  return {
    logger,
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export function testRedis(config: Config): PnpRedis {
  return createRedis(config.redisUrl!);
}

export function ejabberdApi(): EjabberdApi {
  const stack = inject("stack");
  return new EjabberdApi(`http://127.0.0.1:${stack.ejabberdApiPort}/api`);
}

/** Registers device accounts in the suite's ejabberd; names are unique per call. */
export async function registerDevices(
  count: number,
  tag: string,
): Promise<{ username: string; password: string; jid: string }[]> {
  const stack = inject("stack");
  const api = ejabberdApi();
  const run = randomBytes(3).toString("hex");
  const devices = Array.from({ length: count }, (_, i) => {
    const username = `${tag}-${run}-${i}`;
    return { username, password: randomBytes(12).toString("hex"), jid: `${username}@${stack.xmppDomain}` };
  });
  await Promise.all(devices.map((d) => api.register(d.username, stack.xmppDomain, d.password)));
  return devices;
}

export { loadConfig };
