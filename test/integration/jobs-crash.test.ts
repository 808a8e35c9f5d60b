import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RunningFleet, startFleet } from "../../src/agent/fleet-runner.js";
import { RedisJobStore } from "../../src/store/job-store.js";
import { createKeys } from "../../src/store/keys.js";
import type { PnpRedis } from "../../src/store/redis.js";
import { waitForEvents } from "../helpers/events.js";
import { ejabberdApi, testConfig, testRedis } from "../helpers/fixtures.js";
import { serverEnv, startServerProcess } from "../helpers/server-process.js";

describe("at-least-once delivery across a kill -9 of the server", () => {
  const stack = inject("stack");
  const config = testConfig();
  const keys = createKeys(config.redisPrefix);
  // Short task timeout and backoff so the retries after the crash come quickly.
  const env = serverEnv(config.redisPrefix, { PNP_RETRY_BACKOFF_MS: "200", PNP_RECONNECT_BASE_MS: "100" });
  let redis: PnpRedis;
  let fleet: RunningFleet;
  let server: ChildProcess | undefined;
  let files: Server | undefined;

  beforeAll(async () => {
    redis = testRedis(config);
    fleet = await startFleet({
      service: `xmpp://127.0.0.1:${stack.ejabberdC2sPort}`,
      domain: stack.xmppDomain,
      serverJid: stack.componentDomain,
      api: ejabberdApi(),
      count: 40,
      serialPrefix: "CRASH",
    });
  });

  afterAll(async () => {
    files?.close();
    if (server && server.exitCode === null) server.kill("SIGKILL");
    await fleet.stop();
    redis.disconnect();
  });

  it("every device ends with exactly one recorded result and nothing is applied twice", async () => {
    // Devices download the script from here. After the first 10 downloads every request is held, so
    // when we kill the server the tasks in flight are on their devices, answered only after it died.
    const held: ServerResponse[] = [];
    let served = 0;
    const heldFive = new Promise<void>((resolve) => {
      files = createServer((_req, res) => {
        if (++served <= 10) return void res.end("puts {inventory check}\n");
        held.push(res);
        if (held.length === 5) resolve();
      });
    });
    files!.listen(0, "127.0.0.1");
    await once(files!, "listening");
    const port = (files!.address() as AddressInfo).port;

    server = await startServerProcess(env);
    const jobs = new RedisJobStore(redis, keys, 100_000);
    const job = await jobs.create({
      devices: fleet.devices.map((d) => d.username),
      // An inline script: each run is recorded in the device's history, so a second run would show.
      request: {
        service: "script",
        source: { location: `http://127.0.0.1:${port}/check.tcl` },
        scriptType: "tcl",
      },
      target: "crash test",
      maxInFlight: 5,
      timeoutMs: 2000,
      maxAttempts: 4,
    });

    // Kill -9 in the middle of the broadcast: 10 results in, 5 tasks on devices.
    await heldFive;
    server.kill("SIGKILL");
    await once(server, "exit");
    const atCrash = (await jobs.get(job.id))!;
    expect(atCrash.state).toBe("running");
    expect(atCrash.counts).toMatchObject({ succeeded: 10, sent: 5 });
    // The devices finish their work now; their answers find no server.
    for (const res of held.splice(0)) res.end("puts {inventory check}\n");
    served = -1000;

    server = await startServerProcess(env);
    await waitForEvents(
      redis,
      keys.events(),
      (e) => e.type === "job" && e.job === job.id && e.state === "completed",
      { timeoutMs: 60_000 },
    );
    const done = (await jobs.get(job.id))!;
    expect(done.counts).toMatchObject({ total: 40, succeeded: 40, failed: 0, timed_out: 0 });
    const results = await jobs.results(job.id);
    expect(new Set(results.map((r) => r.device)).size).toBe(40);
    // Exactly one recorded result per device: one task event each.
    const taskEvents = (await redis.xrange(keys.events(), "-", "+")).filter(
      ([, f]) => f[f.indexOf("job") + 1] === job.id && f[1] === "task",
    );
    expect(taskEvents.length).toBe(40);
    // The 5 tasks that were on devices when the server died were sent again with the same correlator…
    expect(results.filter((r) => r.attempts > 1).length).toBe(5);
    // …and nothing was applied twice: each device ran the script once, whatever the re-sends.
    for (const device of fleet.devices) expect(device.model.scriptHistory().length).toBe(1);
    server.kill("SIGTERM");
    await once(server, "exit");
  });
});
