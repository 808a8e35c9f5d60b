import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65_535);
const bool = z
  .enum(["1", "0", "true", "false", "yes", "no"])
  .transform((v) => v === "1" || v === "true" || v === "yes");

/**
 * Every setting, its environment variable and its default. The README's configuration table is this list.
 * Environment variables are named PNP_<UPPER_SNAKE> after the key.
 */
export const configSchema = z.object({
  /** XMPP domain the devices log in to (their JIDs are <local>@xmppDomain). */
  xmppDomain: z.string().min(1).default("pnp.local"),
  /** Our component's domain: the server JID the agents talk to. */
  componentDomain: z.string().min(1).default("pnpserver.pnp.local"),
  /** XEP-0114 shared secret between ejabberd and the component. */
  componentSecret: z
    .string()
    .min(8, "PNP_COMPONENT_SECRET must be at least 8 characters")
    .default("change-me-component-secret"),
  /** Host of ejabberd's component listener (plain TCP: keep it on loopback or a private link). */
  ejabberdHost: z.string().default("127.0.0.1"),
  ejabberdComponentPort: port.default(5275),
  ejabberdC2sPort: port.default(5222),
  ejabberdC2sTlsPort: port.default(5223),
  ejabberdApiPort: port.default(5281),
  /** ejabberd HTTP API base, used for reconciliation and account admin. Derived from host and port if unset. */
  ejabberdApiUrl: z.url().optional(),
  /** Redis URL; unset means our scripts start a project-local redis-server. */
  redisUrl: z.string().optional(),
  /** Prefix of every Redis key; wrapped in a hash tag so Redis Cluster keeps our keys in one slot. */
  redisPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/)
    .default("pnp"),
  /** Where the project-local ejabberd, Redis and certificates keep their files. */
  dataDir: z.string().default(".local"),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  logPretty: bool.default(false),
  /** Reconnect backoff of the component: first delay, cap, and jitter ratio. */
  reconnectBaseMs: z.coerce.number().int().min(10).default(500),
  reconnectMaxMs: z.coerce.number().int().min(100).default(30_000),
  /** How long to wait for a device's answer to a one-off request (device-info from the CLI). */
  requestTimeoutMs: z.coerce.number().int().min(100).default(30_000),
  /** Re-check presence against ejabberd's session list this often (0 = only after each reconnection). */
  reconcileIntervalMs: z.coerce.number().int().min(0).default(300_000),
  /** First retry of a timed-out task waits this long; each further retry twice as long. */
  retryBackoffMs: z.coerce.number().int().min(0).default(5_000),
  /** Presence events kept in the Redis stream (approximate trim). */
  eventStreamMaxLen: z.coerce.number().int().min(100).default(100_000),
  /** mod_ping settings for the local ejabberd: how fast a silently dead device is noticed. */
  pingIntervalSec: z.coerce.number().int().min(1).default(60),
  pingAckTimeoutSec: z.coerce.number().int().min(1).default(32),
  /** Server authorization token signing authority (root, signer, keys 0600); unset: <dataDir>/token-ca. */
  tokenCaDir: z.string().min(1).optional(),
  /** Deployment id written into issued tokens; unset: the one the signing authority was created with. */
  tokenDeploymentId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/)
    .optional(),
});

export type Config = z.infer<typeof configSchema>;

export function envName(key: string): string {
  return `PNP_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}
