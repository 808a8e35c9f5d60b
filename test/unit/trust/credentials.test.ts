import { describe, expect, it } from "vitest";
import {
  type AuthLookup,
  CREDENTIAL_ALG,
  type CredentialRecord,
  type CredentialSecret,
  type CredentialStore,
  DeviceCredentials,
  decideLogin,
  generatePassword,
  hashNewPassword,
  hashPassword,
  kickedCount,
  type PutOutcome,
  type RevokeOutcome,
  verifyPassword,
} from "../../../src/trust/credentials.js";

describe("device passwords", () => {
  it("are at least 128 random bits, base64url, and never repeat", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const password = generatePassword();
      expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(Buffer.from(password, "base64url").length * 8).toBeGreaterThanOrEqual(128);
      seen.add(password);
    }
    expect(seen.size).toBe(1000);
  });

  it("are stored as a salted SHA-256 bound to the device id, and verify only with the right password", () => {
    const password = generatePassword();
    const secret = hashNewPassword("foc1234x", password);
    expect(secret.alg).toBe(CREDENTIAL_ALG);
    expect(secret.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(secret.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(secret)).not.toContain(password);
    expect(secret.hash).toBe(
      hashPassword("foc1234x", password, Buffer.from(secret.salt, "hex")).toString("hex"),
    );
    expect(verifyPassword("foc1234x", password, secret)).toBe(true);
    expect(verifyPassword("foc1234x", `${password}x`, secret)).toBe(false);
    expect(verifyPassword("foc1234x", "", secret)).toBe(false);
    // The same record under another device's key does not verify.
    expect(verifyPassword("foc9999x", password, secret)).toBe(false);
  });

  it("get a fresh salt each time, so equal passwords have different hashes", () => {
    const a = hashNewPassword("dev1", "same");
    const b = hashNewPassword("dev1", "same");
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
  });

  it("refuse malformed or foreign secrets instead of throwing", () => {
    const good = hashNewPassword("dev1", "pw");
    expect(verifyPassword("dev1", "pw", { ...good, alg: "md5" })).toBe(false);
    expect(verifyPassword("dev1", "pw", { ...good, hash: good.hash.slice(2) })).toBe(false);
    expect(verifyPassword("dev1", "pw", { ...good, salt: "zz" })).toBe(false);
    expect(verifyPassword("dev1", "pw", {})).toBe(false);
  });
});

describe("the login rule", () => {
  const password = "the-password";
  const active = (overrides: Partial<AuthLookup["credential"]> = {}): AuthLookup => ({
    inventoryCreatedAt: "1700",
    credential: {
      status: "active",
      deviceCreatedAt: "1700",
      ...hashNewPassword("dev1", password),
      ...overrides,
    },
  });

  it("lets in an inventory device with an active credential and the right password", () => {
    expect(decideLogin("dev1", password, active())).toBe("ok");
  });

  it("refuses every other case, each for its own reason", () => {
    expect(decideLogin("dev1", "wrong", active())).toBe("wrong-password");
    expect(decideLogin("dev1", password, { credential: active().credential })).toBe("not-in-inventory");
    expect(decideLogin("dev1", password, { inventoryCreatedAt: "1700" })).toBe("no-credential");
    expect(decideLogin("dev1", password, active({ status: "revoked" }))).toBe("revoked");
    // Issued for an earlier inventory record of the same serial (deleted, then re-added).
    expect(decideLogin("dev1", password, active({ deviceCreatedAt: "1600" }))).toBe("stale-credential");
    expect(decideLogin("Dev1", password, active())).toBe("bad-id");
    expect(decideLogin("dev1@x", password, active())).toBe("bad-id");
    expect(decideLogin("", password, active())).toBe("bad-id");
  });

  it("answers isuser (no password) by the same rule without the password check", () => {
    expect(decideLogin("dev1", null, active())).toBe("ok");
    expect(decideLogin("dev1", null, active({ status: "revoked" }))).toBe("revoked");
    expect(decideLogin("dev1", null, { credential: active().credential })).toBe("not-in-inventory");
  });
});

/** An in-memory store with the Redis store's outcomes, for the service's own logic. */
class MemoryStore implements CredentialStore {
  readonly inventory = new Map<string, string>();
  readonly records = new Map<string, CredentialRecord>();
  async put(id: string, secret: CredentialSecret, mode: "issue" | "rotate"): Promise<PutOutcome> {
    const created = this.inventory.get(id);
    if (!created) return { outcome: "not-in-inventory" };
    const current = this.records.get(id);
    const isActive = current?.status === "active" && current.deviceCreatedAt === created;
    if (mode === "issue" && isActive) return { outcome: "exists" };
    if (mode === "rotate" && !isActive) return { outcome: "none" };
    const generation = (current?.generation ?? 0) + 1;
    this.records.set(id, { id, status: "active", generation, deviceCreatedAt: created, ...secret });
    return { outcome: mode === "issue" ? "issued" : "rotated", generation, at: 1 };
  }
  async revoke(id: string, reason: string): Promise<RevokeOutcome> {
    const current = this.records.get(id);
    if (!current) return { outcome: "none" };
    if (current.status === "revoked") return { outcome: "already-revoked" };
    this.records.set(id, {
      id,
      status: "revoked",
      generation: current.generation,
      deviceCreatedAt: "",
      revokeReason: reason,
    });
    return { outcome: "revoked", at: 2 };
  }
  async get(id: string) {
    return this.records.get(id);
  }
  async lookup(id: string): Promise<AuthLookup> {
    const record = this.records.get(id);
    const created = this.inventory.get(id);
    return {
      ...(created ? { inventoryCreatedAt: created } : {}),
      ...(record ? { credential: { ...record } } : {}),
    };
  }
}

describe("DeviceCredentials", () => {
  function setup(
    kick: (user: string, host: string) => Promise<unknown> = async () => ({ num_resources: 1 }),
  ) {
    const store = new MemoryStore();
    store.inventory.set("foc123", "1700");
    const kicks: string[] = [];
    const order: string[] = [];
    const credentials = new DeviceCredentials({
      store: {
        put: (...a) => store.put(...a),
        revoke: async (...a) => {
          order.push("revoke");
          return store.revoke(...a);
        },
        get: (id) => store.get(id),
        lookup: (id) => store.lookup(id),
      },
      xmppDomain: "pnp.test",
      kicker: {
        kickUser: async (user, host) => {
          order.push("kick");
          kicks.push(`${user}@${host}`);
          return (await kick(user, host)) as number;
        },
      },
      secondKickAfterMs: 0,
    });
    return { store, credentials, kicks, order };
  }

  it("issues a password that verifies against what was stored, for inventory devices only", async () => {
    const { store, credentials } = setup();
    const issued = await credentials.issue("FOC123");
    expect(issued).toMatchObject({ id: "foc123", jid: "foc123@pnp.test", generation: 1 });
    expect(decideLogin("foc123", issued.password, await store.lookup("foc123"))).toBe("ok");
    await expect(credentials.issue("foc123")).rejects.toMatchObject({ code: "CREDENTIALS_EXIST" });
    await expect(credentials.issue("nosuch")).rejects.toMatchObject({ code: "CREDENTIALS_NOT_IN_INVENTORY" });
    await expect(credentials.issue("not a serial")).rejects.toMatchObject({ code: "CREDENTIALS_INVALID_ID" });
  });

  it("rotates to a new password; the old one no longer verifies; only kicks when asked", async () => {
    const { store, credentials, kicks } = setup();
    await expect(credentials.rotate("foc123")).rejects.toMatchObject({ code: "CREDENTIALS_NONE" });
    const first = await credentials.issue("foc123");
    const second = await credentials.rotate("foc123");
    expect(second).toMatchObject({ generation: 2, kicked: 0 });
    const lookup = await store.lookup("foc123");
    expect(decideLogin("foc123", first.password, lookup)).toBe("wrong-password");
    expect(decideLogin("foc123", second.password, lookup)).toBe("ok");
    expect(kicks).toEqual([]);
    expect((await credentials.rotate("foc123", { kick: true })).kicked).toBe(1);
    expect(kicks).toEqual(["foc123@pnp.test"]);
  });

  it("revokes before it kicks, and reports the kicked sessions", async () => {
    const { store, credentials, order } = setup();
    const issued = await credentials.issue("foc123");
    const result = await credentials.revoke("foc123", "stolen");
    expect(result).toEqual({ id: "foc123", jid: "foc123@pnp.test", changed: true, kicked: 1 });
    expect(order).toEqual(["revoke", "kick"]);
    expect(decideLogin("foc123", issued.password, await store.lookup("foc123"))).toBe("revoked");
    // Revoking again still kicks (a session may have slipped in); a device never issued one is an error.
    expect(await credentials.revoke("foc123")).toMatchObject({ changed: false });
    store.inventory.set("foc999", "1");
    await expect(credentials.revoke("foc999")).rejects.toMatchObject({ code: "CREDENTIALS_NONE" });
    const shown = await credentials.show("foc123");
    expect(shown).toMatchObject({ status: "revoked", revokeReason: "stolen" });
    expect(shown).not.toHaveProperty("hash");
  });

  it("kicks twice when asked to, to catch a login that raced the revoke", async () => {
    const store = new MemoryStore();
    store.inventory.set("foc123", "1700");
    let kicks = 0;
    const credentials = new DeviceCredentials({
      store,
      xmppDomain: "pnp.test",
      kicker: { kickUser: async () => ({ num_resources: kicks++ === 0 ? 1 : 0 }) },
      secondKickAfterMs: 5,
    });
    await credentials.issue("foc123");
    expect((await credentials.revoke("foc123")).kicked).toBe(1);
    expect(kicks).toBe(2);
  });

  it("reports a failed kick after the revoke is recorded", async () => {
    const { store, credentials } = setup(async () => {
      throw new Error("connection refused");
    });
    await credentials.issue("foc123");
    await expect(credentials.revoke("foc123")).rejects.toMatchObject({
      code: "CREDENTIALS_KICK_FAILED",
      message: expect.stringMatching(/can no longer log in.*connection refused/),
    });
    expect((await store.get("foc123"))?.status).toBe("revoked");
  });

  it("reads kick_user's answer in both forms", () => {
    expect(kickedCount(2)).toBe(2);
    expect(kickedCount({ num_resources: 3 })).toBe(3);
    expect(() => kickedCount("Success")).toThrow(/unexpected kick_user answer/);
  });
});
