import { xml } from "@xmpp/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RunningFleet, startFleet } from "../../src/agent/fleet-runner.js";
import { askDevice } from "../../src/core/ask.js";
import { buildFault, buildResponse, newCorrelator } from "../../src/protocol/index.js";
import type { PnpRedis } from "../../src/store/redis.js";
import { createXmppTransport, type XmppTransport } from "../../src/transports/xmpp/service.js";
import { taskIqId } from "../../src/transports/xmpp/stanza-ids.js";
import { createAgent } from "../helpers/agents.js";
import { streamTail, waitForEvents } from "../helpers/events.js";
import { captureLogger, ejabberdApi, registerDevices, testConfig, testRedis } from "../helpers/fixtures.js";

describe("device-info round trip over a real ejabberd and Redis", () => {
  const config = testConfig();
  const { logger } = captureLogger();
  let redis: PnpRedis;
  let transport: XmppTransport;
  let fleet: RunningFleet;

  beforeAll(async () => {
    redis = testRedis(config);
    transport = createXmppTransport({ config, logger, redis });
    await transport.start();
    const stack = inject("stack");
    fleet = await startFleet({
      service: `xmpp://127.0.0.1:${stack.ejabberdC2sPort}`,
      domain: stack.xmppDomain,
      serverJid: stack.componentDomain,
      api: ejabberdApi(),
      count: 2,
      pids: ["C9300-24P", "CSR1000V"],
    });
    // Both devices are up before we ask them anything.
    await waitForEvents(redis, transport.keys.events(), (e) => e.type === "presence" && e.state === "up", {
      count: 2,
    });
  });

  afterAll(async () => {
    await fleet.stop();
    await transport.stop();
    redis.disconnect();
  });

  it("asks one device for device-info, parses the answer and stores it in Redis", async () => {
    const device = fleet.devices[0]!;
    const task = await askDevice(
      transport.tasks,
      device.username,
      { service: "device-info", type: "all" },
      { timeoutMs: 10_000 },
    );
    expect(task.state).toBe("succeeded");
    expect(task.attempts).toBe(1);
    const expected = device.model.deviceInfo("all");
    if (!expected.success) throw new Error("model refused device-info");
    const stored = await transport.devices.get(device.username);
    expect(stored?.udi).toBe(expected.data.udi?.primaryChassis);
    expect(stored?.udi).toMatch(/^PID:C9300-24P,VID:[^,]*,SN:SIM/);
    expect(stored?.deviceInfo?.imageInfo?.versionString).toBe(expected.data.imageInfo?.versionString);
    expect(stored?.deviceInfo?.fileSystemList?.length).toBeGreaterThan(0);
    // The result is an event in the stream too.
    const [event] = await waitForEvents(
      redis,
      transport.keys.events(),
      (e) => e.type === "task" && e.correlator === task.correlator,
    );
    expect(event).toMatchObject({ state: "succeeded", device: device.username, service: "device-info" });
  });

  it("records the device in the inventory: unknown devices appear unclaimed, with last-seen and UDI", async () => {
    const device = fleet.devices[1]!; // not asked before: its first device-info changes what it reports
    const expectedUdi = device.model.deviceInfo("udi");
    if (!expectedUdi.success) throw new Error("model refused device-info");
    // The inventory write follows the answer without being awaited by it: wait for its event.
    const seen = waitForEvents(
      redis,
      transport.keys.events(),
      (e) => e.type === "inventory" && e.id === device.username && e.change === "reported",
      {
        fromId: await streamTail(redis, transport.keys.events()),
      },
    );
    await askDevice(
      transport.tasks,
      device.username,
      { service: "device-info", type: "all" },
      { timeoutMs: 10_000 },
    );
    await seen;
    const record = await transport.inventory.get(device.username);
    expect(record).toMatchObject({
      id: device.username,
      state: "unclaimed",
      udi: expectedUdi.data.udi?.primaryChassis,
    });
    expect(record?.lastSeen).toBeGreaterThan(0);
  });

  it("keeps a CSR1000V's quirks (negative memory, cloudfs) through the round trip", async () => {
    const device = fleet.devices[1]!;
    const task = await askDevice(
      transport.tasks,
      device.username,
      { service: "device-info", type: "all" },
      { timeoutMs: 10_000 },
    );
    expect(task.state).toBe("succeeded");
    const stored = await transport.devices.get(device.username);
    expect(stored?.udi).toMatch(/^PID:CSR1000V,VID:,SN:/);
    const names = stored?.deviceInfo?.fileSystemList?.map((f) => f.name) ?? [];
    expect(names).toContain("bootflash");
  });

  it("refuses a request the codec cannot build before queueing it", async () => {
    const device = fleet.devices[0]!;
    await expect(
      askDevice(
        transport.tasks,
        device.username,
        { service: "device-info", type: "bogus" as "all" },
        { timeoutMs: 10_000 },
      ),
    ).rejects.toMatchObject({ code: "PNP_BUILD_INVALID" });
    expect(await transport.tasks.queuedFor(device.username)).toEqual([]);
  });

  it("fails a task queued with an unbuildable request instead of retrying it forever", async () => {
    const device = fleet.devices[0]!;
    const correlator = newCorrelator({ service: "device-info" });
    await transport.tasks.enqueue({
      correlator,
      device: device.username,
      service: "device-info",
      request: { service: "device-info", type: "bogus" },
      timeoutMs: 10_000,
      maxAttempts: 3,
    });
    const task = await transport.tasks.waitFinal(correlator, 10_000);
    expect(task).toMatchObject({ state: "failed", result: { errorCode: "PNP_BUILD_INVALID" } });
  });

  it("records a device's fault (which carries no correlator) as a failed task with the fault code", async () => {
    const [account] = await registerDevices(1, "faulty");
    const agent = createAgent({
      ...account!,
      handle: async () =>
        buildFault(
          { udi: "PID:X,VID:,SN:FAULTY" },
          {
            faultCode: "XSVC:Client",
            faultString: "An unknown XML tag has been received",
            details: "no such service",
          },
        ),
    });
    await agent.start();
    const task = await askDevice(
      transport.tasks,
      account!.username,
      { service: "device-info", type: "all" },
      { timeoutMs: 10_000 },
    );
    expect(task.state).toBe("failed");
    expect(task.result?.errorCode).toBe("XSVC:Client");
    expect(task.result?.errorMessage).toMatch(/unknown XML tag.*no such service/);
    await agent.stop();
  });

  it("delivers a task to an offline device when it comes up", async () => {
    const [account] = await registerDevices(1, "late");
    const correlator = newCorrelator({ service: "device-info" });
    await transport.tasks.enqueue({
      correlator,
      device: account!.username,
      service: "device-info",
      request: { service: "device-info", type: "udi" },
      timeoutMs: 10_000,
      maxAttempts: 1,
    });
    expect((await transport.tasks.get(correlator))?.state).toBe("queued");
    const agent = createAgent({
      ...account!,
      handle: async (pnp) =>
        buildResponse(
          { udi: "PID:C9300-24P,VID:V01,SN:LATE0001" },
          {
            service: "device-info",
            correlator: pnp.getChild("request")?.attrs.correlator as string,
            success: true,
            deviceInfo: { udi: { primaryChassis: "PID:C9300-24P,VID:V01,SN:LATE0001" } },
          },
        ),
    });
    await agent.start();
    const done = await transport.tasks.waitFinal(correlator, 10_000);
    expect(done?.state).toBe("succeeded");
    expect((await transport.devices.get(account!.username))?.udi).toBe("PID:C9300-24P,VID:V01,SN:LATE0001");
    await agent.stop();
  });

  it("rejects and audits an answer from a device the task was not sent to", async () => {
    const [victim, spoofer] = await registerDevices(2, "spoof");
    const correlator = newCorrelator({ service: "device-info" });
    // The task is for the victim, who is offline, so it stays queued... then the spoofer answers it.
    await transport.tasks.enqueue({
      correlator,
      device: victim!.username,
      service: "device-info",
      request: { service: "device-info", type: "udi" },
      timeoutMs: 10_000,
      maxAttempts: 1,
    });
    const agent = createAgent(spoofer!);
    await agent.start();
    const forged = buildResponse(
      { udi: "PID:X,VID:,SN:EVIL" },
      { service: "device-info", correlator, success: true, deviceInfo: {} },
    );
    await agent.xmpp.send(
      xml("iq", { type: "result", to: config.componentDomain, id: taskIqId(correlator, 1) }, forged),
    );
    const [audit] = await waitForEvents(redis, transport.keys.audit(), (e) => e.correlator === correlator);
    expect(audit).toMatchObject({ kind: "rejected-answer", reason: "wrong-device" });
    expect((await transport.tasks.get(correlator))?.state).toBe("queued");
    await agent.stop();
  });

  it("rejects and audits an answer with an unknown correlator", async () => {
    const [account] = await registerDevices(1, "unknown");
    const agent = createAgent(account!);
    await agent.start();
    const correlator = "CiscoPnP-1.0-never-issued";
    const forged = buildResponse(
      { udi: "PID:X,VID:,SN:Y" },
      { service: "device-info", correlator, success: true, deviceInfo: {} },
    );
    await agent.xmpp.send(
      xml("iq", { type: "result", to: config.componentDomain, id: taskIqId(correlator, 1) }, forged),
    );
    const [audit] = await waitForEvents(redis, transport.keys.audit(), (e) => e.correlator === correlator);
    expect(audit).toMatchObject({ kind: "rejected-answer", reason: "unknown-correlator" });
    await agent.stop();
  });
});
