import type { Redis } from "ioredis";
import type {
  AuthLookup,
  CredentialRecord,
  CredentialSecret,
  CredentialStore,
  PutOutcome,
  RevokeOutcome,
} from "../trust/credentials.js";
import { inventoryKeys, type Keys } from "./keys.js";

/*
 * Both scripts keep the credential hash and the inventory check in one atomic step, and append to the
 * shared audit stream (kind=credentials). Every key shares the prefix's hash tag (one Redis Cluster slot).
 * They live here, not in scripts/, so this file is the whole of the credential store.
 */

/**
 * KEYS[1] credential hash   KEYS[2] inventory device hash   KEYS[3] audit stream
 * ARGV[1] issue|rotate  ARGV[2] id  ARGV[3] alg  ARGV[4] salt  ARGV[5] hash  ARGV[6] stream max length
 * A credential counts as active only while it is bound to the current inventory record (its createdAt).
 */
const PUT_LUA = `
local mode, id = ARGV[1], ARGV[2]
local created = redis.call('HGET', KEYS[2], 'createdAt')
if not created then return {'not-in-inventory'} end
local cred = redis.call('HMGET', KEYS[1], 'status', 'deviceCreatedAt')
local active = cred[1] == 'active' and cred[2] == created
if mode == 'issue' and active then return {'exists'} end
if mode == 'rotate' and not active then return {'none'} end
local t = redis.call('TIME')
local now = tostring(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
local gen = redis.call('HINCRBY', KEYS[1], 'generation', 1)
redis.call('HSET', KEYS[1], 'id', id, 'status', 'active', 'alg', ARGV[3], 'salt', ARGV[4], 'hash', ARGV[5],
  'deviceCreatedAt', created)
if mode == 'issue' then
  redis.call('HSET', KEYS[1], 'issuedAt', now)
  redis.call('HDEL', KEYS[1], 'rotatedAt', 'revokedAt', 'revokeReason')
else
  redis.call('HSET', KEYS[1], 'rotatedAt', now)
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'kind', 'credentials', 'ts', now, 'id', id,
  'action', mode, 'generation', gen)
return {mode == 'issue' and 'issued' or 'rotated', gen, now}
`;

/**
 * KEYS[1] credential hash   KEYS[2] audit stream
 * ARGV[1] id  ARGV[2] reason  ARGV[3] stream max length
 * The hash and salt are deleted: nothing is left to log in with.
 */
const REVOKE_LUA = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'none'} end
if status == 'revoked' then return {'already-revoked'} end
local t = redis.call('TIME')
local now = tostring(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
redis.call('HSET', KEYS[1], 'status', 'revoked', 'revokedAt', now, 'revokeReason', ARGV[2])
redis.call('HDEL', KEYS[1], 'alg', 'salt', 'hash')
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'kind', 'credentials', 'ts', now, 'id', ARGV[1],
  'action', 'revoke', 'reason', ARGV[2])
return {'revoked', now}
`;

type Script = (...args: (string | number)[]) => Promise<(string | number)[]>;

function script(redis: Redis, name: string, numberOfKeys: number, lua: string): Script {
  const commands = redis as unknown as Record<string, Script | undefined>;
  if (typeof commands[name] !== "function") redis.defineCommand(name, { numberOfKeys, lua });
  return (commands[name] as Script).bind(redis);
}

const optionalNumber = (value: string | undefined) => (value ? Number(value) : undefined);

/** Device credentials in Redis: one hash per device, `{prefix}:cred:<id>`. */
export class RedisCredentialStore implements CredentialStore {
  private readonly inventoryDevice: (id: string) => string;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly streamMaxLen = 100_000,
  ) {
    this.inventoryDevice = inventoryKeys(keys).device;
  }

  async put(id: string, secret: CredentialSecret, mode: "issue" | "rotate"): Promise<PutOutcome> {
    const put = script(this.redis, "pnpCredentialPut", 3, PUT_LUA);
    const [outcome, generation, at] = await put(
      this.keys.credential(id),
      this.inventoryDevice(id),
      this.keys.audit(),
      mode,
      id,
      secret.alg,
      secret.salt,
      secret.hash,
      this.streamMaxLen,
    );
    if (outcome === "issued" || outcome === "rotated")
      return { outcome, generation: Number(generation), at: Number(at) };
    return { outcome: outcome as "not-in-inventory" | "exists" | "none" };
  }

  async revoke(id: string, reason: string): Promise<RevokeOutcome> {
    const revoke = script(this.redis, "pnpCredentialRevoke", 2, REVOKE_LUA);
    const [outcome, at] = await revoke(
      this.keys.credential(id),
      this.keys.audit(),
      id,
      reason,
      this.streamMaxLen,
    );
    if (outcome === "revoked") return { outcome, at: Number(at) };
    return { outcome: outcome as "already-revoked" | "none" };
  }

  async get(id: string): Promise<CredentialRecord | undefined> {
    const hash = await this.redis.hgetall(this.keys.credential(id));
    if (!hash.status) return undefined;
    const record: CredentialRecord = {
      id,
      status: hash.status === "active" ? "active" : "revoked",
      generation: Number(hash.generation ?? 0),
      deviceCreatedAt: hash.deviceCreatedAt ?? "",
    };
    const issuedAt = optionalNumber(hash.issuedAt);
    const rotatedAt = optionalNumber(hash.rotatedAt);
    const revokedAt = optionalNumber(hash.revokedAt);
    if (issuedAt !== undefined) record.issuedAt = issuedAt;
    if (rotatedAt !== undefined) record.rotatedAt = rotatedAt;
    if (revokedAt !== undefined) record.revokedAt = revokedAt;
    if (hash.revokeReason) record.revokeReason = hash.revokeReason;
    if (hash.alg) record.alg = hash.alg;
    if (hash.salt) record.salt = hash.salt;
    if (hash.hash) record.hash = hash.hash;
    return record;
  }

  /** The login check's reads, pipelined: one round trip. */
  async lookup(id: string): Promise<AuthLookup> {
    const replies = await this.redis
      .pipeline()
      .hmget(this.keys.credential(id), "status", "alg", "salt", "hash", "deviceCreatedAt")
      .hget(this.inventoryDevice(id), "createdAt")
      .exec();
    if (!replies) throw new Error("Redis pipeline was aborted");
    for (const [err] of replies) if (err) throw err;
    const [status, alg, salt, hash, deviceCreatedAt] = replies[0]![1] as (string | null)[];
    const created = replies[1]![1] as string | null;
    const lookup: AuthLookup = {};
    if (created !== null) lookup.inventoryCreatedAt = created;
    if (status) {
      lookup.credential = { status };
      if (alg) lookup.credential.alg = alg;
      if (salt) lookup.credential.salt = salt;
      if (hash) lookup.credential.hash = hash;
      if (deviceCreatedAt) lookup.credential.deviceCreatedAt = deviceCreatedAt;
    }
    return lookup;
  }
}
