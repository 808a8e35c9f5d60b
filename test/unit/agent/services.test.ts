// Each service module of the simulated agent against the device model: typed codec request in, typed
// response out (checked by building it with the codec and parsing it back), error paths included.

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { FileFetcher } from "../../../src/agent/file-fetch.js";
import {
  connectDevices,
  createDevice,
  type DeviceModel,
  type DeviceProfile,
  type FetchResult,
} from "../../../src/agent/model/index.js";
import {
  ALL_SERVICES,
  type CorrelatedRequest,
  SERVICE_HANDLERS,
  type ServiceContext,
  type ServiceOutcome,
} from "../../../src/agent/services/index.js";
import {
  buildResponse,
  type FileRef,
  parsePnp,
  type RequestOf,
  type ServiceName,
  type ServiceResponse,
} from "../../../src/protocol/index.js";

// --- fixtures ---------------------------------------------------------------------------------------

function md5(text: string): string {
  return createHash("md5").update(text).digest("hex");
}

function textFile(content: string): FetchResult {
  return { ok: true, size: Buffer.byteLength(content), md5: md5(content), content };
}

interface FakeFiles {
  fetchFile: FileFetcher;
  calls: string[];
}

/** A fetcher serving a fixed table by location or uri (anything else: not found), recording each call. */
function fakeFiles(table: Record<string, FetchResult> = {}): FakeFiles {
  const calls: string[] = [];
  const fetchFile: FileFetcher = async (ref: FileRef | string) => {
    const key = typeof ref === "string" ? ref : "location" in ref ? ref.location : ref.uri;
    calls.push(key);
    return table[key] ?? { ok: false, reason: "not-found", message: "HTTP 404 Not Found" };
  };
  return { fetchFile, calls };
}

function device(profile: Partial<DeviceProfile> = {}): DeviceModel {
  return createDevice({
    pid: "C9300-24P",
    serial: "FOC2345X0AB",
    clock: () => Date.UTC(2025, 2, 4, 10, 0, 0),
    pnpServer: { protocol: "https", address: "pnp.example.net" },
    ...profile,
  });
}

function context(model: DeviceModel, files: FakeFiles = fakeFiles()): ServiceContext {
  return { model, fetchFile: files.fetchFile, records: {}, services: ALL_SERVICES };
}

/** A request body without service and correlator (distributive: cli-config's union stays a union). */
type Body<S extends ServiceName> =
  RequestOf<S> extends infer R ? (R extends unknown ? Omit<R, "service" | "correlator"> : never) : never;
let counter = 0;

/** Runs one service module with a fresh correlator. */
async function run<S extends ServiceName>(
  ctx: ServiceContext,
  service: S,
  body: Body<S>,
): Promise<ServiceOutcome<S>> {
  const request = Object.assign({}, body, {
    service,
    correlator: `CiscoPnP-test-${++counter}`,
  }) as unknown as CorrelatedRequest<S>;
  const handler = SERVICE_HANDLERS[service] as (
    c: ServiceContext,
    r: CorrelatedRequest<S>,
  ) => ServiceOutcome<S> | Promise<ServiceOutcome<S>>;
  const outcome = await handler(ctx, request);
  expect(outcome.response.correlator).toBe(request.correlator);
  return outcome;
}

/** The response as the server reads it: built with the codec, parsed back. */
function wire<S extends ServiceName>(outcome: ServiceOutcome<S>): Extract<ServiceResponse, { service: S }> {
  const message = parsePnp(buildResponse({ udi: "PID:C9300-24P,VID:V02,SN:FOC2345X0AB" }, outcome.response));
  if (message.kind !== "response") throw new Error(`expected a response, got ${message.kind}`);
  return message.response as Extract<ServiceResponse, { service: S }>;
}

const NEW_IMAGE = "cat9k_iosxe.17.12.04.SPA.bin";
const NEW_IMAGE_URL = `http://files.test/images/${NEW_IMAGE}`;
const NEW_IMAGE_MD5 = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

// --- device-info --------------------------------------------------------------------------------------

describe("device-info", () => {
  it("answers the requested sections", async () => {
    const model = device();
    const response = wire(await run(context(model), "device-info", { type: "image" }));
    expect(response.success).toBe(true);
    expect(response.deviceInfo.imageInfo?.imageHash).toBe(model.runningImage.md5);
    expect(response.deviceInfo.udi).toBeUndefined();
  });

  it("reports the model's failure with XSVC_ERROR severity (a platform without file-system info)", async () => {
    const model = device({ quirks: { filesystemInfoUnavailable: true } });
    const response = wire(await run(context(model), "device-info", { type: "filesystem" }));
    expect(response).toMatchObject({
      success: false,
      errorInfo: { severity: "XSVC_ERROR", code: "PnP Service Error 1609" },
    });
  });
});

// --- cli-exec ------------------------------------------------------------------------------------------

describe("cli-exec", () => {
  it("execCLI returns the output as a dialogueLog", async () => {
    const response = wire(
      await run(context(device()), "cli-exec", { operation: "execCLI", command: "show clock" }),
    );
    expect(response.success).toBe(true);
    expect(response.execLog?.dialogueLogs).toHaveLength(1);
    expect(response.execLog?.dialogueLogs[0]).toMatchObject({
      sent: "show clock",
      received: expect.stringMatching(/UTC/),
    });
  });

  it("answers prompts from dialogue entries, one dialogueLog per line sent", async () => {
    const model = device();
    const outcome = await run(context(model), "cli-exec", {
      operation: "execCLI",
      command: "copy running-config startup-config",
      dialogues: [{ expect: "Destination filename", match: "leading", reply: "" }],
    });
    const logs = wire(outcome).execLog!.dialogueLogs;
    expect(logs.map((l) => l.sent)).toEqual(["copy running-config startup-config", ""]);
    expect(model.startupConfig()).toBeDefined();
    expect(outcome.reload).toBeNull();
  });

  it("fails an unanswered prompt with 1303 and an invalid command with 1304, without severity", async () => {
    const ctx = context(device());
    const prompt = wire(
      await run(ctx, "cli-exec", { operation: "execCLI", command: "copy running-config startup-config" }),
    );
    expect(prompt).toMatchObject({ success: false, errorInfo: { code: "PnP Service Error 1303" } });
    const invalid = wire(await run(ctx, "cli-exec", { operation: "execCLI", command: "show nonsense" }));
    expect(invalid.success).toBe(false);
    expect(invalid.errorInfo).toEqual({
      code: "PnP Service Error 1304",
      message: expect.stringMatching(/Invalid input/),
    });
    expect(invalid.execLog?.dialogueLogs[0]?.received).toMatch(/\^/);
  });

  it("cuts the output to maxResponseSize bytes", async () => {
    const response = wire(
      await run(context(device()), "cli-exec", {
        operation: "execCLI",
        command: "show running-config",
        maxResponseSize: 100,
      }),
    );
    expect(Buffer.byteLength(response.execLog!.dialogueLogs[0]!.received!)).toBeLessThanOrEqual(100);
    expect(response.execLog!.dialogueLogs[0]!.received!.length).toBeGreaterThan(50);
  });

  it("a confirmed reload command asks the glue to reboot", async () => {
    const outcome = await run(context(device()), "cli-exec", {
      operation: "execCLI",
      command: "reload",
      dialogues: [{ expect: "Proceed with reload? [confirm]", reply: "y" }],
    });
    expect(outcome.response.success).toBe(true);
    expect(outcome.reload).toEqual({
      delaySeconds: 0,
      reason: "Reload Command",
      saveConfig: false,
      eraseConfig: false,
    });
  });

  it("execTest checks syntax on a scratch twin: nothing runs on the device", async () => {
    const model = device();
    const before = model.files("flash:");
    const response = wire(
      await run(context(model), "cli-exec", {
        operation: "execTest",
        data: {
          kind: "block",
          block: "show version\nwrite memory\ndelete /force flash:vlan.dat\nshow bogus",
        },
      }),
    );
    expect(response.success).toBe(false);
    expect(response.errorInfo?.code).toBe("PnP Service Error 1304");
    expect(response.execLog!.dialogueLogs.map((l) => l.resultEntries?.[0]?.outcome.kind)).toEqual([
      "success",
      "success",
      "success",
      "invalid",
    ]);
    expect(model.startupConfig()).toBeUndefined();
    expect(model.files("flash:")).toEqual(before);
  });

  it("execTest of valid commands succeeds, on a stack too", async () => {
    const model = device({ variant: "stack", members: 2 });
    const response = wire(
      await run(context(model), "cli-exec", {
        operation: "execTest",
        data: { kind: "commands", commands: ["dir flash-2:"] },
      }),
    );
    expect(response.success).toBe(true);
  });
});

// --- cli-config ----------------------------------------------------------------------------------------

describe("cli-config", () => {
  const lines = ["hostname R1", "interface Gi1/0/99", "ip domain name example.net"];

  it("continue (the default) applies what it can and answers success with per-line results", async () => {
    const model = device();
    const response = wire(
      await run(context(model), "cli-config", {
        operation: "configApply",
        data: { kind: "commands", commands: lines },
      }),
    );
    expect(response.success).toBe(true);
    expect(response.errorInfo).toBeUndefined();
    expect(response.resultEntries?.map((e) => e.outcome.kind)).toEqual(["success", "invalid", "success"]);
    expect(response.resultEntries?.[0]).toMatchObject({
      lineNumber: 1,
      cliString: "hostname R1",
      outcome: { change: "CHANGE", mode: "IMMEDIATE" },
    });
    expect(model.hostname).toBe("R1");
  });

  it("stop fails with 1200 (no severity) and leaves the rest not executed", async () => {
    const model = device();
    const response = wire(
      await run(context(model), "cli-config", {
        operation: "configApply",
        actionOnFail: "stop",
        data: { kind: "commands", commands: lines },
      }),
    );
    expect(response.success).toBe(false);
    expect(response.errorInfo).toEqual({
      code: "PnP Service Error 1200",
      message: expect.stringMatching(/^Line 2/),
    });
    expect(response.resultEntries?.map((e) => e.outcome.kind)).toEqual(["success", "invalid", "notExecuted"]);
    expect(model.hostname).toBe("R1");
  });

  it("rollback restores the configuration", async () => {
    const model = device();
    const before = model.runningConfig();
    const response = wire(
      await run(context(model), "cli-config", {
        operation: "configApply",
        actionOnFail: "rollback",
        data: { kind: "block", block: lines.join("\n") },
      }),
    );
    expect(response.success).toBe(false);
    expect(model.runningConfig()).toBe(before);
  });

  it("configTest changes nothing; configPersist writes startup-config", async () => {
    const model = device();
    const ctx = context(model);
    const test = wire(
      await run(ctx, "cli-config", { operation: "configTest", data: { kind: "commands", commands: lines } }),
    );
    expect(test.resultEntries?.map((e) => e.outcome.kind)).toEqual(["success", "invalid", "success"]);
    expect(model.hostname).toBe("Switch");
    const persist = wire(await run(ctx, "cli-config", { operation: "configPersist" }));
    expect(persist.success).toBe(true);
    expect(persist.resultEntries?.[0]).toMatchObject({
      cliString: "copy running-config startup-config",
      outcome: { kind: "success" },
    });
    expect(model.startupConfig()).toMatch(/hostname Switch/);
  });
});

// --- config-upgrade --------------------------------------------------------------------------------------

describe("config-upgrade", () => {
  const CONFIG = "hostname UPGRADED\n!\nend\n";
  const URL = "http://files.test/configs/r1.cfg";

  it("copies to startup-config and hands back the reload plan", async () => {
    const model = device();
    const files = fakeFiles({ [URL]: textFile(CONFIG) });
    const outcome = await run(context(model, files), "config-upgrade", {
      source: { location: URL },
      checksum: md5(CONFIG),
      reload: { kind: "reload", delayIn: 30, reason: "day0", saveConfig: false },
    });
    expect(wire(outcome)).toMatchObject({ success: true, serviceLog: expect.stringMatching(/bytes copied/) });
    expect(outcome.reload).toEqual({
      delaySeconds: 30,
      reason: "day0",
      saveConfig: false,
      eraseConfig: false,
    });
    expect(model.startupConfig()).toBe(CONFIG);
    expect(model.hostname).toBe("Switch");
    expect(files.calls).toEqual([URL]);
  });

  it("fails a checksum mismatch with 1403 (XSVC_ERROR) and no reload", async () => {
    const model = device();
    const outcome = await run(context(model, fakeFiles({ [URL]: textFile(CONFIG) })), "config-upgrade", {
      source: { location: URL },
      checksum: md5("something else"),
      reload: { kind: "reload" },
    });
    expect(wire(outcome)).toMatchObject({
      success: false,
      errorInfo: { severity: "XSVC_ERROR", code: "PnP Service Error 1403" },
    });
    expect(outcome.reload).toBeNull();
    expect(model.startupConfig()).toBeUndefined();
  });

  it("reports a missing file as a copy failure (1404)", async () => {
    const outcome = await run(context(device()), "config-upgrade", {
      source: { uri: "/configs/none.cfg" },
      reload: { kind: "noReload" },
    });
    expect(wire(outcome).errorInfo?.code).toBe("PnP Service Error 1404");
  });

  it("refuses applyTo AP without downloading", async () => {
    const files = fakeFiles({ [URL]: textFile(CONFIG) });
    const outcome = await run(context(device(), files), "config-upgrade", {
      source: { location: URL },
      applyTo: "AP",
      reload: { kind: "noReload" },
    });
    expect(wire(outcome).errorInfo?.code).toBe("PnP Service Error 1401");
    expect(files.calls).toEqual([]);
  });

  it("applyTo running merges at once; abortOnSyntaxFault refuses a bad file", async () => {
    const model = device();
    const files = fakeFiles({
      [URL]: textFile(CONFIG),
      "http://files.test/bad.cfg": textFile("hostname X\nbogus command\n"),
    });
    const ctx = context(model, files);
    const live = await run(ctx, "config-upgrade", {
      source: { location: URL },
      applyTo: "running",
      reload: { kind: "noReload" },
    });
    expect(wire(live).success).toBe(true);
    expect(live.reload).toBeNull();
    expect(model.hostname).toBe("UPGRADED");
    const bad = await run(ctx, "config-upgrade", {
      source: { location: "http://files.test/bad.cfg" },
      applyTo: "running",
      abortOnSyntaxFault: true,
      reload: { kind: "noReload" },
    });
    expect(wire(bad).errorInfo?.code).toBe("PnP Service Error 1410");
    expect(model.hostname).toBe("UPGRADED");
  });
});

// --- image-install -----------------------------------------------------------------------------------------

describe("image-install", () => {
  const image = (size = 300_000, hash = NEW_IMAGE_MD5) =>
    fakeFiles({ [NEW_IMAGE_URL]: { ok: true, size, md5: hash } });

  it("installs, sets the boot variable and hands back the reload plan", async () => {
    const model = device();
    const files = image();
    const outcome = await run(context(model, files), "image-install", {
      source: { location: NEW_IMAGE_URL },
      checksum: NEW_IMAGE_MD5,
      reload: { kind: "reload", delayIn: 5 },
    });
    expect(wire(outcome).success).toBe(true);
    expect(outcome.reload).toEqual({
      delaySeconds: 5,
      reason: "PnP image install",
      saveConfig: false,
      eraseConfig: false,
    });
    expect(model.bootVariable).toEqual([`flash:${NEW_IMAGE}`]);
    expect(files.calls).toEqual([NEW_IMAGE_URL]);
  });

  it("answers 1817 (success=0, XSVC_ERROR) without downloading when the checksum is the running image's", async () => {
    const model = device();
    const files = image();
    const outcome = await run(context(model, files), "image-install", {
      source: { location: NEW_IMAGE_URL },
      checksum: model.runningImage.md5.toUpperCase(),
      reload: { kind: "reload" },
    });
    expect(wire(outcome)).toMatchObject({
      success: false,
      errorInfo: { severity: "XSVC_ERROR", code: "PnP Service Error 1817" },
    });
    expect(outcome.reload).toBeNull();
    expect(files.calls).toEqual([]);
  });

  it("refuses packages.conf (1806) and a bad destination (1824) without downloading", async () => {
    const files = fakeFiles({ "http://files.test/packages.conf": { ok: true, size: 10, md5: "x" } });
    const ctx = context(device(), files);
    const conf = await run(ctx, "image-install", {
      source: { location: "http://files.test/packages.conf" },
      reload: { kind: "noReload" },
    });
    expect(wire(conf).errorInfo?.code).toBe("PnP Service Error 1806");
    const dest = await run(ctx, "image-install", {
      source: { location: NEW_IMAGE_URL },
      destination: { location: "nvram:" },
      reload: { kind: "noReload" },
    });
    expect(wire(dest).errorInfo?.code).toBe("PnP Service Error 1824");
    expect(files.calls).toEqual([]);
  });

  it("deletes the copy on a checksum mismatch (1816)", async () => {
    const model = device();
    const outcome = await run(
      context(model, image(300_000, "ffffffffffffffffffffffffffffffff")),
      "image-install",
      {
        source: { location: NEW_IMAGE_URL },
        checksum: NEW_IMAGE_MD5,
        reload: { kind: "reload" },
      },
    );
    expect(wire(outcome).errorInfo?.code).toBe("PnP Service Error 1816");
    expect(outcome.reload).toBeNull();
    expect(model.files("flash:")?.map((f) => f.name)).not.toContain(NEW_IMAGE);
  });

  it("refuses an image larger than the free space (1825) and a missing one (1803)", async () => {
    const ctx = context(device(), image(20_000_000_000));
    const big = await run(ctx, "image-install", {
      source: { location: NEW_IMAGE_URL },
      reload: { kind: "noReload" },
    });
    expect(wire(big).errorInfo?.code).toBe("PnP Service Error 1825");
    const missing = await run(ctx, "image-install", {
      source: { uri: "/images/none.17.01.01.SPA.bin" },
      reload: { kind: "noReload" },
    });
    expect(wire(missing).errorInfo?.code).toBe("PnP Service Error 1803");
  });
});

// --- file-transfer ----------------------------------------------------------------------------------------

describe("file-transfer", () => {
  it("downloads into a file system, named by the destination or after the source", async () => {
    const model = device();
    const files = fakeFiles({
      "http://files.test/apps/app.tar": { ok: true, size: 4096, md5: "ABCDEF0123456789ABCDEF0123456789" },
    });
    const ctx = context(model, files);
    expect(
      wire(
        await run(ctx, "file-transfer", {
          source: { location: "http://files.test/apps/app.tar" },
          destination: { location: "flash:" },
        }),
      ).success,
    ).toBe(true);
    expect(
      wire(
        await run(ctx, "file-transfer", {
          source: { location: "http://files.test/apps/app.tar" },
          destination: { location: "crashinfo:saved.tar" },
        }),
      ).success,
    ).toBe(true);
    expect(model.files("flash:")).toContainEqual({
      name: "app.tar",
      size: 4096,
      md5: "abcdef0123456789abcdef0123456789",
    });
    expect(model.files("crashinfo:")).toContainEqual({
      name: "saved.tar",
      size: 4096,
      md5: "abcdef0123456789abcdef0123456789",
    });
  });

  it("copies between device file systems without the network", async () => {
    const model = device();
    const files = fakeFiles();
    const outcome = await run(context(model, files), "file-transfer", {
      source: { location: "flash:vlan.dat" },
      destination: { location: "crashinfo:vlan.bak" },
    });
    expect(wire(outcome).success).toBe(true);
    expect(model.files("crashinfo:")?.map((f) => f.name)).toContain("vlan.bak");
    expect(files.calls).toEqual([]);
  });

  it("fails with 1702 (ERROR) on a bad destination (before downloading), a missing source, or no space", async () => {
    const files = fakeFiles({ "http://files.test/huge.bin": { ok: true, size: 50_000_000_000, md5: "x" } });
    const ctx = context(device(), files);
    const nvram = wire(
      await run(ctx, "file-transfer", {
        source: { location: "http://files.test/huge.bin" },
        destination: { location: "nvram:x" },
      }),
    );
    expect(nvram).toMatchObject({
      success: false,
      errorInfo: { severity: "ERROR", code: "PnP Service Error 1702" },
    });
    const nowhere = wire(
      await run(ctx, "file-transfer", {
        source: { location: "http://files.test/huge.bin" },
        destination: { location: "disk9:x" },
      }),
    );
    expect(nowhere.errorInfo?.message).toMatch(/Invalid destination/);
    expect(files.calls).toEqual([]);
    const missing = wire(
      await run(ctx, "file-transfer", {
        source: { location: "http://files.test/none.bin" },
        destination: { location: "flash:" },
      }),
    );
    expect(missing.errorInfo?.message).toMatch(/No such file or directory/);
    const huge = wire(
      await run(ctx, "file-transfer", {
        source: { location: "http://files.test/huge.bin" },
        destination: { location: "flash:" },
      }),
    );
    expect(huge.errorInfo?.message).toMatch(/Not enough space/);
  });

  it("answers 1701 for a protocol the agent does not speak", async () => {
    const ctx: ServiceContext = {
      ...context(device()),
      fetchFile: async () => ({ ok: false, reason: "unreachable", message: "unsupported protocol tftp:" }),
    };
    const outcome = wire(
      await run(ctx, "file-transfer", {
        source: { location: "tftp://192.0.2.1/a.bin" },
        destination: { location: "flash:" },
      }),
    );
    expect(outcome.errorInfo?.code).toBe("PnP Service Error 1701");
  });
});

// --- licensing ------------------------------------------------------------------------------------------

describe("licensing", () => {
  const LIC = "http://files.test/lic/a.lic";

  it("installs downloaded licences, sets the level and reports the counts", async () => {
    const model = device();
    const ctx = context(model, fakeFiles({ [LIC]: textFile("licence A") }));
    const outcome = await run(ctx, "licensing", {
      copies: [
        { source: { location: LIC }, clear: false },
        { source: { location: "http://files.test/lic/none.lic" }, clear: true },
      ],
      level: "network-essentials",
      reload: { kind: "reload", delayIn: 1 },
    });
    const response = wire(outcome);
    expect(response.licensingInfo).toEqual({ total: 3, successful: 2, failed: 1, existing: 0 });
    expect(outcome.reload).toMatchObject({ delaySeconds: 1, reason: "PnP licensing" });
    expect(model.licenses().nextLevel).toBe("network-essentials");
    const again = wire(
      await run(ctx, "licensing", {
        copies: [{ source: { location: LIC }, clear: false }],
        reload: { kind: "noReload" },
      }),
    );
    expect(again.licensingInfo).toMatchObject({ total: 1, existing: 1 });
  });

  it("refuses an unknown level with 1901 and XSVC_ERROR_LCSG_INSTALL severity", async () => {
    const outcome = await run(context(device()), "licensing", {
      level: "ultimate",
      reload: { kind: "reload" },
    });
    expect(wire(outcome)).toMatchObject({
      success: false,
      errorInfo: { severity: "XSVC_ERROR_LCSG_INSTALL", code: "PnP Service Error 1901" },
    });
    expect(outcome.reload).toBeNull();
  });
});

// --- script ---------------------------------------------------------------------------------------------

describe("script", () => {
  it("runs an inline script and returns what it printed", async () => {
    const model = device();
    const response = wire(
      await run(context(model), "script", { source: { inline: 'puts "one"\nputs "two"' }, arguments: "a b" }),
    );
    expect(response).toMatchObject({
      success: true,
      resultData: "one\ntwo",
      serviceLog: expect.stringMatching(/arguments "a b"/),
    });
    expect(model.scriptHistory()).toHaveLength(1);
  });

  it("downloads a script from its location", async () => {
    const files = fakeFiles({ "http://files.test/s.py": textFile('print("hi")\n') });
    const response = wire(
      await run(context(device(), files), "script", {
        source: { location: "http://files.test/s.py" },
        scriptType: "python",
      }),
    );
    expect(response.resultData).toBe("hi");
  });

  it("fails a missing script (2503), a failing one (2502), a type mismatch (2506, no download)", async () => {
    const files = fakeFiles({ "http://files.test/s.tcl": textFile('puts "x"') });
    const ctx = context(device(), files);
    expect(wire(await run(ctx, "script", { source: { uri: "/none.tcl" } })).errorInfo).toMatchObject({
      severity: "ERROR",
      code: "PnP Service Error 2503",
    });
    expect(wire(await run(ctx, "script", { source: { inline: 'puts "bad"\nexit 3' } }))).toMatchObject({
      success: false,
      errorInfo: { code: "PnP Service Error 2502" },
      serviceLog: expect.stringMatching(/bad/),
    });
    expect(
      wire(
        await run(ctx, "script", { source: { location: "http://files.test/s.tcl" }, scriptType: "python" }),
      ).errorInfo?.code,
    ).toBe("PnP Service Error 2506");
    expect(files.calls).toEqual(["/none.tcl"]);
  });
});

// --- topology, reload ------------------------------------------------------------------------------------

describe("topology", () => {
  it("lists CDP neighbours, and none while the neighbour is offline", async () => {
    const a = device();
    const b = device({ serial: "FOC2345X0AC", hostname: "PEER" });
    connectDevices(a, "Gi1/0/1", b, "Gi1/0/2");
    const response = wire(await run(context(a), "topology", {}));
    expect(response.neighbors).toEqual([
      {
        local: expect.objectContaining({ interface: "GigabitEthernet1/0/1", shortInterface: "Gi1/0/1" }),
        remote: expect.objectContaining({
          interface: "GigabitEthernet1/0/2",
          deviceName: "PEER",
          platform: "C9300-24P",
          version: "17.9.4a",
        }),
      },
    ]);
    b.setOnline(false);
    expect(wire(await run(context(a), "topology", {})).neighbors).toEqual([]);
  });
});

describe("reload", () => {
  it("acknowledges and plans the reboot; the model is untouched until the glue reloads it", async () => {
    const model = device();
    const outcome = await run(context(model), "reload", { reason: "maint", delayIn: 10, saveConfig: true });
    expect(wire(outcome).success).toBe(true);
    expect(outcome.reload).toEqual({
      delaySeconds: 10,
      reason: "maint",
      saveConfig: true,
      eraseConfig: false,
    });
    expect(model.reloadCount).toBe(0);
  });

  it("refuses without a bootable image (2406, ERROR) and plans nothing", async () => {
    const model = device();
    model.exec(`delete /force ${model.runningImage.path}`);
    const outcome = await run(context(model), "reload", {});
    expect(wire(outcome)).toMatchObject({
      success: false,
      errorInfo: { severity: "ERROR", code: "PnP Service Error 2406" },
    });
    expect(outcome.reload).toBeNull();
  });
});

// --- backoff, redirection, certificate-install, capability, tag -------------------------------------------------

describe("backoff", () => {
  it("records callbackAfter and defaultMinutes and acknowledges them", async () => {
    const ctx = context(device());
    expect(
      wire(await run(ctx, "backoff", { reason: "later", action: { kind: "callbackAfter", hours: 1 } }))
        .success,
    ).toBe(true);
    expect(ctx.records.backoff).toMatchObject({
      reason: "later",
      action: { kind: "callbackAfter", hours: 1 },
    });
    await run(ctx, "backoff", { reason: "slow down", action: { kind: "defaultMinutes", minutes: 10 } });
    expect(ctx.records.backoff?.action).toEqual({ kind: "defaultMinutes", minutes: 10 });
    expect(ctx.records.terminated).toBeUndefined();
  });

  it("terminate removes the pnp profile", async () => {
    const model = device();
    const ctx = context(model);
    expect(model.runningConfig()).toMatch(/pnp profile pnp-zero-touch/);
    expect(wire(await run(ctx, "backoff", { reason: "done", action: { kind: "terminate" } })).success).toBe(
      true,
    );
    expect(model.runningConfig()).not.toMatch(/pnp profile/);
    expect(ctx.records.terminated).toBe(true);
  });
});

describe("redirection and certificate-install", () => {
  it("redirection records the servers and acknowledges", async () => {
    const ctx = context(device());
    const primaryServer = {
      protocol: "https" as const,
      address: { kind: "host" as const, value: "pnp2.example.net" },
      port: 443,
    };
    expect(wire(await run(ctx, "redirection", { primaryServer, callback: true })).success).toBe(true);
    expect(ctx.records.redirection?.request).toEqual({ primaryServer, callback: true });
  });

  it("certificate-install records installs and removals", async () => {
    const ctx = context(device());
    await run(ctx, "certificate-install", {
      action: { operation: "install", store: "trustpoint", source: { uri: "/ca.pem" } },
    });
    await run(ctx, "certificate-install", {
      action: { operation: "install", store: "trustpoint", label: "other", source: { uri: "/o.pem" } },
    });
    await run(ctx, "certificate-install", {
      setClock: { clock: { year: 2025, month: "March", day: 4, hour: 10, minute: 0, second: 0 } },
      action: { operation: "install", store: "trustpool", source: { location: "http://x/bundle" } },
    });
    expect(Object.keys(ctx.records.certificates?.trustpoints ?? {})).toEqual(["pnp-trustpoint", "other"]);
    const removed = await run(ctx, "certificate-install", {
      action: { operation: "uninstall", store: "trustpoint", label: "other" },
    });
    expect(wire(removed).success).toBe(true);
    await run(ctx, "certificate-install", { action: { operation: "uninstall", store: "trustpool" } });
    expect(ctx.records.certificates).toEqual({
      trustpoints: { "pnp-trustpoint": { source: { uri: "/ca.pem" }, at: expect.any(Number) } },
      clock: { clock: expect.objectContaining({ month: "March" }) },
    });
  });
});

describe("capability", () => {
  it("lists the services of the context, the capability service as capabilities", async () => {
    const ctx: ServiceContext = {
      ...context(device()),
      services: new Set(["device-info", "capability", "tag"] as const),
    };
    const response = wire(await run(ctx, "capability", {}));
    expect(response.capabilities).toEqual([
      "cisco:pnp:device-info",
      "cisco:pnp:capabilities",
      "cisco:pnp:tag",
    ]);
    expect(response.features).toContain("cisco:pnp:script-inline");
  });
});

describe("tag", () => {
  it("sets server tags with values, keeps device tags, lists and removes", async () => {
    const model = device();
    model.setTag("asset", "device");
    const ctx = context(model);
    const set = wire(
      await run(ctx, "tag", {
        operation: "set",
        tags: [
          { name: "site", value: "BER-01" },
          { name: "asset", value: "A-1" },
        ],
      }),
    );
    expect(set.tags).toEqual([
      { name: "asset", value: "A-1", owner: "server" },
      { name: "site", value: "BER-01", owner: "server" },
    ]);
    expect(wire(await run(ctx, "tag", { operation: "list" })).tags).toHaveLength(2);
    const removed = wire(await run(ctx, "tag", { operation: "remove", names: ["asset", "absent"] }));
    expect(removed.tags).toEqual([{ name: "site", value: "BER-01", owner: "server" }]);
    expect(model.tags()).toEqual([{ name: "site", origin: "server" }]);
    expect(ctx.records.tagValues).toEqual(new Map([["site", "BER-01"]]));
  });

  it("refuses a name the device cannot hold (3802) and changes nothing", async () => {
    const model = device();
    const ctx = context(model);
    await run(ctx, "tag", { operation: "set", tags: [{ name: "site", value: "A" }] });
    const bad = wire(
      await run(ctx, "tag", {
        operation: "set",
        tags: [
          { name: "floor", value: "3" },
          { name: "net:vlan", value: "10" },
        ],
      }),
    );
    expect(bad).toMatchObject({
      success: false,
      errorInfo: { severity: "ERROR", code: "PnP Service Error 3802" },
    });
    expect(bad.tags).toEqual([{ name: "site", value: "A", owner: "server" }]);
    expect(model.tags().map((t) => t.name)).toEqual(["site"]);
  });

  it("refuses a request the codec's rule rejects (duplicate name, 3801)", async () => {
    const ctx = context(device());
    const bad = wire(
      await run(ctx, "tag", {
        operation: "set",
        tags: [
          { name: "a", value: "1" },
          { name: "a", value: "2" },
        ],
      }),
    );
    expect(bad.errorInfo?.code).toBe("PnP Service Error 3801");
    expect(bad.tags).toEqual([]);
  });
});
