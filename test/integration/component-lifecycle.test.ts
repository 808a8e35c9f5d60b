import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { XmppAgent } from "../../src/agent/xmpp-agent.js";
import { XmppAgent as Agent } from "../../src/agent/xmpp-agent.js";
import type { Config } from "../../src/config/schema.js";
import { type LocalEjabberd, startLocalEjabberd } from "../../src/localstack/ejabberd.js";
import type { PnpRedis } from "../../src/store/redis.js";
import { EjabberdApi } from "../../src/transports/xmpp/ejabberd-api.js";
import { createXmppTransport, type XmppTransport } from "../../src/transports/xmpp/service.js";
import { streamTail, waitForEvents } from "../helpers/events.js";
import { captureLogger, testConfig, testRedis } from "../helpers/fixtures.js";

// This file restarts ejabberd, so it runs its own instance beside the suite's shared one.
describe("component lifecycle against its own ejabberd", () => {
  const stack = inject("stack");
  const dir = mkdtempSync(join(tmpdir(), "pnp-lifecycle-"));
  let ejabberd: LocalEjabberd;
  let api: EjabberdApi;
  let config: Config;
  let redis: PnpRedis;
  const agents: XmppAgent[] = [];
  const transports: XmppTransport[] = [];

  beforeAll(async () => {
    ejabberd = await startLocalEjabberd({
      dir,
      xmppDomain: stack.xmppDomain,
      componentDomain: stack.componentDomain,
      componentSecret: "lifecycle-secret",
      certFile: join(stack.dataDir, "certs", "ejabberd.pem"),
    });
    api = new EjabberdApi(ejabberd.apiUrl);
    config = testConfig({
      componentSecret: "lifecycle-secret",
      ejabberdComponentPort: ejabberd.ports.component,
      ejabberdC2sPort: ejabberd.ports.c2s,
      ejabberdC2sTlsPort: ejabberd.ports.c2sTls,
      ejabberdApiPort: ejabberd.ports.api,
    });
    redis = testRedis(config);
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await Promise.all(transports.map((t) => t.stop()));
    redis.disconnect();
    await ejabberd.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function transport(overrides: Partial<Config> = {}) {
    const t = createXmppTransport({
      config: { ...config, ...overrides },
      logger: captureLogger().logger,
      redis,
    });
    transports.push(t);
    return t;
  }

  async function device(name: string, reconnect = false): Promise<XmppAgent> {
    const password = `pw-${name}-secret`;
    await api.register(name, stack.xmppDomain, password);
    const agent = new Agent({
      service: `xmpp://127.0.0.1:${ejabberd.ports.c2s}`,
      domain: stack.xmppDomain,
      username: name,
      password,
      serverJid: stack.componentDomain,
      reconnect,
      handle: async () => {
        throw new Error("not used");
      },
    });
    agents.push(agent);
    return agent;
  }

  it("stops with one clear error on a wrong component secret, without retrying", async () => {
    const t = transport({ componentSecret: "definitely-the-wrong-secret" });
    await expect(t.start()).rejects.toMatchObject({
      code: "PNP_COMPONENT_AUTH",
      message: expect.stringMatching(/not-authorized/),
    });
    expect(t.connection.isOnline).toBe(false);
    expect(t.connection.reconnectPending).toBe(false);
    // The socket is closed by ejabberd; when that lands, still no reconnect is scheduled.
    if (t.connection.xmpp.status !== "disconnect" && t.connection.xmpp.status !== "offline") {
      await once(t.connection.xmpp, "disconnect");
    }
    expect(t.connection.reconnectPending).toBe(false);
    await t.stop();
  });

  it("reconnects after ejabberd restarts, and devices that come back are up again", async () => {
    const t = transport();
    const agent = await device("restart-dev");
    try {
      await t.start();
      const tail = await streamTail(redis, t.keys.events());
      await agent.start();
      await waitForEvents(redis, t.keys.events(), (e) => e.device === "restart-dev" && e.state === "up", {
        fromId: tail,
      });

      const offline = once(t.connection, "offline");
      const online = once(t.connection, "online");
      const restartTail = await streamTail(redis, t.keys.events());
      const deviceDropped = once(agent, "disconnect");
      await ejabberd.restart();
      await offline;
      await online;
      expect(t.connection.isOnline).toBe(true);
      // The device's session died with ejabberd: the component was told (down), and when the device logs
      // in again (here explicitly, not on xmpp.js's reconnect timer) the component sees it come back.
      await deviceDropped;
      await t.settled(); // the reconciliation after the reconnect has run (it marks the device down if needed)
      await agent.restart();
      const [down, up] = await waitForEvents(redis, t.keys.events(), (e) => e.device === "restart-dev", {
        fromId: restartTail,
        count: 2,
        timeoutMs: 30_000,
      });
      expect([down!.state, up!.state]).toEqual(["down", "up"]);
      expect((await t.presence.get("restart-dev"))?.state).toBe("up");
    } finally {
      await agent.stop();
      await t.stop();
    }
  });

  it("reconciles presence after a component restart while devices came and went", async () => {
    const first = transport();
    await first.start();
    const stays = await device("stays");
    const leaves = await device("leaves");
    const tail = await streamTail(redis, first.keys.events());
    await stays.start();
    await leaves.start();
    await waitForEvents(
      redis,
      first.keys.events(),
      (e) => e.state === "up" && (e.device === "stays" || e.device === "leaves"),
      {
        fromId: tail,
        count: 2,
      },
    );
    await first.stop();

    // While no component is connected: one device leaves, one arrives. Their presences are lost.
    await leaves.stop();
    const arrives = await device("arrives");
    await arrives.start();

    const second = transport();
    // The new component asks "arrives" to announce itself again (its first presence was lost); only after
    // that does ejabberd report its session end to the component.
    const announced = once(arrives, "announced");
    await second.start();
    const report = await second.settled();
    expect(report?.markedUp).toEqual(["arrives"]);
    expect(report?.markedDown).toEqual(["leaves"]);
    expect((await second.presence.listUp()).map((u) => u.device).sort()).toEqual(["arrives", "stays"]);

    // A device marked up by reconciliation is still reported down when it dies later.
    await announced;
    const downTail = await streamTail(redis, second.keys.events());
    arrives.kill();
    await waitForEvents(redis, second.keys.events(), (e) => e.device === "arrives" && e.state === "down", {
      fromId: downTail,
    });
    await second.stop();
  });
});
