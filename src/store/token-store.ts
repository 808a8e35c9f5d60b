import { tryParseUdi } from "../protocol/udi.js";
import { decodeTokenUnverified, udiCovers } from "../trust/token.js";
import { type Keys, tokenKeys } from "./keys.js";
import type { PnpRedis } from "./redis.js";

/** A server authorization token as the server keeps it: the signed JWS and its claims, for lookups. */
export interface StoredToken {
  id: string;
  jws: string;
  deployment: string;
  issuer: string;
  serverJid?: string;
  httpsHost?: string;
  udis?: string[];
  /** Milliseconds since the epoch. */
  issuedAt: number;
  notBefore: number;
  notAfter: number;
  revokedAt?: number;
  revokeReason?: string;
}

export type TokenStatus = "active" | "pending" | "expired" | "revoked";

export function tokenStatus(token: StoredToken, now: number): TokenStatus {
  if (token.revokedAt !== undefined) return "revoked";
  if (now < token.notBefore) return "pending";
  if (now >= token.notAfter) return "expired";
  return "active";
}

/** What the server knows of the device asking: UDIs (claimed in the request, learnt from device-info) and serials. */
export interface TokenCandidate {
  udis: readonly string[];
  serials: readonly string[];
}

/**
 * Tokens and revocations in Redis. The store holds what the signing authority issued; it does not verify
 * signatures (agents do). Revocation is permanent. Index entries of expired tokens stay until the token is
 * deleted; lookups skip them by score.
 */
export class RedisTokenStore {
  private readonly k: ReturnType<typeof tokenKeys>;

  constructor(
    private readonly redis: PnpRedis,
    keys: Keys,
  ) {
    this.k = tokenKeys(keys);
  }

  /** Reads a JWS's claims (unverified) into a StoredToken. */
  static fromJws(jws: string): StoredToken {
    const { claims } = decodeTokenUnverified(jws);
    const token: StoredToken = {
      id: claims.jti,
      jws,
      deployment: claims.deployment,
      issuer: claims.iss,
      issuedAt: claims.iat * 1000,
      notBefore: claims.nbf * 1000,
      notAfter: claims.exp * 1000,
    };
    if (claims.server.jid !== undefined) token.serverJid = claims.server.jid.toLowerCase();
    if (claims.server.httpsHost !== undefined) token.httpsHost = claims.server.httpsHost;
    if (claims.udis !== undefined) token.udis = claims.udis;
    return token;
  }

  /** Stores a token and indexes it under its server JID (general, or per serial number of each listed UDI). */
  async save(token: StoredToken): Promise<void> {
    const fields: Record<string, string> = {
      id: token.id,
      jws: token.jws,
      deployment: token.deployment,
      issuer: token.issuer,
      issuedAt: String(token.issuedAt),
      notBefore: String(token.notBefore),
      notAfter: String(token.notAfter),
    };
    if (token.serverJid !== undefined) fields.serverJid = token.serverJid;
    if (token.httpsHost !== undefined) fields.httpsHost = token.httpsHost;
    if (token.udis !== undefined) fields.udis = JSON.stringify(token.udis);
    const multi = this.redis.multi();
    multi.hset(this.k.token(token.id), fields);
    multi.zadd(this.k.all(), token.issuedAt, token.id);
    if (token.serverJid !== undefined) {
      const jid = token.serverJid.toLowerCase();
      if (token.udis === undefined) multi.zadd(this.k.general(jid), token.notAfter, token.id);
      else {
        for (const serial of new Set(token.udis.map((u) => tryParseUdi(u)?.sn.toUpperCase()))) {
          if (serial) multi.zadd(this.k.serial(jid, serial), token.notAfter, token.id);
        }
      }
    }
    await multi.exec();
  }

  async get(id: string): Promise<StoredToken | undefined> {
    return readToken(await this.redis.hgetall(this.k.token(id)));
  }

  /** Every token, oldest first. */
  async list(): Promise<StoredToken[]> {
    const ids = await this.redis.zrange(this.k.all(), "0", "-1");
    return this.getMany(ids);
  }

  /** Marks a token revoked (idempotent: the first revocation's time and reason stay). Undefined if unknown. */
  async revoke(id: string, reason: string, at: number): Promise<StoredToken | undefined> {
    const existing = await this.get(id);
    if (!existing) return undefined;
    if (existing.revokedAt !== undefined) return existing;
    await this.redis
      .multi()
      .hset(this.k.token(id), { revokedAt: String(at), revokeReason: reason })
      .hset(this.k.revoked(), id, JSON.stringify({ at, reason }))
      .exec();
    return { ...existing, revokedAt: at, revokeReason: reason };
  }

  /** Every revoked id with its time (ms) and reason. */
  async revocations(): Promise<{ id: string; at: number; reason: string }[]> {
    const hash = await this.redis.hgetall(this.k.revoked());
    return Object.entries(hash)
      .map(([id, json]) => {
        const { at, reason } = JSON.parse(json) as { at: number; reason: string };
        return { id, at, reason };
      })
      .sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  }

  async setRevocationList(jws: string): Promise<void> {
    await this.redis.set(this.k.revocationList(), jws);
  }

  async revocationList(): Promise<string | undefined> {
    return (await this.redis.get(this.k.revocationList())) ?? undefined;
  }

  /**
   * The token to present to a device talking to `serverJid` at `now` (ms): among active, unrevoked tokens
   * bound to that server, one whose UDI list covers the device if any (by a candidate UDI, else by serial),
   * else a general one; the latest-expiring wins, then the latest issued.
   */
  async activeFor(serverJid: string, device: TokenCandidate, now: number): Promise<StoredToken | undefined> {
    const jid = serverJid.toLowerCase();
    const udis = device.udis.filter((u) => tryParseUdi(u));
    const serials = new Set<string>();
    for (const udi of udis) serials.add(tryParseUdi(udi)!.sn.toUpperCase());
    for (const serial of device.serials) if (serial) serials.add(serial.toUpperCase());

    const scopedIds = new Set<string>();
    for (const serial of serials) {
      for (const id of await this.redis.zrangebyscore(this.k.serial(jid, serial), `(${now}`, "+inf")) {
        scopedIds.add(id);
      }
    }
    const scoped = (await this.getMany([...scopedIds])).filter((t) => {
      if (tokenStatus(t, now) !== "active") return false;
      const listed = t.udis ?? [];
      if (udis.length > 0) return listed.some((l) => udis.some((u) => udiCovers(l, u)));
      return listed.some((l) => serials.has(tryParseUdi(l)?.sn.toUpperCase() ?? ""));
    });
    const best = pickBest(scoped);
    if (best) return best;
    const generalIds = await this.redis.zrangebyscore(this.k.general(jid), `(${now}`, "+inf");
    return pickBest((await this.getMany(generalIds)).filter((t) => tokenStatus(t, now) === "active"));
  }

  private async getMany(ids: string[]): Promise<StoredToken[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.k.token(id));
    const replies = (await pipeline.exec()) ?? [];
    const tokens: StoredToken[] = [];
    for (const [err, hash] of replies) {
      if (err) throw err;
      const token = readToken(hash as Record<string, string>);
      if (token) tokens.push(token);
    }
    return tokens;
  }
}

function pickBest(tokens: StoredToken[]): StoredToken | undefined {
  return tokens.sort((a, b) => b.notAfter - a.notAfter || b.issuedAt - a.issuedAt)[0];
}

function readToken(hash: Record<string, string>): StoredToken | undefined {
  if (!hash.id || !hash.jws) return undefined;
  const token: StoredToken = {
    id: hash.id,
    jws: hash.jws,
    deployment: hash.deployment ?? "",
    issuer: hash.issuer ?? "",
    issuedAt: Number(hash.issuedAt),
    notBefore: Number(hash.notBefore),
    notAfter: Number(hash.notAfter),
  };
  if (hash.serverJid) token.serverJid = hash.serverJid;
  if (hash.httpsHost) token.httpsHost = hash.httpsHost;
  if (hash.udis) token.udis = JSON.parse(hash.udis) as string[];
  if (hash.revokedAt) token.revokedAt = Number(hash.revokedAt);
  if (hash.revokeReason !== undefined) token.revokeReason = hash.revokeReason;
  return token;
}
