import type { Keys } from "./keys.js";
import type { PnpRedis } from "./redis.js";

/** Appends to the audit stream: who sent what we refused, and why. */
export class RedisAuditLog {
  constructor(
    private readonly redis: PnpRedis,
    private readonly keys: Keys,
    private readonly maxLen = 100_000,
  ) {}

  async record(kind: string, fields: Record<string, string | number>): Promise<void> {
    const flat: (string | number)[] = ["kind", kind, "ts", Date.now()];
    for (const [key, value] of Object.entries(fields)) flat.push(key, value);
    await this.redis.xadd(this.keys.audit(), "MAXLEN", "~", this.maxLen, "*", ...flat);
  }
}
