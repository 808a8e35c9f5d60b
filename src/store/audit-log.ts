import type { Keys } from "./keys.js";
import type { PnpRedis } from "./redis.js";

/** Appends to the audit stream: who sent what we refused, and why. */
export class RedisAuditLog {
  constructor(
    private readonly redis: PnpRedis,
    private readonly keys: Keys,
    private readonly maxLen = 100_000,
  ) {}

  /**
   * Fields are often attacker-controlled (a device's iq id, names in an error text): each is capped, so
   * one device cannot grow Redis by gigabytes through the audit stream.
   */
  async record(kind: string, fields: Record<string, string | number>): Promise<void> {
    const flat: (string | number)[] = ["kind", kind, "ts", Date.now()];
    for (const [key, value] of Object.entries(fields)) flat.push(key, capField(value));
    await this.redis.xadd(this.keys.audit(), "MAXLEN", "~", this.maxLen, "*", ...flat);
  }
}

export const AUDIT_FIELD_MAX = 256;

function capField(value: string | number): string | number {
  if (typeof value !== "string" || value.length <= AUDIT_FIELD_MAX) return value;
  return `${value.slice(0, AUDIT_FIELD_MAX)}…[${value.length - AUDIT_FIELD_MAX} more characters]`;
}
