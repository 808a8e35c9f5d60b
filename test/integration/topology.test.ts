import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RunningFleet, startFleet } from "../../src/agent/fleet-runner.js";
import { fleetFromTopology } from "../../src/agent/model/index.js";
import { askDevice } from "../../src/core/ask.js";
import type { PnpRedis } from "../../src/store/redis.js";
import { createXmppTransport, type XmppTransport } from "../../src/transports/xmpp/service.js";
import { waitForEvents } from "../helpers/events.js";
import { captureLogger, ejabberdApi, testConfig, testRedis } from "../helpers/fixtures.js";

describe("a simulated fleet built from a topology file forms a real CDP graph", () => {
  const stack = inject("stack");
  const config = testConfig();
  let redis: PnpRedis;
  let transport: XmppTransport;
  let fleet: RunningFleet;

  beforeAll(async () => {
    redis = testRedis(config);
    transport = createXmppTransport({ config, logger: captureLogger("warn").logger, redis });
    await transport.start();
    const models = [...fleetFromTopology(readFileSync("deploy/local/demo-topology.txt", "utf8")).values()];
    fleet = await startFleet({
      service: `xmpp://127.0.0.1:${stack.ejabberdC2sPort}`,
      domain: stack.xmppDomain,
      serverJid: stack.componentDomain,
      api: ejabberdApi(),
      count: 0,
      models,
    });
    await waitForEvents(redis, transport.keys.events(), (e) => e.type === "presence" && e.state === "up", {
      count: models.length,
    });
  });

  afterAll(async () => {
    await fleet.stop();
    await transport.stop();
    redis.disconnect();
  });

  it("names each device by its serial and answers show cdp neighbors with the cabled peers", async () => {
    expect(fleet.devices.map((d) => d.username).sort()).toEqual(
      ["fdo2301a0aa", "foc2302b0bb", "foc2303c0cc", "fgl2304d0dd"].sort(),
    );
    const task = await askDevice(
      transport.tasks,
      "fdo2301a0aa",
      { service: "cli-exec", operation: "execCLI", command: "show cdp neighbors" },
      { timeoutMs: 10_000 },
    );
    expect(task.state).toBe("succeeded");
    const output = JSON.stringify(task.result?.body);
    for (const peer of ["acc1", "acc2", "wan1"]) expect(output).toContain(peer);
    const edge = await askDevice(
      transport.tasks,
      "foc2303c0cc",
      { service: "cli-exec", operation: "execCLI", command: "show cdp neighbors" },
      { timeoutMs: 10_000 },
    );
    const edgeOutput = JSON.stringify(edge.result?.body);
    expect(edgeOutput).toContain("core1");
    expect(edgeOutput).not.toContain("wan1");
  });
});
