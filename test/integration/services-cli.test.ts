import { once } from "node:events";
import { xml } from "@xmpp/component";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RunningFleet, type SimulatedDevice, startFleet } from "../../src/agent/fleet-runner.js";
import { connectDevices } from "../../src/agent/model/index.js";
import type { PnpAnswer } from "../../src/agent/pnp-handler.js";
import { askDevice, type RequestBody } from "../../src/core/ask.js";
import type { TaskRecord } from "../../src/core/tasks.js";
import {
  buildRequest,
  NS_PNP,
  newCorrelator,
  parsePnp,
  type ServiceResponse,
  toXmlString,
} from "../../src/protocol/index.js";
import type { PnpRedis } from "../../src/store/redis.js";
import { buildTaskStanza } from "../../src/transports/xmpp/pnp-payload.js";
import { createXmppTransport, type XmppTransport } from "../../src/transports/xmpp/service.js";
import { waitForEvents } from "../helpers/events.js";
import { captureLogger, ejabberdApi, testConfig, testRedis } from "../helpers/fixtures.js";

// cli-exec, cli-config, device-info, topology, capability, tag, backoff, redirection and
// certificate-install end to end: the server builds each request with the codec and queues it with
// askDevice; the component sends it over ejabberd to a simulated device, whose answer is parsed and
// recorded in Redis. Also: faults, and one request delivered twice.

describe("PnP services over a real ejabberd and Redis (CLI, inventory, records)", () => {
  const config = testConfig();
  const { logger } = captureLogger();
  let redis: PnpRedis;
  let transport: XmppTransport;
  let fleet: RunningFleet;
  let noTagFleet: RunningFleet;

  beforeAll(async () => {
    redis = testRedis(config);
    transport = createXmppTransport({ config, logger, redis });
    await transport.start();
    const stack = inject("stack");
    const base = {
      service: `xmpp://127.0.0.1:${stack.ejabberdC2sPort}`,
      domain: stack.xmppDomain,
      serverJid: stack.componentDomain,
      api: ejabberdApi(),
    };
    fleet = await startFleet({
      ...base,
      count: 3,
      pids: ["C9300-24P", "C9300-24P", "CSR1000V"],
      profile: () => ({ pnpServer: { protocol: "https", address: "pnpserver.pnp.test" } }),
    });
    // An older agent: it does not know the tag service and answers it with a fault.
    noTagFleet = await startFleet({
      ...base,
      count: 1,
      pids: ["ISR4451-X/K9"],
      simulator: { services: ["device-info", "cli-exec", "capability"] },
    });
    await waitForEvents(redis, transport.keys.events(), (e) => e.type === "presence" && e.state === "up", {
      count: 4,
    });
  });

  afterAll(async () => {
    await fleet?.stop();
    await noTagFleet?.stop();
    await transport?.stop();
    redis?.disconnect();
  });

  const dev = (i: number): SimulatedDevice => fleet.devices[i]!;

  async function ask(device: SimulatedDevice, request: RequestBody): Promise<TaskRecord> {
    return askDevice(transport.tasks, device.username, request, { timeoutMs: 15_000 });
  }

  /** The parsed response the server recorded for the task. */
  function body<S extends ServiceResponse["service"]>(
    task: TaskRecord,
    service: S,
  ): Extract<ServiceResponse, { service: S }> {
    const response = task.result?.body as ServiceResponse | undefined;
    expect(response?.service).toBe(service);
    expect(response?.correlator).toBe(task.correlator);
    return response as Extract<ServiceResponse, { service: S }>;
  }

  describe("cli-exec", () => {
    it("runs a show command and returns its output in execLog", async () => {
      const task = await ask(dev(0), {
        service: "cli-exec",
        operation: "execCLI",
        command: "show version | include Version",
      });
      expect(task.state).toBe("succeeded");
      const log = body(task, "cli-exec").execLog!.dialogueLogs;
      expect(log[0]!.sent).toBe("show version | include Version");
      expect(log[0]!.received).toMatch(/Version 17\.9\.4a/);
    });

    it("answers interactive prompts from the dialogue entries", async () => {
      expect(dev(1).model.startupConfig()).toBeUndefined();
      const task = await ask(dev(1), {
        service: "cli-exec",
        operation: "execCLI",
        command: "copy running-config startup-config",
        dialogues: [{ expect: "Destination filename [startup-config]?", reply: "" }],
      });
      expect(task.state).toBe("succeeded");
      const log = body(task, "cli-exec").execLog!.dialogueLogs;
      expect(log.map((entry) => entry.sent)).toEqual(["copy running-config startup-config", ""]);
      expect(log[1]!.received).toMatch(/\[OK\]/);
      expect(dev(1).model.startupConfig()).toMatch(/hostname Switch/);
    });

    it("fails an invalid command with 1304 and errorInfo without severity", async () => {
      const task = await ask(dev(0), {
        service: "cli-exec",
        operation: "execCLI",
        command: "show interfaces bogus-thing",
      });
      expect(task.state).toBe("failed");
      expect(task.result?.errorCode).toBe("PnP Service Error 1304");
      const response = body(task, "cli-exec");
      expect(response.success).toBe(false);
      expect(response.errorInfo).toEqual({
        code: "PnP Service Error 1304",
        message: expect.stringMatching(/Invalid input/),
      });
      expect(response.execLog!.dialogueLogs[0]!.received).toMatch(/\^/);
    });

    it("checks syntax with execTest without running anything", async () => {
      const startup = dev(0).model.startupConfig();
      const task = await ask(dev(0), {
        service: "cli-exec",
        operation: "execTest",
        data: { kind: "commands", commands: ["show version", "write memory", "shw bogus"] },
      });
      expect(task.state).toBe("failed");
      const response = body(task, "cli-exec");
      const outcomes = response.execLog!.dialogueLogs.map((log) => log.resultEntries?.[0]?.outcome.kind);
      expect(outcomes).toEqual(["success", "success", "invalid"]);
      expect(response.errorInfo?.message).toMatch(/^Line 3 "shw bogus"/);
      expect(dev(0).model.startupConfig()).toBe(startup); // write memory was only checked
    });
  });

  describe("cli-config", () => {
    const lines = ["hostname CORE-{n}", "interface Gi1/0/99", "ip domain name example.net"];

    it("continue: applies the valid lines, reports the invalid one, answers success", async () => {
      const task = await ask(dev(0), {
        service: "cli-config",
        operation: "configApply",
        actionOnFail: "continue",
        data: { kind: "commands", commands: lines.map((l) => l.replace("{n}", "1")) },
      });
      expect(task.state).toBe("succeeded");
      const entries = body(task, "cli-config").resultEntries!;
      expect(entries.map((e) => e.outcome.kind)).toEqual(["success", "invalid", "success"]);
      expect(entries[1]!.text).toMatch(/Invalid input/);
      expect(dev(0).model.hostname).toBe("CORE-1");
      expect(dev(0).model.runningConfig()).toMatch(/ip domain name example\.net/);
    });

    it("stop: applies up to the invalid line, skips the rest and fails with 1200", async () => {
      const task = await ask(dev(1), {
        service: "cli-config",
        operation: "configApply",
        actionOnFail: "stop",
        data: { kind: "commands", commands: lines.map((l) => l.replace("{n}", "2")) },
      });
      expect(task.state).toBe("failed");
      expect(task.result?.errorCode).toBe("PnP Service Error 1200");
      const response = body(task, "cli-config");
      expect(response.errorInfo).not.toHaveProperty("severity");
      expect(response.resultEntries!.map((e) => e.outcome.kind)).toEqual([
        "success",
        "invalid",
        "notExecuted",
      ]);
      expect(dev(1).model.hostname).toBe("CORE-2");
      expect(dev(1).model.runningConfig()).not.toMatch(/ip domain name example\.net/);
    });

    it("rollback: undoes the lines applied before the failure", async () => {
      const before = dev(2).model.runningConfig();
      const task = await ask(dev(2), {
        service: "cli-config",
        operation: "configApply",
        actionOnFail: "rollback",
        data: { kind: "block", block: "hostname EDGE-9\ninterface Bogus0/0/0\nip domain name example.net" },
      });
      expect(task.state).toBe("failed");
      expect(body(task, "cli-config").errorInfo?.message).toMatch(/rolled back/);
      expect(dev(2).model.runningConfig()).toBe(before);
    });

    it("configTest checks lines and changes nothing; configPersist saves the running config", async () => {
      const before = dev(2).model.runningConfig();
      const test = await ask(dev(2), {
        service: "cli-config",
        operation: "configTest",
        data: { kind: "commands", commands: ["hostname T1", "bogus line"] },
      });
      expect(test.state).toBe("succeeded");
      expect(
        body(test, "cli-config").resultEntries!.map((e) => [
          e.outcome.kind,
          "mode" in e.outcome ? e.outcome.mode : undefined,
        ]),
      ).toEqual([
        ["success", "TEST"],
        ["invalid", undefined],
      ]);
      expect(dev(2).model.runningConfig()).toBe(before);

      const persist = await ask(dev(2), { service: "cli-config", operation: "configPersist" });
      expect(persist.state).toBe("succeeded");
      expect(body(persist, "cli-config").resultEntries![0]!.text).toMatch(/\[OK\]/);
      expect(dev(2).model.startupConfig()).toBeDefined();
    });
  });

  it("device-info: stores the inventory the device reports", async () => {
    const task = await ask(dev(2), { service: "device-info", type: "all" });
    expect(task.state).toBe("succeeded");
    const stored = await transport.devices.get(dev(2).username);
    expect(stored?.udi).toBe(dev(2).model.udi);
    expect(stored?.deviceInfo?.imageInfo?.imageHash).toBe(dev(2).model.runningImage.md5);
  });

  it("topology: reports the CDP neighbours cabled to the device", async () => {
    connectDevices(dev(0).model, "Gi1/0/1", dev(1).model, "Gi1/0/24");
    const task = await ask(dev(0), { service: "topology" });
    expect(task.state).toBe("succeeded");
    const neighbors = body(task, "topology").neighbors;
    expect(neighbors).toHaveLength(1);
    expect(neighbors[0]).toMatchObject({
      local: { interface: "GigabitEthernet1/0/1" },
      remote: {
        interface: "GigabitEthernet1/0/24",
        deviceName: dev(1).model.hostname,
        platform: "C9300-24P",
      },
    });
  });

  it("capability: lists exactly the services the simulator answers", async () => {
    const task = await ask(dev(0), { service: "capability" });
    expect(task.state).toBe("succeeded");
    const response = body(task, "capability");
    expect(response.capabilities).toContain("cisco:pnp:image-install");
    expect(response.capabilities).toContain("cisco:pnp:tag");
    expect(response.capabilities).toContain("cisco:pnp:capabilities");
    expect(response.capabilities).toHaveLength(15);
    expect(response.features).toContain("cisco:pnp:script-inline");

    const older = await ask(noTagFleet.devices[0]!, { service: "capability" });
    expect(body(older, "capability").capabilities).toEqual([
      "cisco:pnp:device-info",
      "cisco:pnp:cli-exec",
      "cisco:pnp:capabilities",
    ]);
  });

  it("tag: sets, lists and removes server tags, all or nothing", async () => {
    const set = await ask(dev(1), {
      service: "tag",
      operation: "set",
      tags: [
        { name: "site", value: "BER-01" },
        { name: "role", value: "access" },
      ],
    });
    expect(set.state).toBe("succeeded");
    expect(body(set, "tag").tags).toEqual([
      { name: "site", value: "BER-01", owner: "server" },
      { name: "role", value: "access", owner: "server" },
    ]);
    expect(dev(1).model.tags()).toEqual([
      { name: "site", origin: "server" },
      { name: "role", origin: "server" },
    ]);

    // "net:vlan" passes the codec's name rule but not the device's (no ':'): refused whole, nothing changes.
    const bad = await ask(dev(1), {
      service: "tag",
      operation: "set",
      tags: [
        { name: "floor", value: "3" },
        { name: "net:vlan", value: "10" },
      ],
    });
    expect(bad.state).toBe("failed");
    expect(bad.result?.errorCode).toBe("PnP Service Error 3802");
    expect(body(bad, "tag").tags.map((t) => t.name)).toEqual(["site", "role"]);

    const removed = await ask(dev(1), { service: "tag", operation: "remove", names: ["site"] });
    expect(body(removed, "tag").tags).toEqual([{ name: "role", value: "access", owner: "server" }]);
    const listed = await ask(dev(1), { service: "tag", operation: "list" });
    expect(body(listed, "tag").tags).toEqual([{ name: "role", value: "access", owner: "server" }]);
  });

  it("backoff: records callbackAfter; terminate removes the PnP profile", async () => {
    expect(dev(2).model.runningConfig()).toMatch(/pnp profile pnp-zero-touch/);
    const later = await ask(dev(2), {
      service: "backoff",
      reason: "nothing to do",
      action: { kind: "callbackAfter", minutes: 5 },
    });
    expect(later.state).toBe("succeeded");
    expect(dev(2).records.backoff).toMatchObject({
      reason: "nothing to do",
      action: { kind: "callbackAfter", minutes: 5 },
    });
    expect(dev(2).model.runningConfig()).toMatch(/pnp profile pnp-zero-touch/);

    const done = await ask(dev(2), {
      service: "backoff",
      reason: "provisioned",
      action: { kind: "terminate" },
    });
    expect(done.state).toBe("succeeded");
    expect(dev(2).records.terminated).toBe(true);
    expect(dev(2).model.runningConfig()).not.toMatch(/pnp profile/);
  });

  it("redirection: acknowledges and records the new server without moving", async () => {
    const task = await ask(dev(1), {
      service: "redirection",
      primaryServer: { protocol: "https", address: { kind: "host", value: "pnp2.example.net" }, port: 8443 },
      backupServer: { protocol: "http", address: { kind: "ipv4", value: "192.0.2.10" } },
    });
    expect(task.state).toBe("succeeded");
    expect(dev(1).records.redirection?.request).toMatchObject({
      primaryServer: { protocol: "https", address: { kind: "host", value: "pnp2.example.net" }, port: 8443 },
      backupServer: { address: { value: "192.0.2.10" } },
    });
    expect((await transport.presence.get(dev(1).username))?.state).toBe("up");
  });

  it("certificate-install: records trustpool and trustpoint installs and removals", async () => {
    const pool = await ask(dev(1), {
      service: "certificate-install",
      setClock: { ntpServer: "192.0.2.123" },
      action: {
        operation: "install",
        store: "trustpool",
        source: { location: "http://192.0.2.1/ca/trustpool" },
      },
    });
    expect(pool.state).toBe("succeeded");
    const point = await ask(dev(1), {
      service: "certificate-install",
      action: {
        operation: "install",
        store: "trustpoint",
        label: "pnp-ca",
        source: { uri: "/ca/pnp-ca.pem" },
      },
    });
    expect(point.state).toBe("succeeded");
    expect(dev(1).records.certificates).toMatchObject({
      trustpool: { source: { location: "http://192.0.2.1/ca/trustpool" } },
      trustpoints: { "pnp-ca": { source: { uri: "/ca/pnp-ca.pem" } } },
      clock: { ntpServer: "192.0.2.123" },
    });
    const removed = await ask(dev(1), {
      service: "certificate-install",
      action: { operation: "uninstall", store: "trustpool" },
    });
    expect(removed.state).toBe("succeeded");
    expect(dev(1).records.certificates?.trustpool).toBeUndefined();
  });

  describe("faults", () => {
    it("a service the device does not implement is answered with a fault, recorded as a failed task", async () => {
      const task = await ask(noTagFleet.devices[0]!, { service: "tag", operation: "list" });
      expect(task.state).toBe("failed");
      expect(task.result?.errorCode).toBe("XSVC:Client");
      expect(task.result?.errorMessage).toMatch(/service tag is not supported/);
    });

    it("an unknown service and an unreadable request get faults (raw iqs from the component)", async () => {
      const device = dev(0);
      const snmp = xml(
        "pnp",
        { xmlns: NS_PNP, version: "1.0", udi: device.model.udi },
        xml(
          "request",
          { xmlns: "urn:cisco:pnp:snmp", correlator: "raw-snmp-1" },
          xml("snmp", {}, xml("rawFormat", {}, "AAAA")),
        ),
      );
      const broken = xml(
        "pnp",
        { xmlns: NS_PNP, version: "1.0" },
        xml("request", { xmlns: "urn:cisco:pnp:device-info" }),
      );
      const answers: PnpAnswer[] = [];
      const gotTwo = new Promise<void>((resolve) => {
        const onAnswer = (answer: PnpAnswer) => {
          answers.push(answer);
          if (answers.length === 2) {
            device.off("answered", onAnswer);
            resolve();
          }
        };
        device.on("answered", onAnswer);
      });
      for (const [id, pnp] of [
        ["raw-snmp", snmp],
        ["raw-broken", broken],
      ] as const) {
        await transport.connection.send(
          xml("iq", { type: "set", to: `${device.jid}/pnp`, from: config.componentDomain, id }, pnp),
        );
      }
      await gotTwo;
      const faults = answers.map((answer) => parsePnp(answer.reply));
      expect(faults.map((m) => m.kind)).toEqual(["fault", "fault"]);
      const [first, second] = faults as Extract<ReturnType<typeof parsePnp>, { kind: "fault" }>[];
      expect(first!.fault).toMatchObject({
        faultCode: "XSVC:Client",
        details: "service snmp is not supported",
      });
      expect(second!.fault.faultString).toMatch(/could not be parsed/);
    });
  });

  it("the same request delivered twice is applied once and answered twice the same", async () => {
    const device = dev(0);
    const before = device.model.scriptHistory().length;
    const answers: PnpAnswer[] = [];
    const onAnswer = (answer: PnpAnswer) => answers.push(answer);
    device.on("answered", onAnswer);
    try {
      const task = await ask(device, { service: "script", source: { inline: 'puts "hello once"' } });
      expect(task.state).toBe("succeeded");
      expect(body(task, "script").resultData).toBe("hello once");
      // Redelivery: the component sends the identical iq again (same correlator, same id).
      const redelivered = buildTaskStanza(
        task,
        `${device.jid}/pnp`,
        config.componentDomain,
        `PID:,VID:,SN:${device.username}`,
      );
      const audit = waitForEvents(
        redis,
        transport.keys.audit(),
        (e) => e.correlator === task.correlator && e.reason === "already-final",
      );
      await transport.connection.send(redelivered);
      await audit; // the second answer reached the server, which refused to finish the task twice
      expect(answers.map((a) => a.replayed)).toEqual([false, true]);
      expect(toXmlString(answers[1]!.reply)).toBe(toXmlString(answers[0]!.reply));
      expect(device.model.scriptHistory()).toHaveLength(before + 1);
      expect((await transport.tasks.get(task.correlator))?.state).toBe("succeeded");
    } finally {
      device.off("answered", onAnswer);
    }
  });

  it("a correlator re-sent by the server with a new request body still gets the first answer", async () => {
    const device = dev(1);
    const correlator = newCorrelator({ service: "cli-config" });
    const send = async (hostname: string, id: string) => {
      const pnp = buildRequest(
        { udi: device.model.udi },
        {
          service: "cli-config",
          correlator,
          operation: "configApply",
          data: { kind: "commands", commands: [`hostname ${hostname}`] },
        },
      );
      const answered = once(device, "answered") as Promise<[PnpAnswer]>;
      await transport.connection.send(
        xml("iq", { type: "set", to: `${device.jid}/pnp`, from: config.componentDomain, id }, pnp),
      );
      return (await answered)[0];
    };
    const first = await send("ONCE-A", "dup-a");
    const second = await send("ONCE-B", "dup-b");
    expect(second.replayed).toBe(true);
    expect(toXmlString(second.reply)).toBe(toXmlString(first.reply));
    expect(device.model.hostname).toBe("ONCE-A");
  });
});
