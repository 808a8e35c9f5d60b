import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { XmppAgent } from "../../src/agent/xmpp-agent.js";
import { createKeys } from "../../src/store/keys.js";
import type { PnpRedis } from "../../src/store/redis.js";
import { createXmppTransport, type XmppTransport } from "../../src/transports/xmpp/service.js";
import { createAgent } from "../helpers/agents.js";
import { streamTail, waitForEvents } from "../helpers/events.js";
import { captureLogger, registerDevices, testConfig, testRedis } from "../helpers/fixtures.js";

describe("presence over a real ejabberd", () => {
  const config = testConfig();
  const keys = createKeys(config.redisPrefix);
  const { logger } = captureLogger();
  let redis: PnpRedis;
  let transport: XmppTransport;
  const agents: XmppAgent[] = [];

  beforeAll(async () => {
    redis = testRedis(config);
    transport = createXmppTransport({ config, logger, redis });
    await transport.start();
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await transport.stop();
    redis.disconnect();
  });

  async function presenceEvent(device: string, state: "up" | "down", fromId: string) {
    const [event] = await waitForEvents(
      redis,
      keys.events(),
      (e) => e.type === "presence" && e.device === device && e.state === state,
      { fromId },
    );
    return event!;
  }

  it.each([
    ["STARTTLS on the c2s port", false],
    ["direct TLS on the c2s TLS port", true],
  ])(
    "a device that logs in with SASL PLAIN over %s is up in Redis, with an event",
    async (_name, directTls) => {
      const [device] = await registerDevices(1, directTls ? "tls" : "starttls");
      const tail = await streamTail(redis, keys.events());
      const agent = createAgent({ ...device!, directTls });
      agents.push(agent);
      await agent.start();
      const event = await presenceEvent(device!.username, "up", tail);
      expect(event.resource).toBe("pnp");
      expect(Number(event.ts)).toBeGreaterThan(0);
      const record = await transport.presence.get(device!.username);
      expect(record).toMatchObject({ state: "up", resource: "pnp", transport: "xmpp" });
      expect((await transport.presence.listUp()).map((u) => u.device)).toContain(device!.username);
    },
  );

  it("a device is down after it logs out", async () => {
    const [device] = await registerDevices(1, "logout");
    const agent = createAgent(device!);
    const tail = await streamTail(redis, keys.events());
    await agent.start();
    await presenceEvent(device!.username, "up", tail);
    await agent.stop();
    const down = await presenceEvent(device!.username, "down", tail);
    expect(down.reason).toBe("unavailable");
    expect(await transport.presence.get(device!.username)).toMatchObject({ state: "down" });
    expect((await transport.presence.listUp()).map((u) => u.device)).not.toContain(device!.username);
  });

  it("a device is down after its socket is killed without a stream close", async () => {
    const [device] = await registerDevices(1, "killed");
    const agent = createAgent(device!);
    const tail = await streamTail(redis, keys.events());
    await agent.start();
    await presenceEvent(device!.username, "up", tail);
    agent.kill();
    await presenceEvent(device!.username, "down", tail);
    expect(await transport.presence.get(device!.username)).toMatchObject({ state: "down" });
  });

  it("a late unavailable of a replaced session does not take the new session down", async () => {
    const [device] = await registerDevices(1, "replaced");
    await transport.presence.apply({
      device: device!.username,
      state: "up",
      resource: "new",
      reason: "test",
      transport: "xmpp",
    });
    const stale = await transport.presence.apply({
      device: device!.username,
      state: "down",
      resource: "old",
      reason: "test",
      transport: "xmpp",
    });
    expect(stale).toMatchObject({ changed: false, why: "stale-resource" });
    expect(await transport.presence.get(device!.username)).toMatchObject({ state: "up", resource: "new" });
  });

  it("a device that sends malformed XML is disconnected and the component carries on", async () => {
    const [bad, good] = await registerDevices(2, "malformed");
    const tail = await streamTail(redis, keys.events());
    const badAgent = createAgent(bad!);
    await badAgent.start();
    await presenceEvent(bad!.username, "up", tail);
    const gone = once(badAgent, "disconnect");
    await badAgent.writeRaw("<iq type='set' id='x'><pnp xmlns='urn:cisco:pnp'><<broken & junk \u0001</iq>");
    await gone;
    await presenceEvent(bad!.username, "down", tail);
    // The component is still online and still tracks other devices.
    expect(transport.connection.isOnline).toBe(true);
    const goodAgent = createAgent(good!);
    agents.push(goodAgent);
    await goodAgent.start();
    await presenceEvent(good!.username, "up", tail);
  });

  it("a device that sends an oversized stanza is disconnected and the component carries on", async () => {
    const [big, good] = await registerDevices(2, "oversized");
    const tail = await streamTail(redis, keys.events());
    const bigAgent = createAgent(big!);
    await bigAgent.start();
    await presenceEvent(big!.username, "up", tail);
    const gone = once(bigAgent, "disconnect");
    // ejabberd's max_stanza_size is 256 KiB: send 400 KiB to the component.
    const huge = `<message to='${config.componentDomain}'><body>${"A".repeat(400 * 1024)}</body></message>`;
    await bigAgent.writeRaw(huge).catch(() => undefined);
    await gone;
    await presenceEvent(big!.username, "down", tail);
    expect(transport.connection.isOnline).toBe(true);
    const goodAgent = createAgent(good!);
    agents.push(goodAgent);
    await goodAgent.start();
    await presenceEvent(good!.username, "up", tail);
  });
});
