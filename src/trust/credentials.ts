import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { normaliseId } from "../core/inventory.js";
import { PnpError } from "../errors.js";

/**
 * Inventory-backed device credentials. A device logs in to ejabberd with SASL PLAIN (inside TLS) as
 * `<id>@<xmppDomain>` with a password we generated; ejabberd asks our external-auth program
 * (src/trust/extauth/), which answers from Redis: yes only while the device is in the inventory and its
 * credential is active. Design and numbers: ejabberd/CREDENTIALS.md.
 */

/** 24 random bytes: 192 bits, well above the 128-bit floor. */
export const PASSWORD_BYTES = 24;
export const SALT_BYTES = 16;
/** SHA-256 over salt ‖ device id ‖ NUL ‖ password (see hashPassword). */
export const CREDENTIAL_ALG = "sha256-salted-v1";

/** A new device password: 24 random bytes as base64url, 32 characters of [A-Za-z0-9_-]. */
export function generatePassword(): string {
  return randomBytes(PASSWORD_BYTES).toString("base64url");
}

/**
 * One SHA-256, not a slow KDF: the password is 192 random bits we generated, so no guessing attack
 * exists for a KDF to slow down, and every login stays cheap (ejabberd/CREDENTIALS.md). The salt keeps
 * equal passwords from having equal hashes; the device id binds a hash to its device, so a record
 * copied to another device's key does not verify. The salt has a fixed length and ids have no NUL, so
 * the concatenation is unambiguous.
 */
export function hashPassword(id: string, password: string, salt: Buffer): Buffer {
  return createHash("sha256").update(salt).update(id, "utf8").update("\0").update(password, "utf8").digest();
}

/** What is stored for a credential: never the password. */
export interface CredentialSecret {
  alg: string;
  /** Hex. */
  salt: string;
  /** Hex. */
  hash: string;
}

export function hashNewPassword(id: string, password: string): CredentialSecret {
  const salt = randomBytes(SALT_BYTES);
  return {
    alg: CREDENTIAL_ALG,
    salt: salt.toString("hex"),
    hash: hashPassword(id, password, salt).toString("hex"),
  };
}

const HEX = /^[0-9a-f]+$/;

/** Constant-time check of a password against a stored secret; false for anything malformed. */
export function verifyPassword(id: string, password: string, secret: Partial<CredentialSecret>): boolean {
  if (secret.alg !== CREDENTIAL_ALG || !secret.salt || !secret.hash) return false;
  if (!HEX.test(secret.salt) || secret.salt.length !== SALT_BYTES * 2) return false;
  if (!HEX.test(secret.hash) || secret.hash.length !== 64) return false;
  const expected = Buffer.from(secret.hash, "hex");
  const actual = hashPassword(id, password, Buffer.from(secret.salt, "hex"));
  return timingSafeEqual(expected, actual);
}

export type CredentialStatus = "active" | "revoked";

/** A credential as stored (hash fields only while active). */
export interface CredentialRecord {
  id: string;
  status: CredentialStatus;
  /** Bumped by every issue and rotation. */
  generation: number;
  /** createdAt of the inventory record it was issued for: a deleted and re-added device needs a new one. */
  deviceCreatedAt: string;
  issuedAt?: number;
  rotatedAt?: number;
  revokedAt?: number;
  revokeReason?: string;
  alg?: string;
  salt?: string;
  hash?: string;
}

/** What a login check reads: the credential and the inventory record's createdAt, in one round trip. */
export interface AuthLookup {
  /** Undefined when the device is not in the inventory. */
  inventoryCreatedAt?: string;
  credential?: Partial<CredentialSecret> & { status?: string; deviceCreatedAt?: string };
}

export type LoginDecision =
  | "ok"
  | "bad-id"
  | "not-in-inventory"
  | "no-credential"
  | "revoked"
  | "stale-credential"
  | "wrong-password";

/** A device id as the inventory writes it: its serial in lower case (also its XMPP account name). */
export const DEVICE_ID = /^[a-z0-9]{1,20}$/;

/**
 * The whole login rule: the device is in the inventory, its credential is active and was issued for this
 * inventory record, and the password matches. A null password asks only whether the account exists
 * (ejabberd's isuser).
 */
export function decideLogin(id: string, password: string | null, lookup: AuthLookup): LoginDecision {
  if (!DEVICE_ID.test(id)) return "bad-id";
  if (lookup.inventoryCreatedAt === undefined) return "not-in-inventory";
  const credential = lookup.credential;
  if (!credential?.status) return "no-credential";
  if (credential.status !== "active") return "revoked";
  if (credential.deviceCreatedAt !== lookup.inventoryCreatedAt) return "stale-credential";
  if (password === null) return "ok";
  return verifyPassword(id, password, credential) ? "ok" : "wrong-password";
}

export class CredentialError extends PnpError {
  override name = "CredentialError";
}

/** Validates and lower-cases a device id given on the command line. */
export function credentialDeviceId(value: string): string {
  const problems: string[] = [];
  const id = normaliseId(value, problems);
  if (problems.length > 0)
    throw new CredentialError("CREDENTIALS_INVALID_ID", problems.join("; "), { id: value });
  return id;
}

export type PutOutcome =
  | { outcome: "issued" | "rotated"; generation: number; at: number }
  | { outcome: "not-in-inventory" | "exists" | "none" };

export type RevokeOutcome = { outcome: "revoked"; at: number } | { outcome: "already-revoked" | "none" };

/** The storage the service needs; RedisCredentialStore implements it atomically. */
export interface CredentialStore {
  /** issue: only for an inventory device without an active credential; rotate: only with one. */
  put(id: string, secret: CredentialSecret, mode: "issue" | "rotate"): Promise<PutOutcome>;
  revoke(id: string, reason: string): Promise<RevokeOutcome>;
  get(id: string): Promise<CredentialRecord | undefined>;
  lookup(id: string): Promise<AuthLookup>;
}

/**
 * ejabberd's kick_user: ends every live session of the account. ejabberd 23.01's HTTP API answers
 * `{"num_resources": n}` (EjabberdApi types it as a bare number); both forms are accepted.
 */
export interface SessionKicker {
  kickUser(user: string, host: string): Promise<number | { num_resources?: number }>;
}

/** The number of sessions kick_user ended, whichever form the API answered in. */
export function kickedCount(reply: unknown): number {
  if (typeof reply === "number") return reply;
  if (reply !== null && typeof reply === "object") {
    const n = (reply as { num_resources?: unknown }).num_resources;
    if (typeof n === "number") return n;
  }
  throw new Error(`unexpected kick_user answer ${JSON.stringify(reply)}`);
}

export interface IssuedCredential {
  id: string;
  jid: string;
  /** Shown once; only its salted hash is stored. */
  password: string;
  generation: number;
  at: number;
}

export interface RevokeResult {
  id: string;
  jid: string;
  /** False when it was already revoked (the sessions are kicked again all the same). */
  changed: boolean;
  /** Live sessions ended. */
  kicked: number;
}

export interface DeviceCredentialsOptions {
  store: CredentialStore;
  xmppDomain: string;
  kicker?: SessionKicker;
  /**
   * A login whose password check ran just before the revoke can open its session just after the first
   * kick; a second kick this much later ends it too. 0 = one kick only.
   */
  secondKickAfterMs?: number;
}

/** issue / rotate / revoke, as `pnpctl credentials …` runs them. */
export class DeviceCredentials {
  private readonly secondKickAfterMs: number;

  constructor(private readonly options: DeviceCredentialsOptions) {
    this.secondKickAfterMs = options.secondKickAfterMs ?? 1000;
  }

  jid(id: string): string {
    return `${id}@${this.options.xmppDomain}`;
  }

  /** A new credential for a device in the inventory that has none active (or had one revoked). */
  issue(deviceId: string): Promise<IssuedCredential> {
    return this.write(deviceId, "issue");
  }

  /**
   * A new password; the old one stops working at once for new logins. The live session is left alone
   * unless `kick` (the new password usually reaches the device over that session).
   */
  async rotate(
    deviceId: string,
    options: { kick?: boolean } = {},
  ): Promise<IssuedCredential & { kicked: number }> {
    const issued = await this.write(deviceId, "rotate");
    const kicked = options.kick ? await this.kick(issued.id) : 0;
    return { ...issued, kicked };
  }

  /** Ends the device's ability to log in, then kicks its live sessions. */
  async revoke(deviceId: string, reason = "revoked"): Promise<RevokeResult> {
    const id = credentialDeviceId(deviceId);
    const result = await this.options.store.revoke(id, reason);
    if (result.outcome === "none")
      throw new CredentialError("CREDENTIALS_NONE", `${id} has no credential to revoke`, { id });
    let kicked = await this.kick(id);
    if (this.secondKickAfterMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.secondKickAfterMs));
      kicked += await this.kick(id);
    }
    return { id, jid: this.jid(id), changed: result.outcome === "revoked", kicked };
  }

  async show(deviceId: string): Promise<CredentialRecord | undefined> {
    const record = await this.options.store.get(credentialDeviceId(deviceId));
    if (!record) return undefined;
    const { salt: _salt, hash: _hash, ...visible } = record;
    return visible;
  }

  private async kick(id: string): Promise<number> {
    if (!this.options.kicker)
      throw new CredentialError("CREDENTIALS_NO_EJABBERD_API", "no ejabberd API to kick the session with", {
        id,
      });
    try {
      return kickedCount(await this.options.kicker.kickUser(id, this.options.xmppDomain));
    } catch (err) {
      throw new CredentialError(
        "CREDENTIALS_KICK_FAILED",
        `${id} can no longer log in, but kicking its live session failed: ${(err as Error).message}`,
        { id },
      );
    }
  }

  private async write(deviceId: string, mode: "issue" | "rotate"): Promise<IssuedCredential> {
    const id = credentialDeviceId(deviceId);
    const password = generatePassword();
    const result = await this.options.store.put(id, hashNewPassword(id, password), mode);
    switch (result.outcome) {
      case "not-in-inventory":
        throw new CredentialError("CREDENTIALS_NOT_IN_INVENTORY", `no device ${id} in the inventory`, { id });
      case "exists":
        throw new CredentialError(
          "CREDENTIALS_EXIST",
          `${id} already has an active credential: rotate it, or revoke it first`,
          { id },
        );
      case "none":
        throw new CredentialError("CREDENTIALS_NONE", `${id} has no active credential to rotate: issue one`, {
          id,
        });
      default:
        return { id, jid: this.jid(id), password, generation: result.generation, at: result.at };
    }
  }
}
