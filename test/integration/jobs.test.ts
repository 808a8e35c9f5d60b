import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RunningFleet, startFleet } from "../../src/agent/fleet-runner.js";
import type { XmppAgent } from "../../src/agent/xmpp-agent.js";
import { resolveInventoryTarget } from "../../src/cli/inventory-commands.js";
import type { JobRecord } from "../../src/core/jobs.js";
import { parseSelector } from "../../src/core/selectors.js";
import { buildFault, buildResponse } from "../../src/protocol/index.js";
import { RedisInventoryStore } from "../../src/store/inventory-store.js";
import type { PnpRedis } from "../../src/store/redis.js";
import { createXmppTransport, type XmppTransport } from "../../src/transports/xmpp/service.js";
import { createAgent } from "../helpers/agents.js";
import { waitForEvents } from "../helpers/events.js";
import { captureLogger, ejabberdApi, registerDevices, testConfig, testRedis } from "../helpers/fixtures.js";

describe("jobs for one device or many, over a real ejabberd and Redis", () => {
  const stack = inject("stack");
  const config = testConfig({ retryBackoffMs: 200 });
  let redis: PnpRedis;
  let transport: XmppTransport;
  const fleets: RunningFleet[] = [];
  const agents: XmppAgent[] = [];

  beforeAll(async () => {
    redis = testRedis(config);
    transport = createXmppTransport({ config, logger: captureLogger("warn").logger, redis });
    await transport.start();
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await Promise.all(fleets.map((f) => f.stop()));
    await transport.stop();
    redis.disconnect();
  });

  function fleet(count: number, serialPrefix: string) {
    return startFleet({
      service: `xmpp://127.0.0.1:${stack.ejabberdC2sPort}`,
      domain: stack.xmppDomain,
      serverJid: stack.componentDomain,
      api: ejabberdApi(),
      count,
      serialPrefix,
      concurrency: 32,
    }).then((f) => {
      fleets.push(f);
      return f;
    });
  }

  /** Waits for the job's final event (completed, stopped or cancelled), then returns the job. */
  async function finished(jobId: string, timeoutMs = 30_000): Promise<JobRecord> {
    await waitForEvents(
      redis,
      transport.keys.events(),
      (e) => e.type === "job" && e.job === jobId && e.state !== "running",
      { timeoutMs },
    );
    return (await transport.jobs.get(jobId))!;
  }

  /** Agents that answer every device-info request with the given outcome. */
  async function scriptedAgents(count: number, tag: string, outcome: "error" | "fault" | "silent") {
    const accounts = await registerDevices(count, tag);
    for (const account of accounts) {
      const agent = createAgent({
        ...account,
        handle: async (pnp) => {
          const correlator = pnp.getChild("request")?.attrs.correlator;
          if (outcome === "silent") return new Promise(() => undefined);
          if (outcome === "fault")
            return buildFault(
              { udi: "PID:X,VID:,SN:F" },
              { faultCode: "XSVC:Client", faultString: "cannot do that" },
            );
          return buildResponse(
            { udi: "PID:X,VID:,SN:E" },
            {
              service: "device-info",
              correlator: String(correlator),
              success: false,
              deviceInfo: {},
              errorInfo: {
                severity: "XSVC_ERROR",
                code: "PnP Service Error 1609",
                message: "filesystem info not available",
              },
            },
          );
        },
      });
      await agent.start();
      agents.push(agent);
    }
    return accounts.map((a) => a.username);
  }

  it("broadcasts device-info to 200 devices, a quarter of them offline until later, each with one result", async () => {
    const online = await fleet(150, "JOBON");
    const lateIds = Array.from({ length: 50 }, (_, i) => `joblate${String(i).padStart(5, "0")}`);
    const devices = [...online.devices.map((d) => d.username), ...lateIds];
    const job = await transport.jobs.create({
      devices,
      request: { service: "device-info", type: "udi" },
      target: "200 devices",
    });
    expect(job.counts.total).toBe(200);

    // The online devices answer; the offline ones wait in their queues.
    await waitForEvents(
      redis,
      transport.keys.events(),
      (e) => e.type === "task" && e.job === job.id && e.state === "succeeded",
      { count: 150 },
    );
    const midway = (await transport.jobs.get(job.id))!;
    expect(midway.state).toBe("running");
    expect(midway.counts).toMatchObject({ succeeded: 150, queued: 50 });

    await fleet(50, "JOBLATE");
    const done = await finished(job.id);
    expect(done.state).toBe("completed");
    expect(done.counts).toMatchObject({ total: 200, succeeded: 200, failed: 0, queued: 0, sent: 0 });
    const results = await transport.jobs.results(job.id);
    expect(new Set(results.map((r) => r.device)).size).toBe(200);
    expect(results.every((r) => r.state === "succeeded" && r.attempts === 1)).toBe(true);
    // Each device's UDI was recorded once, from its own answer.
    expect((await transport.devices.get(lateIds[7]!))?.udi).toMatch(/SN:JOBLATE00007$/);
  });

  it("targets an inventory selector or a saved group: exactly the matching devices get a task", async () => {
    const f = await fleet(6, "JOBSEL");
    const inventory = new RedisInventoryStore(redis, transport.keys);
    // Two core C9300s in Paris, one edge C9300, three elsewhere: only the first two match.
    const plan = [
      { tags: ["core"], pid: "C9300-24P", location: "emea/fr/par1" },
      { tags: ["core", "lab"], pid: "C9300-24P", location: "emea/fr/par2" },
      { tags: ["edge"], pid: "C9300-24P", location: "emea/fr/par1" },
      { tags: ["core"], pid: "ISR4451-X/K9", location: "emea/fr/par1" },
      { tags: ["core"], pid: "C9300-24P", location: "amer/us/nyc1" },
      { tags: [], pid: "C9300-24P", location: "emea/frx" },
    ];
    for (const [i, device] of f.devices.entries())
      await inventory.upsert({ serial: device.username.toUpperCase(), ...plan[i]! });
    const selected = await resolveInventoryTarget(redis, transport.keys.prefix, {
      selector: "tag:core,pid:C9300-*,loc:emea/fr",
    });
    expect(selected).toEqual([f.devices[0]!.username, f.devices[1]!.username]);
    await inventory.saveGroup("paris-core", parseSelector("tag:core,loc:emea/fr/par1"));
    const grouped = await resolveInventoryTarget(redis, transport.keys.prefix, { group: "paris-core" });
    expect(grouped).toEqual([f.devices[0]!.username, f.devices[3]!.username]);

    const job = await transport.jobs.create({
      devices: selected,
      request: { service: "device-info", type: "udi" },
      target: "selector tag:core,pid:C9300-*,loc:emea/fr",
    });
    const done = await finished(job.id);
    expect(done.counts).toMatchObject({ total: 2, succeeded: 2 });
    expect((await transport.jobs.results(job.id)).map((r) => r.device)).toEqual(selected);
  });

  it("keeps at most K devices in flight", async () => {
    const f = await fleet(12, "JOBWIN");
    const job = await transport.jobs.create({
      devices: f.devices.map((d) => d.username),
      request: { service: "device-info", type: "udi" },
      target: "window",
      maxInFlight: 3,
    });
    expect(job.counts.queued + job.counts.sent).toBe(3);
    expect(job.counts.pending).toBe(9);
    // After every task result, never more than 3 devices have a task queued or sent.
    let fromId = "0";
    for (let seen = 0; seen < 12; seen++) {
      const [event] = await waitForEvents(
        redis,
        transport.keys.events(),
        (e) => e.type === "task" && e.job === job.id,
        { fromId },
      );
      fromId = event!.id;
      const { counts } = (await transport.jobs.get(job.id))!;
      expect(counts.queued + counts.sent).toBeLessThanOrEqual(3);
    }
    const done = await finished(job.id);
    expect(done.counts.succeeded).toBe(12);
    expect(Number(await redis.hget(transport.keys.job(job.id), "released"))).toBe(12);
  });

  it("stops a canary rollout when the failure ratio passes its bound, cancelling what was not sent", async () => {
    const ids = await scriptedAgents(10, "canary", "error");
    const job = await transport.jobs.create({
      devices: ids,
      request: { service: "device-info", type: "all" },
      target: "canary",
      maxInFlight: 2,
      failureRatio: 0.5,
      minFinished: 2,
    });
    const done = await finished(job.id);
    expect(done.state).toBe("stopped");
    expect(done.stoppedReason).toMatch(/failure ratio/);
    expect(done.counts.failed).toBeGreaterThanOrEqual(2);
    expect(done.counts.failed).toBeLessThanOrEqual(3);
    expect(done.counts.cancelled).toBeGreaterThanOrEqual(7);
    const failed = (await transport.jobs.results(job.id)).filter((r) => r.state === "failed");
    expect(failed[0]?.errorCode).toBe("PnP Service Error 1609");
  });

  it("cancels a job whose devices are offline", async () => {
    const job = await transport.jobs.create({
      devices: ["nobody00001", "nobody00002", "nobody00003"],
      request: { service: "device-info", type: "all" },
      target: "offline",
    });
    expect(await transport.jobs.cancel(job.id)).toBe(3);
    const done = (await transport.jobs.get(job.id))!;
    expect(done.state).toBe("cancelled");
    expect(done.counts).toMatchObject({ cancelled: 3, queued: 0 });
    expect(await transport.tasks.queuedFor("nobody00001")).toEqual([]);
    await expect(transport.jobs.cancel(job.id)).rejects.toMatchObject({ code: "PNP_JOB_NOT_RUNNING" });
  });

  it("times a silent device out after retrying with the same correlator", async () => {
    const [id] = await scriptedAgents(1, "silent", "silent");
    const job = await transport.jobs.create({
      devices: [id!],
      request: { service: "device-info", type: "all" },
      target: "silent",
      timeoutMs: 400,
      maxAttempts: 2,
    });
    const done = await finished(job.id);
    expect(done.state).toBe("completed");
    expect(done.counts.timed_out).toBe(1);
    const [result] = await transport.jobs.results(job.id);
    expect(result).toMatchObject({ state: "timed_out", attempts: 2, errorCode: "PNP_TASK_TIMEOUT" });
  });

  it("records a device's fault as a failed task of the job", async () => {
    const ids = await scriptedAgents(2, "jobfault", "fault");
    const job = await transport.jobs.create({
      devices: ids,
      request: { service: "device-info", type: "all" },
      target: "faults",
    });
    const done = await finished(job.id);
    expect(done.counts).toMatchObject({ failed: 2, succeeded: 0 });
    for (const r of await transport.jobs.results(job.id)) expect(r.errorCode).toBe("XSVC:Client");
  });

  it("refuses a bad job with every problem named, writing nothing", async () => {
    const before = await redis.zcard(transport.keys.jobs());
    await expect(
      transport.jobs.create({
        devices: ["ok1", "BAD ID", "ok1"],
        request: { service: "device-info", type: "all" },
        target: "bad",
        maxAttempts: 0,
      }),
    ).rejects.toMatchObject({
      code: "PNP_JOB_INVALID",
      message: expect.stringMatching(/not a device id.*targeted twice.*maxAttempts/),
    });
    expect(await redis.zcard(transport.keys.jobs())).toBe(before);
  });
});
