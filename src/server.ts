import type { Config } from "./config/schema.js";
import type { Logger } from "./log/logger.js";
import { createRedis, type PnpRedis } from "./store/redis.js";
import { createXmppTransport, type XmppTransport } from "./transports/xmpp/service.js";

export interface PnpServer {
  redis: PnpRedis;
  xmpp: XmppTransport;
  stop(): Promise<void>;
}

/** Connects to Redis and ejabberd and starts serving. The HTTP transport and the API join here later. */
export async function startServer(config: Config, logger: Logger): Promise<PnpServer> {
  if (!config.redisUrl) throw new Error("no Redis URL: set PNP_REDIS_URL or start the local stack");
  const redis = createRedis(config.redisUrl);
  redis.on("error", (err) => logger.warn({ err: err.message }, "redis connection error"));
  const xmpp = createXmppTransport({ config, logger, redis });
  try {
    await xmpp.start();
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  logger.info(
    { componentDomain: config.componentDomain, xmppDomain: config.xmppDomain },
    "PnP server running",
  );
  return {
    redis,
    xmpp,
    async stop() {
      await xmpp.stop();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Stops everything on SIGINT/SIGTERM, once, within a grace period; a second signal forces the exit. */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger, graceMs = 15_000): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error({ graceMs }, "graceful shutdown took too long; exiting");
      process.exit(1);
    }, graceMs);
    timer.unref();
    stop()
      .then(() => process.exit(0))
      .catch((err) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
