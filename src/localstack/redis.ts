import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type ManagedChild, spawnManaged } from "./child.js";
import { ensureDebianPackage } from "./debian.js";
import { freePort } from "./ports.js";

const REDIS_SERVER = "/usr/bin/redis-server";

export interface LocalRedisOptions {
  /** Data folder: AOF and logs live here, never in /var/lib/redis. */
  dir: string;
  port?: number;
  host?: string;
  password?: string;
}

export interface LocalRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts a project-local redis-server (installing Debian's package when missing) and waits until it is ready. */
export async function startLocalRedis(options: LocalRedisOptions): Promise<LocalRedis> {
  ensureDebianPackage("redis-server", REDIS_SERVER);
  mkdirSync(options.dir, { recursive: true });
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? (await freePort(host));
  const args = [
    "--port",
    String(port),
    "--bind",
    host,
    "--dir",
    options.dir,
    // Redis is our database: append-only file so inventory, jobs and results survive restarts.
    "--appendonly",
    "yes",
    "--appendfsync",
    "everysec",
    "--save",
    "",
    "--daemonize",
    "no",
    "--protected-mode",
    "yes",
    "--maxclients",
    "10000",
  ];
  if (options.password) args.push("--requirepass", options.password);
  const child: ManagedChild = spawnManaged(REDIS_SERVER, args, { logFile: join(options.dir, "redis.log") });
  await child.waitForLine(/Ready to accept connections/, 20_000);
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : "";
  return {
    url: `redis://${auth}${host}:${port}`,
    port,
    stop: () => child.stop(),
  };
}
