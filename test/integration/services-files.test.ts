import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RunningFleet, type SimulatedDevice, startFleet } from "../../src/agent/fleet-runner.js";
import { askDevice, type RequestBody } from "../../src/core/ask.js";
import type { TaskRecord } from "../../src/core/tasks.js";
import type { ServiceResponse } from "../../src/protocol/index.js";
import type { PnpRedis } from "../../src/store/redis.js";
import { createXmppTransport, type XmppTransport } from "../../src/transports/xmpp/service.js";
import { type StreamEvent, streamTail, waitForEvents } from "../helpers/events.js";
import { type FileServer, startFileServer } from "../helpers/file-server.js";
import { captureLogger, ejabberdApi, testConfig, testRedis } from "../helpers/fixtures.js";

// The services that download files (image-install, config-upgrade, file-transfer, licensing, script) and
// the ones that reboot the device (image-install, config-upgrade, reload), end to end: files come from a
// loopback HTTP server, requests go through askDevice and the component over ejabberd, and a reboot is
// seen in Redis as the device's presence going down and coming back.

const NEW_IMAGE = "/images/cat9k_iosxe.17.12.04.SPA.bin";
const C1000_IMAGE = "/images/c1000-universalk9-mz.152-7.E10.bin";
const EDGE_CONFIG =
  "hostname UPGRADED\n!\ninterface Loopback0\n ip address 10.9.9.9 255.255.255.255\n!\nend\n";

describe("PnP services with downloads and reboots over a real ejabberd and Redis", () => {
  const config = testConfig();
  const { logger } = captureLogger();
  let redis: PnpRedis;
  let transport: XmppTransport;
  let files: FileServer;
  let fleet: RunningFleet;

  beforeAll(async () => {
    redis = testRedis(config);
    transport = createXmppTransport({ config, logger, redis });
    await transport.start();
    files = await startFileServer({
      [NEW_IMAGE]: { size: 300_000, seed: 1 },
      "/images/packages.conf": { body: "boot packages\n" },
      [C1000_IMAGE]: { size: 2_000_000, seed: 2 },
      "/configs/edge.cfg": { body: EDGE_CONFIG },
      "/configs/live.cfg": { body: "hostname LIVE-1\n" },
      "/licenses/dna.lic": { body: "LICENSE dna-advantage 2030-01-01 sig=abc\n" },
      "/scripts/hello.tcl": { body: 'puts "from file"\nputs "second line"\n' },
      "/apps/app.tar": { size: 50_000, seed: 3 },
      "/private/secret.bin": { status: 403 },
    });
    const stack = inject("stack");
    fleet = await startFleet({
      service: `xmpp://127.0.0.1:${stack.ejabberdC2sPort}`,
      domain: stack.xmppDomain,
      serverJid: stack.componentDomain,
      api: ejabberdApi(),
      count: 6,
      pids: ["C9300-24P", "C1000-24P-4G-L", "CSR1000V", "C9300-24P", "ISR4451-X/K9", "CISCO2901/K9"],
      // A reboot here: delayIn seconds last 20 ms each, then 150 ms of boot.
      simulator: { files: { baseUrl: files.url, timeoutMs: 10_000 }, delayMsPerSecond: 20, bootTimeMs: 150 },
    });
    await waitForEvents(redis, transport.keys.events(), (e) => e.type === "presence" && e.state === "up", {
      count: 6,
    });
  });

  afterAll(async () => {
    await fleet?.stop();
    await transport?.stop();
    await files?.close();
    redis?.disconnect();
  });

  const dev = (i: number): SimulatedDevice => fleet.devices[i]!;

  function ask(device: SimulatedDevice, request: RequestBody): Promise<TaskRecord> {
    return askDevice(transport.tasks, device.username, request, { timeoutMs: 15_000 });
  }

  function body<S extends ServiceResponse["service"]>(
    task: TaskRecord,
    service: S,
  ): Extract<ServiceResponse, { service: S }> {
    const response = task.result?.body as ServiceResponse | undefined;
    expect(response?.service).toBe(service);
    return response as Extract<ServiceResponse, { service: S }>;
  }

  /** Waits for the device to go down and come back up in Redis presence, after `fromId`. */
  async function reboot(
    device: SimulatedDevice,
    fromId: string,
  ): Promise<{ down: StreamEvent; up: StreamEvent }> {
    const presence = (state: string) => (e: StreamEvent) =>
      e.type === "presence" && e.device === device.username && e.state === state;
    const [down] = await waitForEvents(redis, transport.keys.events(), presence("down"), { fromId });
    const [up] = await waitForEvents(redis, transport.keys.events(), presence("up"), { fromId: down!.id });
    await device.settled();
    return { down: down!, up: up! };
  }

  describe("image-install", () => {
    it("answers 1817 without downloading when the running image has the checksum", async () => {
      const running = dev(0).model.runningImage;
      const task = await ask(dev(0), {
        service: "image-install",
        source: { location: files.urlOf("/images/cat9k_iosxe.17.09.04a.SPA.bin") },
        checksum: running.md5,
        reload: { kind: "reload", delayIn: 1 },
      });
      // The device answers success="0" with 1817, as Cisco's agent does; the server counts it as done.
      expect(task.state).toBe("succeeded");
      expect(task.result?.errorCode).toBe("PnP Service Error 1817");
      expect(body(task, "image-install")).toMatchObject({
        success: false,
        errorInfo: {
          severity: "XSVC_ERROR",
          code: "PnP Service Error 1817",
          message: expect.stringMatching(/already running/),
        },
      });
      expect(files.count("/images/cat9k_iosxe.17.09.04a.SPA.bin")).toBe(0);
      expect(dev(0).isReloading).toBe(false);
    });

    it("refuses packages.conf with 1806 before any download", async () => {
      const task = await ask(dev(0), {
        service: "image-install",
        source: { location: files.urlOf("/images/packages.conf") },
        reload: { kind: "noReload" },
      });
      expect(task.result?.errorCode).toBe("PnP Service Error 1806");
      expect(files.count("/images/packages.conf")).toBe(0);
    });

    it("downloads, finds a checksum mismatch (1816) and deletes the copy", async () => {
      const task = await ask(dev(0), {
        service: "image-install",
        source: { location: files.urlOf(NEW_IMAGE) },
        checksum: "0123456789abcdef0123456789abcdef",
        reload: { kind: "noReload" },
      });
      expect(task.result?.errorCode).toBe("PnP Service Error 1816");
      expect(task.result?.errorMessage).toMatch(new RegExp(`computed ${files.md5(NEW_IMAGE)}`));
      expect(files.count(NEW_IMAGE)).toBe(1);
      expect(
        dev(0)
          .model.files("flash:")
          ?.map((f) => f.name),
      ).not.toContain("cat9k_iosxe.17.12.04.SPA.bin");
    });

    it("reports a missing image as 1803", async () => {
      const task = await ask(dev(0), {
        service: "image-install",
        source: { uri: "/images/missing.17.99.01.SPA.bin" },
        reload: { kind: "noReload" },
      });
      expect(task.result?.errorCode).toBe("PnP Service Error 1803");
    });

    it("refuses an image that does not fit the flash (1825), after file-transfer filled it", async () => {
      const c1000 = dev(1);
      const factoryImage = `flash:${c1000.model.runningImage.path.split(":")[1]}`;
      for (let n = 1; n <= 4; n++) {
        const copy = await ask(c1000, {
          service: "file-transfer",
          source: { location: factoryImage },
          destination: { location: `flash:fill-${n}.bin` },
        });
        expect(copy.state).toBe("succeeded");
      }
      const full = await ask(c1000, {
        service: "file-transfer",
        source: { location: factoryImage },
        destination: { location: "flash:fill-5.bin" },
      });
      expect(full.result?.errorCode).toBe("PnP Service Error 1702");
      expect(body(full, "file-transfer").errorInfo).toMatchObject({
        severity: "ERROR",
        message: expect.stringMatching(/Not enough space/),
      });

      const task = await ask(c1000, {
        service: "image-install",
        source: { location: files.urlOf(C1000_IMAGE) },
        checksum: files.md5(C1000_IMAGE),
        reload: { kind: "reload" },
      });
      expect(task.result?.errorCode).toBe("PnP Service Error 1825");
      expect(task.result?.errorMessage).toMatch(/Not enough space on flash:/);
      expect(c1000.isReloading).toBe(false);
    });

    it("installs a new image, answers, reboots into it and comes back up in Redis", async () => {
      const device = dev(0);
      const tail = await streamTail(redis, transport.keys.events());
      const task = await ask(device, {
        service: "image-install",
        source: { location: files.urlOf(NEW_IMAGE) },
        checksum: files.md5(NEW_IMAGE),
        reload: { kind: "reload", reason: "upgrade", delayIn: 1 },
      });
      expect(task.state).toBe("succeeded");
      const { down } = await reboot(device, tail);
      expect(task.finishedAt!).toBeLessThanOrEqual(Number(down.ts)); // the answer went out before the reboot
      expect((await transport.presence.get(device.username))?.state).toBe("up");
      expect(device.model.reloadCount).toBe(1);

      const info = await ask(device, { service: "device-info", type: "image" });
      expect(info.state).toBe("succeeded");
      const stored = await transport.devices.get(device.username);
      expect(stored?.deviceInfo?.imageInfo).toMatchObject({
        versionString: "17.12.4",
        imageHash: files.md5(NEW_IMAGE),
        imageFile: "flash:cat9k_iosxe.17.12.04.SPA.bin",
        returnToRomReason: "upgrade",
      });
    });
  });

  describe("config-upgrade", () => {
    it("fails a checksum mismatch with 1403 and leaves startup-config alone", async () => {
      const task = await ask(dev(2), {
        service: "config-upgrade",
        source: { location: files.urlOf("/configs/edge.cfg") },
        checksum: "ffffffffffffffffffffffffffffffff",
        reload: { kind: "reload" },
      });
      expect(task.result?.errorCode).toBe("PnP Service Error 1403");
      expect(body(task, "config-upgrade").serviceLog).toMatch(/%Error verifying checksum/);
      expect(dev(2).model.startupConfig()).toBeUndefined();
      expect(dev(2).isReloading).toBe(false);
    });

    it("copies to startup-config, reboots and comes back with the new configuration", async () => {
      const device = dev(2);
      const tail = await streamTail(redis, transport.keys.events());
      const task = await ask(device, {
        service: "config-upgrade",
        source: { uri: "/configs/edge.cfg" },
        checksum: files.md5("/configs/edge.cfg"),
        reload: { kind: "reload", delayIn: 2 },
      });
      expect(task.state).toBe("succeeded");
      expect(body(task, "config-upgrade").serviceLog).toMatch(/bytes copied/);
      expect(device.model.hostname).not.toBe("UPGRADED"); // startup-config only, until the reboot
      await reboot(device, tail);
      expect(device.model.hostname).toBe("UPGRADED");
      expect(device.model.runningConfig()).toMatch(/ip address 10\.9\.9\.9 255\.255\.255\.255/);

      await ask(device, { service: "device-info", type: "hardware" });
      expect((await transport.devices.get(device.username))?.deviceInfo?.hardwareInfo?.hostname).toBe(
        "UPGRADED",
      );
    });

    it("merges into running-config at once with applyTo running and noReload", async () => {
      const device = dev(4);
      const task = await ask(device, {
        service: "config-upgrade",
        source: { location: files.urlOf("/configs/live.cfg") },
        applyTo: "running",
        reload: { kind: "noReload" },
      });
      expect(task.state).toBe("succeeded");
      expect(device.model.hostname).toBe("LIVE-1");
      expect(device.isReloading).toBe(false);
      expect(device.model.reloadCount).toBe(0);
    });
  });

  describe("file-transfer", () => {
    it("copies a file from the file server to bootflash:", async () => {
      const device = dev(4);
      const task = await ask(device, {
        service: "file-transfer",
        source: { location: files.urlOf("/apps/app.tar") },
        destination: { location: "bootflash:app.tar" },
      });
      expect(task.state).toBe("succeeded");
      expect(device.model.files("bootflash:")).toContainEqual({
        name: "app.tar",
        size: 50_000,
        md5: files.md5("/apps/app.tar"),
      });
    });

    it("fails with 1702 for a missing file and a refused one, and 1701 for an unsupported protocol", async () => {
      const device = dev(4);
      const missing = await ask(device, {
        service: "file-transfer",
        source: { location: files.urlOf("/apps/none.tar") },
        destination: { location: "bootflash:" },
      });
      expect(missing.result?.errorCode).toBe("PnP Service Error 1702");
      expect(missing.result?.errorMessage).toMatch(/No such file/);
      const denied = await ask(device, {
        service: "file-transfer",
        source: { location: files.urlOf("/private/secret.bin") },
        destination: { location: "bootflash:" },
      });
      expect(denied.result?.errorMessage).toMatch(/HTTP 403/);
      const tftp = await ask(device, {
        service: "file-transfer",
        source: { location: "tftp://192.0.2.1/a.bin" },
        destination: { location: "bootflash:" },
      });
      expect(tftp.result?.errorCode).toBe("PnP Service Error 1701");
    });
  });

  describe("licensing", () => {
    it("installs a downloaded licence and sets the boot level", async () => {
      const device = dev(3);
      const task = await ask(device, {
        service: "licensing",
        copies: [{ source: { location: files.urlOf("/licenses/dna.lic") }, clear: false }],
        level: "network-essentials",
        reload: { kind: "noReload" },
      });
      expect(task.state).toBe("succeeded");
      expect(body(task, "licensing").licensingInfo).toEqual({
        total: 2,
        successful: 2,
        failed: 0,
        existing: 0,
      });
      expect(device.model.licenses().files).toHaveLength(1);
      expect(device.model.licenses().nextLevel).toBe("network-essentials");
    });

    it("refuses a level the platform does not have (1901)", async () => {
      const task = await ask(dev(3), {
        service: "licensing",
        level: "dna-premier-ultra",
        reload: { kind: "noReload" },
      });
      expect(task.result?.errorCode).toBe("PnP Service Error 1901");
      expect(body(task, "licensing").errorInfo?.severity).toBe("XSVC_ERROR_LCSG_INSTALL");
    });
  });

  describe("script", () => {
    it("runs a downloaded script and returns what it printed", async () => {
      const task = await ask(dev(3), {
        service: "script",
        source: { location: files.urlOf("/scripts/hello.tcl") },
        arguments: "-v",
        scriptType: "tcl",
      });
      expect(task.state).toBe("succeeded");
      expect(body(task, "script")).toMatchObject({
        resultData: "from file\nsecond line",
        serviceLog: expect.stringMatching(/-v/),
      });
    });

    it("fails with 2503 when the script cannot be downloaded, and 2506 on a type mismatch without downloading", async () => {
      const missing = await ask(dev(3), { service: "script", source: { uri: "/scripts/none.tcl" } });
      expect(missing.result?.errorCode).toBe("PnP Service Error 2503");
      const mismatch = await ask(dev(3), {
        service: "script",
        source: { location: files.urlOf("/scripts/hello.tcl") },
        scriptType: "python",
      });
      expect(mismatch.result?.errorCode).toBe("PnP Service Error 2506");
      expect(files.count("/scripts/hello.tcl")).toBe(1);
    });
  });

  describe("reload", () => {
    it("saves the configuration, reboots and comes back with it", async () => {
      const device = dev(3);
      const apply = await ask(device, {
        service: "cli-config",
        operation: "configApply",
        data: { kind: "commands", commands: ["hostname SAVED-1"] },
      });
      expect(apply.state).toBe("succeeded");
      const tail = await streamTail(redis, transport.keys.events());
      const task = await ask(device, {
        service: "reload",
        reason: "maintenance",
        delayIn: 1,
        saveConfig: true,
      });
      expect(task.state).toBe("succeeded");
      await reboot(device, tail);
      expect(device.model.reloadCount).toBe(1);
      expect(device.model.hostname).toBe("SAVED-1");
      // The licence level set earlier is in effect after the reboot.
      expect(device.model.licenses().level).toBe("network-essentials");
      const info = await ask(device, { service: "device-info", type: "image" });
      expect(body(info, "device-info").deviceInfo.imageInfo?.returnToRomReason).toBe("maintenance");
    });

    it("refuses to reload without a bootable image (2406) and stays up", async () => {
      const device = dev(5);
      const image = device.model.runningImage.path;
      const deleted = await ask(device, {
        service: "cli-exec",
        operation: "execCLI",
        command: `delete /force ${image}`,
      });
      expect(deleted.state).toBe("succeeded");
      const task = await ask(device, { service: "reload", delayIn: 0 });
      expect(task.result?.errorCode).toBe("PnP Service Error 2406");
      expect(body(task, "reload").errorInfo?.severity).toBe("ERROR");
      expect(device.isReloading).toBe(false);
      expect((await transport.presence.get(device.username))?.state).toBe("up");
    });
  });
});
