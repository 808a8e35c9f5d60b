import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RunningFleet, startFleet } from "../../src/agent/fleet-runner.js";
import { ejabberdApi, testConfig } from "../helpers/fixtures.js";
import { lineMatching, output, pnpctl, serverEnv } from "../helpers/server-process.js";

describe("pnpctl as separate processes", () => {
  const stack = inject("stack");
  const config = testConfig();
  const dataDir = mkdtempSync(join(tmpdir(), "pnp-cli-"));
  const env = serverEnv(config.redisPrefix, { PNP_DATA_DIR: dataDir });
  let server: ChildProcess;
  let serverOutput: Promise<{ code: number | null; stdout: string; stderr: string }>;
  let fleet: RunningFleet;

  beforeAll(async () => {
    server = pnpctl(["serve"], env);
    const running = lineMatching(server, /PnP server running/);
    serverOutput = output(server);
    await running;
    fleet = await startFleet({
      service: `xmpp://127.0.0.1:${stack.ejabberdC2sPort}`,
      domain: stack.xmppDomain,
      serverJid: stack.componentDomain,
      api: ejabberdApi(),
      count: 1,
      pids: ["C9300-24P"],
    });
  });

  afterAll(async () => {
    await fleet?.stop();
    if (server.exitCode === null) server.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("device-info asks the device through the running server and prints what was stored", async () => {
    const device = fleet.devices[0]!;
    const result = await output(pnpctl(["--json", "device-info", device.jid, "--timeout", "15000"], env));
    expect(result.code, result.stderr).toBe(0);
    const record = JSON.parse(result.stdout) as {
      udi: string;
      deviceInfo: { imageInfo: { versionString: string } };
    };
    expect(record.udi).toMatch(/^PID:C9300-24P,VID:[^,]*,SN:SIM/);
    expect(record.deviceInfo.imageInfo.versionString).toMatch(/^\d+\.\d+/);
  });

  it("presence lists the device as up", async () => {
    const result = await output(pnpctl(["--json", "presence"], env));
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { device: string }[]).map((u) => u.device)).toContain(
      fleet.devices[0]!.username,
    );
  });

  it("a bad argument is a clear error, not a stack trace", async () => {
    const result = await output(pnpctl(["device-info", "x", "--type", "everything"], env));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /--type <type>.*everything.*Allowed choices are all, image, hardware, filesystem, udi, profile/s,
    );
  });

  it("shuts down gracefully on SIGTERM", async () => {
    server.kill("SIGTERM");
    const { code, stdout } = await serverOutput;
    expect(code).toBe(0);
    expect(stdout).toMatch(/"msg":"shutting down"/);
  });
});
