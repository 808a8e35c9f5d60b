import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { client } from "@xmpp/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { XmppAgent } from "../../src/agent/xmpp-agent.js";
import type { Config } from "../../src/config/schema.js";
import { type LocalEjabberd, startLocalEjabberd } from "../../src/localstack/ejabberd.js";
import { RedisCredentialStore } from "../../src/store/credential-store.js";
import { RedisInventoryStore } from "../../src/store/inventory-store.js";
import { createKeys } from "../../src/store/keys.js";
import type { PnpRedis } from "../../src/store/redis.js";
import { EjabberdApi } from "../../src/transports/xmpp/ejabberd-api.js";
import { createXmppTransport, type XmppTransport } from "../../src/transports/xmpp/service.js";
import {
  DeviceCredentials,
  generatePassword,
  hashNewPassword,
  verifyPassword,
} from "../../src/trust/credentials.js";
import { extauthProgram } from "../../src/trust/extauth/launch.js";
import { streamTail, waitForEvents } from "../helpers/events.js";
import { captureLogger, testConfig, testRedis } from "../helpers/fixtures.js";
import { pnpctl, serverEnv } from "../helpers/server-process.js";

// Devices log in through our external-auth program, which answers from Redis, so this file runs its
// own ejabberd with `auth_method: external` beside the suite's shared one (which keeps internal auth).
describe("inventory-backed device credentials against ejabberd with external auth", () => {
  const stack = inject("stack");
  const dir = mkdtempSync(join(tmpdir(), "pnp-credentials-"));
  const componentSecret = "credentials-secret";
  const prefix = testConfig().redisPrefix;
  let ejabberd: LocalEjabberd;
  let config: Config;
  let redis: PnpRedis;
  let inventory: RedisInventoryStore;
  let store: RedisCredentialStore;
  let credentials: DeviceCredentials;
  let transport: XmppTransport;
  const agents: XmppAgent[] = [];
  const keys = createKeys(prefix);

  beforeAll(async () => {
    const program = extauthProgram(join(dir, "extauth.json"), {
      redisUrl: stack.redisUrl,
      redisPrefix: prefix,
      xmppDomain: stack.xmppDomain,
    });
    ejabberd = await startLocalEjabberd({
      dir,
      xmppDomain: stack.xmppDomain,
      componentDomain: stack.componentDomain,
      componentSecret,
      certFile: join(stack.dataDir, "certs", "ejabberd.pem"),
      externalAuth: { program, poolSize: 2 },
    });
    config = testConfig({
      redisPrefix: prefix,
      componentSecret,
      ejabberdComponentPort: ejabberd.ports.component,
      ejabberdC2sPort: ejabberd.ports.c2s,
      ejabberdC2sTlsPort: ejabberd.ports.c2sTls,
      ejabberdApiPort: ejabberd.ports.api,
    });
    redis = testRedis(config);
    inventory = new RedisInventoryStore(redis, keys);
    store = new RedisCredentialStore(redis, keys);
    credentials = new DeviceCredentials({
      store,
      xmppDomain: stack.xmppDomain,
      kicker: new EjabberdApi(ejabberd.apiUrl),
      secondKickAfterMs: 0,
    });
    transport = createXmppTransport({ config, logger: captureLogger().logger, redis });
    await transport.start();
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await transport?.stop();
    redis?.disconnect();
    await ejabberd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A device in the inventory (serial in upper case; its id and account name are lower case). */
  async function inventoryDevice(): Promise<string> {
    const serial = `FOC${randomBytes(5).toString("hex").toUpperCase()}`;
    const { id } = await inventory.upsert({ serial, pid: "C9300-24T" });
    return id;
  }

  function agent(id: string, password: string, directTls = false): XmppAgent {
    const a = new XmppAgent({
      service: directTls
        ? `xmpps://localhost:${ejabberd.ports.c2sTls}`
        : `xmpp://127.0.0.1:${ejabberd.ports.c2s}`,
      domain: stack.xmppDomain,
      username: id,
      password,
      serverJid: stack.componentDomain,
      reconnect: false,
      handle: async () => {
        throw new Error("this test device answers no requests");
      },
    });
    agents.push(a);
    return a;
  }

  /** Logs in; resolves once the component has the device up. */
  async function logsIn(id: string, password: string, directTls = false): Promise<XmppAgent> {
    const tail = await streamTail(redis, keys.events());
    const a = agent(id, password, directTls);
    await a.start();
    await waitForEvents(
      redis,
      keys.events(),
      (e) => e.type === "presence" && e.device === id && e.state === "up",
      {
        fromId: tail,
      },
    );
    return a;
  }

  /**
   * A login that must fail with SASL not-authorized. A bare @xmpp/client (PLAIN forced, as our agents do),
   * not XmppAgent, which leaves its "online" promise rejected and unhandled when start() fails.
   */
  async function refused(id: string, password: string): Promise<void> {
    const xmpp = client({
      service: `xmpp://127.0.0.1:${ejabberd.ports.c2s}`,
      domain: stack.xmppDomain,
      resource: "pnp",
      credentials: ((authenticate: (creds: object, mechanism: string) => Promise<void>) =>
        authenticate({ username: id, password }, "PLAIN")) as never,
    });
    xmpp.reconnect.stop();
    xmpp.on("error", () => {});
    await expect(xmpp.start()).rejects.toMatchObject({ condition: "not-authorized" });
    await xmpp.stop().catch(() => {});
  }

  it("a device in the inventory with issued credentials logs in (STARTTLS and direct TLS); only a hash is stored", async () => {
    const id = await inventoryDevice();
    const issued = await credentials.issue(id);
    expect(issued.password.length).toBeGreaterThanOrEqual(22); // ≥ 128 bits in base64url
    expect(issued.jid).toBe(`${id}@${stack.xmppDomain}`);
    await (await logsIn(id, issued.password)).stop();
    await (await logsIn(id, issued.password, true)).stop();

    const stored = await redis.hgetall(keys.credential(id));
    expect(JSON.stringify(stored)).not.toContain(issued.password);
    expect(stored).toMatchObject({ status: "active", alg: "sha256-salted-v1", generation: "1" });
    expect(verifyPassword(id, issued.password, stored)).toBe(true);
    // Issuing again while one is active is refused: the password is never silently replaced.
    await expect(credentials.issue(id)).rejects.toMatchObject({ code: "CREDENTIALS_EXIST" });
  });

  it("a device not in the inventory cannot be issued credentials and cannot log in, even with a valid hash stored", async () => {
    const absent = `ghost${randomBytes(4).toString("hex")}`;
    await expect(credentials.issue(absent)).rejects.toMatchObject({ code: "CREDENTIALS_NOT_IN_INVENTORY" });
    expect(await redis.exists(keys.credential(absent))).toBe(0);
    // Plant a well-formed credential for it: the inventory check alone must still refuse the login.
    const password = generatePassword();
    await redis.hset(keys.credential(absent), {
      id: absent,
      status: "active",
      generation: "1",
      deviceCreatedAt: "1",
      ...hashNewPassword(absent, password),
    });
    await refused(absent, password);

    // A device deleted from the inventory loses its login; re-added, its old credential stays dead.
    const id = await inventoryDevice();
    const issued = await credentials.issue(id);
    await (await logsIn(id, issued.password)).stop();
    expect(await inventory.delete(id, "test: removed from the inventory")).toBe(true);
    await refused(id, issued.password);
    await inventory.upsert({ serial: id.toUpperCase(), pid: "C9300-24T" });
    await refused(id, issued.password);
  });

  it("a wrong password cannot log in", async () => {
    const id = await inventoryDevice();
    const issued = await credentials.issue(id);
    await refused(id, generatePassword());
    await refused(id, `${issued.password}x`);
    await refused(id, issued.password.slice(0, -1));
    // The right one still works: the refusals above are about the password, not a broken setup.
    await (await logsIn(id, issued.password)).stop();
  });

  it("revoke kicks the live session (presence goes down) and the device cannot log in again", async () => {
    const id = await inventoryDevice();
    const issued = await credentials.issue(id);
    const live = await logsIn(id, issued.password);
    const tail = await streamTail(redis, keys.events());
    const disconnected = once(live, "disconnect");

    const result = await credentials.revoke(id, "test: device stolen");
    expect(result).toMatchObject({ id, changed: true, kicked: 1 });
    await disconnected;
    await waitForEvents(
      redis,
      keys.events(),
      (e) => e.type === "presence" && e.device === id && e.state === "down",
      {
        fromId: tail,
      },
    );
    expect((await transport.presence.get(id))?.state).toBe("down");

    await refused(id, issued.password);
    expect(await credentials.show(id)).toMatchObject({
      status: "revoked",
      revokeReason: "test: device stolen",
    });
    expect(await redis.hget(keys.credential(id), "hash")).toBeNull();
    const audit = (await redis.xrange(keys.audit(), "-", "+")).map(([, fields]) => fields.join(" "));
    expect(audit.some((line) => line.includes(`id ${id} action revoke`))).toBe(true);
  });

  it("rotation invalidates the old password and the new one logs in", async () => {
    const id = await inventoryDevice();
    const first = await credentials.issue(id);
    await (await logsIn(id, first.password)).stop();
    const second = await credentials.rotate(id);
    expect(second.password).not.toBe(first.password);
    expect(second.generation).toBe(2);
    await refused(id, first.password);
    await (await logsIn(id, second.password)).stop();
    // Re-issue after a revoke works; a rotate without an active credential does not.
    await credentials.revoke(id);
    await expect(credentials.rotate(id)).rejects.toMatchObject({ code: "CREDENTIALS_NONE" });
    const third = await credentials.issue(id);
    await refused(id, second.password);
    await (await logsIn(id, third.password)).stop();
  });

  it("a client on the c2s port that does not do STARTTLS cannot authenticate, even with valid credentials", async () => {
    const id = await inventoryDevice();
    const issued = await credentials.issue(id);
    const socket = connect(ejabberd.ports.c2s, "127.0.0.1");
    let received = "";
    const arrived = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(received)) {
            socket.off("data", onData);
            socket.off("close", onClose);
            resolve();
          }
        };
        const onData = (chunk: Buffer) => {
          received += chunk.toString("utf8");
          check();
        };
        const onClose = () => reject(new Error(`closed before ${pattern}: ${received}`));
        socket.on("data", onData);
        socket.once("close", onClose);
        check();
      });
    await once(socket, "connect");
    const features = arrived(/<\/stream:features>/);
    socket.write(
      `<?xml version='1.0'?><stream:stream to='${stack.xmppDomain}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`,
    );
    await features;
    expect(received).toMatch(
      /<starttls xmlns=["']urn:ietf:params:xml:ns:xmpp-tls["']><required\/><\/starttls>/,
    );
    expect(received).not.toMatch(/<mechanisms/);

    // Try SASL PLAIN in the clear anyway, with the device's real password: ejabberd refuses it.
    const answered = arrived(/<failure|<stream:error|<success/);
    const plain = Buffer.from(`\0${id}\0${issued.password}`).toString("base64");
    socket.write(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${plain}</auth>`);
    await answered;
    socket.destroy();
    expect(received).not.toMatch(/<success/);
    expect(received).toMatch(/policy-violation|encryption-required/);
    // The same credentials over TLS do log in.
    await (await logsIn(id, issued.password)).stop();
  });

  it("pnpctl credentials issue prints a password once, for inventory devices only; revoke kicks", async () => {
    const env = serverEnv(prefix, {
      PNP_EJABBERD_API_PORT: String(ejabberd.ports.api),
      PNP_DATA_DIR: dir,
      PNP_LOG_LEVEL: "silent",
    });
    const run = async (args: string[]) => {
      const child = pnpctl(args, env);
      let stdout = "";
      let stderr = "";
      child.stdout?.on("data", (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr?.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      const [code] = (await once(child, "exit")) as [number | null];
      return { code, stdout, stderr };
    };
    const id = await inventoryDevice();
    const issued = await run(["--json", "credentials", "issue", id.toUpperCase()]);
    expect(issued.code, issued.stderr).toBe(0);
    const { password, jid } = JSON.parse(issued.stdout) as { password: string; jid: string };
    expect(jid).toBe(`${id}@${stack.xmppDomain}`);
    expect(issued.stderr).toMatch(/shown once/);
    const live = await logsIn(id, password);

    const shown = await run(["credentials", "show", id]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/status\s+active/);
    expect(shown.stdout).not.toContain(password);

    const disconnected = once(live, "disconnect");
    const revoked = await run(["credentials", "revoke", id, "--reason", "cli test"]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`${id} revoked; [12] live session\\(s\\) kicked`));
    await disconnected;
    await refused(id, password);

    const unknown = await run(["credentials", "issue", "NOSUCHDEVICE1"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/CREDENTIALS_NOT_IN_INVENTORY/);
  });
});
