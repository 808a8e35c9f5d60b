import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { xml } from "@xmpp/client";
import type { Element } from "ltx";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RunningFleet, startFleet } from "../../src/agent/fleet-runner.js";
import type { TokenCheckOptions } from "../../src/agent/token-check.js";
import type { XmppAgent } from "../../src/agent/xmpp-agent.js";
import { askDevice } from "../../src/core/ask.js";
import { type PnpRedis, redisNow } from "../../src/store/redis.js";
import { RedisTokenStore } from "../../src/store/token-store.js";
import { createXmppTransport, type XmppTransport } from "../../src/transports/xmpp/service.js";
import { loadSigningAuthority } from "../../src/trust/signing-authority.js";
import { signToken, TOKEN_XMPP_NS, verifyRevocationList, verifyToken } from "../../src/trust/token.js";
import { createAgent } from "../helpers/agents.js";
import { captureLogger, ejabberdApi, registerDevices, testConfig, testRedis } from "../helpers/fixtures.js";
import { output, type ProcessOutput, pnpctl, serverEnv } from "../helpers/server-process.js";

const DAY = 86_400_000;
const DEPLOYMENT = "it-deployment";

function run(args: string[], env: NodeJS.ProcessEnv): Promise<ProcessOutput> {
  return output(pnpctl(args, env));
}

/** Sends the token query as an independent agent would, and returns the reply iq or the iq error condition. */
async function queryToken(
  agent: XmppAgent,
  serverJid: string,
  udi?: string,
): Promise<Element | { condition: string }> {
  const query = xml("token", udi ? { xmlns: TOKEN_XMPP_NS, udi } : { xmlns: TOKEN_XMPP_NS });
  try {
    return (await agent.xmpp.iqCaller.request(
      xml("iq", { type: "get", to: serverJid }, query),
      10_000,
    )) as unknown as Element;
  } catch (err) {
    const condition = (err as { condition?: string }).condition;
    if (!condition) throw err;
    return { condition };
  }
}

describe("server authorization token over a real ejabberd and Redis", () => {
  const stack = inject("stack");
  const config = testConfig();
  const { logger } = captureLogger();
  const dataDir = mkdtempSync(join(tmpdir(), "pnp-token-"));
  const caDir = join(dataDir, "token-ca");
  const env = serverEnv(config.redisPrefix, { PNP_DATA_DIR: dataDir });
  let redis: PnpRedis;
  let transport: XmppTransport;
  let store: RedisTokenStore;
  let probe: XmppAgent;
  const fleets: RunningFleet[] = [];
  let generalId = "";

  const trust = (overrides: Partial<TokenCheckOptions> = {}): TokenCheckOptions => ({
    trustAnchorPem: readFileSync(join(caDir, "root.pem"), "utf8"),
    deploymentId: DEPLOYMENT,
    ...overrides,
  });

  async function fleetOf(prefix: string, token: TokenCheckOptions): Promise<RunningFleet> {
    const fleet = await startFleet({
      service: `xmpp://127.0.0.1:${stack.ejabberdC2sPort}`,
      domain: stack.xmppDomain,
      serverJid: stack.componentDomain,
      api: ejabberdApi(),
      count: 1,
      pids: ["C9300-24P"],
      serialPrefix: prefix,
      reconnect: false,
      simulator: { token },
    });
    fleets.push(fleet);
    return fleet;
  }

  beforeAll(async () => {
    redis = testRedis(config);
    transport = createXmppTransport({ config, logger, redis });
    await transport.start();
    store = new RedisTokenStore(redis, transport.keys);
    const [account] = await registerDevices(1, "tokprobe");
    probe = createAgent(account!);
    await probe.start();
  });

  afterAll(async () => {
    await Promise.all(fleets.map((f) => f.stop()));
    await probe?.stop();
    await transport?.stop();
    redis?.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers item-not-found while no token is active for the device", async () => {
    const reply = await queryToken(probe, stack.componentDomain);
    expect(reply).toEqual({ condition: "item-not-found" });
  });

  it("pnpctl token ca-init and issue: the component then presents the active token (not a pending one)", async () => {
    const init = await run(["--json", "token", "ca-init", "--deployment-id", DEPLOYMENT], env);
    expect(init.code, init.stderr).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({
      deploymentId: DEPLOYMENT,
      trustAnchor: join(caDir, "root.pem"),
    });

    const issued = await run(
      [
        "--json",
        "token",
        "issue",
        "--server-jid",
        stack.componentDomain,
        "--https-host",
        "pnp.test",
        "--valid-days",
        "7",
      ],
      env,
    );
    expect(issued.code, issued.stderr).toBe(0);
    const { id, jws } = JSON.parse(issued.stdout) as { id: string; jws: string };
    generalId = id;

    // A token that starts tomorrow and ends later must not be chosen over the active one.
    const authority = loadSigningAuthority(caDir);
    const pending = signToken(authority.signer, {
      deployment: DEPLOYMENT,
      serverJid: stack.componentDomain,
      notBefore: new Date(Date.now() + DAY),
      notAfter: new Date(Date.now() + 30 * DAY),
    });
    await store.save(RedisTokenStore.fromJws(pending.jws));

    const reply = await queryToken(probe, stack.componentDomain);
    if ("condition" in reply) throw new Error(`iq error ${reply.condition}`);
    expect(reply.attrs.from).toBe(stack.componentDomain);
    const served = reply.getChild("token", TOKEN_XMPP_NS)?.getChildText("jws");
    expect(served).toBe(jws);
    const verdict = verifyToken(served!, {
      trustAnchors: authority.rootPem,
      deploymentId: DEPLOYMENT,
      expect: { serverJid: stack.componentDomain },
    });
    expect(verdict).toMatchObject({ ok: true, claims: { jti: id, server: { httpsHost: "pnp.test" } } });

    const list = await run(["--json", "token", "list"], env);
    expect(list.code, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout) as { id: string; status: string }[];
    expect(rows.map((r) => [r.id, r.status])).toEqual(
      expect.arrayContaining([
        [id, "active"],
        [pending.claims.jti, "pending"],
      ]),
    );
  });

  it("a device given the trust anchor verifies the token after login and answers device-info", async () => {
    const fleet = await fleetOf("TOKOK", trust());
    const device = fleet.devices[0]!;
    const task = await askDevice(
      transport.tasks,
      device.username,
      { service: "device-info", type: "all" },
      { timeoutMs: 15_000 },
    );
    expect(task.state).toBe("succeeded");
    expect(device.tokenGate?.last).toMatchObject({ ok: true, claims: { jti: generalId } });
    expect((await transport.devices.get(device.username))?.udi).toMatch(
      /^PID:C9300-24P,VID:[^,]*,SN:TOKOK00000$/,
    );
  });

  it("a device served a tampered token refuses every request with a fault naming the reason; the task records it", async () => {
    // A token scoped to this device (so the server prefers it over the general one), then altered: a year more.
    const authority = loadSigningAuthority(caDir);
    const scoped = signToken(authority.signer, {
      deployment: DEPLOYMENT,
      serverJid: stack.componentDomain,
      udis: ["PID:C9300-24P,VID:,SN:TOKBAD00000"],
      notBefore: new Date(Date.now() - DAY),
      notAfter: new Date(Date.now() + DAY),
    });
    const [h, p, s] = scoped.jws.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as { exp: number };
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 365 * 86_400 })).toString("base64url")}.${s}`;
    await store.save(RedisTokenStore.fromJws(tampered));

    const fleet = await fleetOf("TOKBAD", trust());
    const device = fleet.devices[0]!;
    const info = await askDevice(
      transport.tasks,
      device.username,
      { service: "device-info", type: "all" },
      { timeoutMs: 15_000 },
    );
    expect(info.state).toBe("failed");
    expect(info.result?.errorCode).toBe("XSVC:Client");
    expect(info.result?.errorMessage).toMatch(/^server token signature invalid: bad-signature: /);
    const exec = await askDevice(
      transport.tasks,
      device.username,
      { service: "cli-exec", operation: "execCLI", command: "show version" },
      { timeoutMs: 15_000 },
    );
    expect(exec.state).toBe("failed");
    expect(exec.result?.errorMessage).toMatch(/^server token signature invalid/);
    expect(device.tokenGate?.last).toMatchObject({ ok: false, code: "bad-signature" });
    // Nothing was learnt from the device: it refused before answering.
    expect((await transport.devices.get(device.username))?.deviceInfo).toBeUndefined();
  });

  it("a device of another deployment refuses this deployment's token", async () => {
    const fleet = await fleetOf("TOKDEP", trust({ deploymentId: "another-deployment" }));
    const device = fleet.devices[0]!;
    const task = await askDevice(
      transport.tasks,
      device.username,
      { service: "device-info", type: "udi" },
      { timeoutMs: 15_000 },
    );
    expect(task).toMatchObject({ state: "failed", result: { errorCode: "XSVC:Client" } });
    expect(task.result?.errorMessage).toMatch(/^server token from another deployment: wrong-deployment: /);
  });

  it("pnpctl token revoke: the token is no longer presented, and the signed revocation list is handed out", async () => {
    const revoke = await run(["--json", "token", "revoke", generalId, "--reason", "test"], env);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(JSON.parse(revoke.stdout)).toMatchObject({ id: generalId, published: true });
    expect(await queryToken(probe, stack.componentDomain)).toEqual({ condition: "item-not-found" });

    const authority = loadSigningAuthority(caDir);
    const now = await redisNow(redis);
    const fresh = signToken(authority.signer, {
      deployment: DEPLOYMENT,
      serverJid: stack.componentDomain,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + DAY),
    });
    await store.save(RedisTokenStore.fromJws(fresh.jws));
    const reply = await queryToken(probe, stack.componentDomain);
    if ("condition" in reply) throw new Error(`iq error ${reply.condition}`);
    const token = reply.getChild("token", TOKEN_XMPP_NS)!;
    expect(token.getChildText("jws")).toBe(fresh.jws);
    const list = verifyRevocationList(token.getChildText("revocations") ?? "", {
      trustAnchors: authority.rootPem,
      deploymentId: DEPLOYMENT,
    });
    expect(list).toMatchObject({ ok: true, claims: { revoked: [{ jti: generalId }] } });
  });
});
