import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RunningFleet, startFleet } from "../../src/agent/fleet-runner.js";
import type { Config } from "../../src/config/schema.js";
import { type LocalEjabberd, startLocalEjabberd } from "../../src/localstack/ejabberd.js";
import type { PnpRedis } from "../../src/store/redis.js";
import { EjabberdApi } from "../../src/transports/xmpp/ejabberd-api.js";
import { createXmppTransport, type XmppTransport } from "../../src/transports/xmpp/service.js";
import { waitForEvents } from "../helpers/events.js";
import { captureLogger, testConfig, testRedis } from "../helpers/fixtures.js";

// Two component instances on one ejabberd (domain_balancing by bare source), sharing one Redis.
describe("two component instances give the same results as one", () => {
  const stack = inject("stack");
  const dir = mkdtempSync(join(tmpdir(), "pnp-two-"));
  let ejabberd: LocalEjabberd;
  let config: Config;
  let redis: PnpRedis;
  let a: XmppTransport;
  let b: XmppTransport;
  let fleet: RunningFleet;

  beforeAll(async () => {
    ejabberd = await startLocalEjabberd({
      dir,
      xmppDomain: stack.xmppDomain,
      componentDomain: stack.componentDomain,
      componentSecret: "two-instances-secret",
      certFile: join(stack.dataDir, "certs", "ejabberd.pem"),
      componentInstances: 2,
    });
    config = testConfig({
      componentSecret: "two-instances-secret",
      ejabberdComponentPort: ejabberd.ports.component,
      ejabberdC2sPort: ejabberd.ports.c2s,
      ejabberdApiPort: ejabberd.ports.api,
    });
    redis = testRedis(config);
    a = createXmppTransport({
      config,
      logger: captureLogger("warn").logger,
      redis,
      instanceId: "instance-a",
    });
    b = createXmppTransport({
      config,
      logger: captureLogger("warn").logger,
      redis,
      instanceId: "instance-b",
    });
    await a.start();
    await b.start();
    fleet = await startFleet({
      service: `xmpp://127.0.0.1:${ejabberd.ports.c2s}`,
      domain: stack.xmppDomain,
      serverJid: stack.componentDomain,
      api: new EjabberdApi(ejabberd.apiUrl),
      count: 60,
      serialPrefix: "TWO",
    });
    await waitForEvents(redis, a.keys.events(), (e) => e.type === "presence" && e.state === "up", {
      count: 60,
    });
  });

  afterAll(async () => {
    await fleet.stop();
    await a.stop();
    await b.stop();
    redis.disconnect();
    await ejabberd.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("tracks every device once, split between the instances by device", async () => {
    const up = await a.presence.listUp();
    expect(up.length).toBe(60);
    const holders = await Promise.all(
      fleet.devices.map((d) => redis.hget(a.keys.presence(d.username), "instance")),
    );
    expect(new Set(holders)).toEqual(new Set(["instance-a", "instance-b"]));
  });

  it("a job created anywhere ends with one result per device, sent and answered across both instances", async () => {
    const job = await a.jobs.create({
      devices: fleet.devices.map((d) => d.username),
      request: { service: "device-info", type: "udi" },
      target: "two",
    });
    await waitForEvents(
      redis,
      a.keys.events(),
      (e) => e.type === "job" && e.job === job.id && e.state === "completed",
    );
    const done = (await b.jobs.get(job.id))!;
    expect(done.counts).toMatchObject({ total: 60, succeeded: 60, failed: 0, timed_out: 0 });
    const results = await a.jobs.results(job.id);
    expect(results.every((r) => r.state === "succeeded" && r.attempts === 1)).toBe(true);
    // Any instance may send, and the answer comes back through the instance ejabberd balances that device
    // to (the one holding its presence): many tasks were sent by one instance and answered at the other.
    const senders = await Promise.all(results.map((r) => redis.hget(a.keys.task(r.correlator), "instance")));
    const holders = await Promise.all(results.map((r) => redis.hget(a.keys.presence(r.device), "instance")));
    const crossed = senders.filter((sender, i) => sender !== holders[i]).length;
    expect(crossed).toBeGreaterThan(0);
    // Each device's UDI came from its own answer, whichever instance received it.
    for (const device of fleet.devices.slice(0, 5)) {
      expect((await a.devices.get(device.username))?.udi).toMatch(
        new RegExp(`SN:${device.username.toUpperCase()}$`),
      );
    }
  });
});
