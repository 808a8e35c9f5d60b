/**
 * ejabberd's external-auth program for PnP devices (`auth_method: external`, `extauth_program`). ejabberd
 * starts it and talks to it on stdin/stdout (protocol.ts); it answers from Redis. Settings come from the
 * PNP_* environment (PNP_REDIS_URL, PNP_REDIS_PREFIX, PNP_XMPP_DOMAIN), overridden by an optional JSON file
 * given as the only argument (written by launch.ts, mode 0600, so the Redis URL is not on the command line).
 * Nothing but protocol frames may ever be written to stdout; diagnostics go to stderr (ejabberd's console).
 */
import { readFileSync } from "node:fs";
import { Redis } from "ioredis";
import { loadConfig } from "../../config/load.js";
import { RedisCredentialStore } from "../../store/credential-store.js";
import { createKeys } from "../../store/keys.js";
import { serveExtauth } from "./serve.js";

function log(entry: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify({ time: Date.now(), part: "pnp-extauth", ...entry })}\n`);
}

async function main(): Promise<void> {
  const file = process.argv[2];
  const overrides = file ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};
  const config = loadConfig(overrides);
  if (!config.redisUrl) throw new Error("no Redis URL: set PNP_REDIS_URL or give a settings file");
  // Fail closed and fast: a login waits for at most one command timeout, then is refused.
  const redis = new Redis(config.redisUrl, { commandTimeout: 3000, maxRetriesPerRequest: 1 });
  redis.on("error", (err: Error) => log({ msg: "redis error", error: err.message }));
  const store = new RedisCredentialStore(redis, createKeys(config.redisPrefix));
  await serveExtauth(process.stdin, process.stdout, {
    xmppDomain: config.xmppDomain,
    lookup: (id) => store.lookup(id),
    log: (entry) => log({ msg: "login refused", ...entry }),
  });
  redis.disconnect();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log({ msg: "stopped", error: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  },
);
