import { loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { readStackInfo } from "../localstack/stack.js";
import { createLogger, type Logger } from "../log/logger.js";
import { createRedis, type PnpRedis } from "../store/redis.js";

/**
 * The configuration a CLI command runs with: PNP_* variables, then the running local stack's ports and
 * Redis URL (from <dataDir>/stack.json) where the environment does not say otherwise.
 */
export function cliConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig(overrides);
  const stack = readStackInfo(base.dataDir);
  if (!stack) return base;
  const fromStack: Partial<Config> = {
    ejabberdHost: stack.ejabberdHost,
    ejabberdC2sPort: stack.ejabberdC2sPort,
    ejabberdC2sTlsPort: stack.ejabberdC2sTlsPort,
    ejabberdComponentPort: stack.ejabberdComponentPort,
    ejabberdApiPort: stack.ejabberdApiPort,
  };
  if (!base.redisUrl) fromStack.redisUrl = stack.redisUrl;
  return loadConfig({ ...fromStack, ...overrides });
}

export function cliLogger(config: Config, json = false): Logger {
  return createLogger({
    level: config.logLevel,
    pretty: !json && (config.logPretty || process.stdout.isTTY === true),
  });
}

export function print(data: unknown, json: boolean, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}

export function requireRedisUrl(config: Config): string {
  if (!config.redisUrl) {
    throw new Error(
      "no Redis URL: set PNP_REDIS_URL, or run `pnpctl serve --local` so its stack.json is found",
    );
  }
  return config.redisUrl;
}

/** Opens Redis for one command with the CLI's configuration, and always closes it afterwards. */
export async function withRedis<T>(config: Config, run: (redis: PnpRedis) => Promise<T>): Promise<T> {
  const redis = createRedis(requireRedisUrl(config));
  try {
    return await run(redis);
  } finally {
    redis.disconnect();
  }
}
