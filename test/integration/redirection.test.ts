import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RunningFleet, startFleet } from "../../src/agent/fleet-runner.js";
import { askDevice } from "../../src/core/ask.js";
import type { PnpRedis } from "../../src/store/redis.js";
import { createXmppTransport, type XmppTransport } from "../../src/transports/xmpp/service.js";
import { streamTail, waitForEvents } from "../helpers/events.js";
import { captureLogger, ejabberdApi, testConfig, testRedis } from "../helpers/fixtures.js";

describe("redirection is honoured by the simulated agent", () => {
  const stack = inject("stack");
  const config = testConfig();
  let redis: PnpRedis;
  let transport: XmppTransport;
  let fleet: RunningFleet;

  beforeAll(async () => {
    redis = testRedis(config);
    transport = createXmppTransport({ config, logger: captureLogger("warn").logger, redis });
    await transport.start();
    fleet = await startFleet({
      service: `xmpp://127.0.0.1:${stack.ejabberdC2sPort}`,
      domain: stack.xmppDomain,
      serverJid: stack.componentDomain,
      api: ejabberdApi(),
      count: 1,
      serialPrefix: "REDIR",
    });
    await waitForEvents(
      redis,
      transport.keys.events(),
      (e) => e.type === "presence" && e.state === "up" && e.device === fleet.devices[0]!.username,
    );
  });

  afterAll(async () => {
    await fleet.stop();
    await transport.stop();
    redis.disconnect();
  });

  it("answers, leaves its session, and logs in to the named server over the named transport", async () => {
    const device = fleet.devices[0]!;
    const tail = await streamTail(redis, transport.keys.events());
    const moved = once(device, "redirected");
    const target = `xmpps://localhost:${stack.ejabberdC2sTlsPort}`;
    const task = await askDevice(
      transport.tasks,
      device.username,
      {
        service: "redirection",
        primaryServer: {
          protocol: "xmpp-tls",
          address: { kind: "host", value: "localhost" },
          port: stack.ejabberdC2sTlsPort,
        },
      } as never,
      { timeoutMs: 10_000 },
    );
    expect(task.state).toBe("succeeded");
    expect(await moved).toEqual([target]);
    expect(device.agent.options.service).toBe(target);
    // Down from the old session, then up from the new one.
    const [down, up] = await waitForEvents(
      redis,
      transport.keys.events(),
      (e) => e.type === "presence" && e.device === device.username,
      {
        fromId: tail,
        count: 2,
      },
    );
    expect([down!.state, up!.state]).toEqual(["down", "up"]);
    // Still a working PnP agent on its new session.
    const info = await askDevice(
      transport.tasks,
      device.username,
      { service: "device-info", type: "udi" },
      { timeoutMs: 10_000 },
    );
    expect(info.state).toBe("succeeded");
  });
});
