import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Config } from "../config/schema.js";
import { ensureDevCerts } from "../trust/dev-certs.js";
import { type LocalEjabberd, startLocalEjabberd } from "./ejabberd.js";
import { type LocalRedis, startLocalRedis } from "./redis.js";

export interface LocalStackOptions {
  config: Config;
  /** Use free loopback ports instead of the configured ones (tests). */
  freePorts?: boolean;
  /** Start Redis even when config.redisUrl is set (tests). */
  forceLocalRedis?: boolean;
}

/** What a running local stack looks like; written to <dataDir>/stack.json so other commands find it. */
export interface StackInfo {
  redisUrl: string;
  xmppDomain: string;
  componentDomain: string;
  ejabberdHost: string;
  ejabberdC2sPort: number;
  ejabberdC2sTlsPort: number;
  ejabberdComponentPort: number;
  ejabberdApiPort: number;
  caCertPath: string;
  ejabberdDir: string;
}

export interface LocalStack {
  info: StackInfo;
  /** The configuration with the stack's actual ports and Redis URL filled in. */
  config: Config;
  ejabberd: LocalEjabberd;
  redis: LocalRedis | undefined;
  stop(): Promise<void>;
}

export function stackFile(dataDir: string): string {
  return join(resolve(dataDir), "stack.json");
}

export function readStackInfo(dataDir: string): StackInfo | undefined {
  try {
    return JSON.parse(readFileSync(stackFile(dataDir), "utf8")) as StackInfo;
  } catch {
    return undefined;
  }
}

/**
 * Certificates, Redis (unless a URL is configured) and ejabberd, all project-local under dataDir: never
 * the system services, their config or their ports.
 */
export async function startLocalStack({
  config,
  freePorts = false,
  forceLocalRedis = false,
}: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const certs = ensureDevCerts({
    dir: join(dataDir, "certs"),
    xmppDomain: config.xmppDomain,
    componentDomain: config.componentDomain,
  });

  let redis: LocalRedis | undefined;
  let redisUrl = config.redisUrl;
  if (!redisUrl || forceLocalRedis) {
    redis = await startLocalRedis({ dir: join(dataDir, "redis") });
    redisUrl = redis.url;
  }

  const ejabberdDir = join(dataDir, "ejabberd");
  let ejabberd: LocalEjabberd;
  try {
    ejabberd = await startLocalEjabberd({
      dir: ejabberdDir,
      xmppDomain: config.xmppDomain,
      componentDomain: config.componentDomain,
      componentSecret: config.componentSecret,
      certFile: certs.ejabberdPemPath,
      ports: freePorts
        ? {}
        : {
            c2s: config.ejabberdC2sPort,
            c2sTls: config.ejabberdC2sTlsPort,
            component: config.ejabberdComponentPort,
            api: config.ejabberdApiPort,
          },
      pingIntervalSec: config.pingIntervalSec,
      pingAckTimeoutSec: config.pingAckTimeoutSec,
    });
  } catch (err) {
    await redis?.stop();
    throw err;
  }

  const info: StackInfo = {
    redisUrl,
    xmppDomain: config.xmppDomain,
    componentDomain: config.componentDomain,
    ejabberdHost: "127.0.0.1",
    ejabberdC2sPort: ejabberd.ports.c2s,
    ejabberdC2sTlsPort: ejabberd.ports.c2sTls,
    ejabberdComponentPort: ejabberd.ports.component,
    ejabberdApiPort: ejabberd.ports.api,
    caCertPath: certs.caCertPath,
    ejabberdDir,
  };
  writeFileSync(stackFile(dataDir), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  const stackConfig: Config = {
    ...config,
    redisUrl,
    ejabberdHost: "127.0.0.1",
    ejabberdC2sPort: ejabberd.ports.c2s,
    ejabberdC2sTlsPort: ejabberd.ports.c2sTls,
    ejabberdComponentPort: ejabberd.ports.component,
    ejabberdApiPort: ejabberd.ports.api,
    ejabberdApiUrl: ejabberd.apiUrl,
  };
  return {
    info,
    config: stackConfig,
    ejabberd,
    redis,
    async stop() {
      rmSync(stackFile(dataDir), { force: true });
      await ejabberd.stop();
      await redis?.stop();
    },
  };
}
