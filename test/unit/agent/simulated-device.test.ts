// The reboot cycle of SimulatedDevice without a network: the XMPP session's start/stop/restart are
// stand-ins, and the "reply written" signal is the xmpp.js "send" event, emitted here by hand.

import { once } from "node:events";
import { xml } from "@xmpp/client";
import type { Element } from "ltx";
import { describe, expect, it, vi } from "vitest";
import type { FileFetcher } from "../../../src/agent/file-fetch.js";
import { createDevice, type ReloadResult } from "../../../src/agent/model/index.js";
import {
  createSimulatorShared,
  SimulatedDevice,
  type SimulatorOptions,
} from "../../../src/agent/simulated-device.js";
import { buildRequest, parsePnp, type ServiceRequest } from "../../../src/protocol/index.js";

function simulated(options: SimulatorOptions = {}) {
  const model = createDevice({ pid: "C9300-24P", serial: "FOC2345X0AB" });
  const device = new SimulatedDevice({
    model,
    service: "xmpp://127.0.0.1:1",
    domain: "pnp.test",
    username: "foc2345x0ab",
    password: "secret",
    serverJid: "pnpserver.pnp.test",
    reconnect: false,
    shared: createSimulatorShared({ delayMsPerSecond: 1, bootTimeMs: 5, replyTimeoutMs: 2000, ...options }),
  });
  const calls: string[] = [];
  const agent = device.agent;
  agent.start = vi.fn(async () => void calls.push("start"));
  agent.stop = vi.fn(async () => {
    calls.push(`stop online=${model.online}`);
  });
  agent.restart = vi.fn(async () => {
    calls.push(`restart online=${model.online} reloads=${model.reloadCount}`);
  });
  /** What xmpp.js does once the iq result holding `reply` is written. */
  const written = (reply: Element) => {
    calls.push("reply written");
    (agent.xmpp as unknown as { emit(event: string, stanza: Element): void }).emit(
      "send",
      xml("iq", { type: "result", id: "x" }, reply),
    );
  };
  return { device, model, calls, written };
}

function request(body: ServiceRequest): Element {
  return buildRequest({ udi: "PID:,VID:,SN:foc2345x0ab" }, body);
}

describe("SimulatedDevice reboot cycle", () => {
  it("sends the answer first, then goes offline, waits, reloads and logs in again", async () => {
    const { device, model, calls, written } = simulated();
    model.applyConfig(["hostname BEFORE-SAVE"]);
    const events: string[] = [];
    device.on("reloading", () => events.push("reloading"));
    const back = once(device, "back") as Promise<[ReloadResult]>;

    const reply = await device.handle(
      request({ service: "reload", correlator: "R-1", delayIn: 2, saveConfig: true }),
    );
    const message = parsePnp(reply);
    expect(message.kind === "response" && message.response.success).toBe(true);
    expect(device.isReloading).toBe(true);
    expect(events).toEqual([]); // nothing happens before the reply is on the wire
    written(reply);

    const [result] = await back;
    expect(result).toMatchObject({ success: true, reloadCount: 1, configSource: "startup-config" });
    expect(calls).toEqual(["reply written", "stop online=false", "restart online=true reloads=1"]);
    expect(events).toEqual(["reloading"]);
    expect(model.online).toBe(true);
    expect(model.hostname).toBe("BEFORE-SAVE");
    await device.settled();
    expect(device.isReloading).toBe(false);
  });

  it("reboots after the reply timeout when the write is never seen", async () => {
    const { device, model } = simulated({ replyTimeoutMs: 10 });
    const back = once(device, "back");
    await device.handle(request({ service: "reload", correlator: "R-2" }));
    await back;
    expect(model.reloadCount).toBe(1);
  });

  it("a replayed correlator answers again without a second reboot", async () => {
    const { device, model, written } = simulated();
    const body: ServiceRequest = { service: "reload", correlator: "R-3", delayIn: 1 };
    const reply = await device.handle(request(body));
    written(reply);
    await once(device, "back");
    const again = await device.handle(request(body));
    expect(device.isReloading).toBe(false);
    expect(parsePnp(again)).toEqual(parsePnp(reply));
    expect(model.reloadCount).toBe(1);
  });

  it("boots into an image installed with reload", async () => {
    const fetchFile: FileFetcher = async () => ({
      ok: true,
      size: 1000,
      md5: "00112233445566778899aabbccddeeff",
    });
    const { device, model, written } = simulated({ fetchFile });
    const reply = await device.handle(
      request({
        service: "image-install",
        correlator: "I-1",
        source: { location: "http://files.test/cat9k_iosxe.17.12.04.SPA.bin" },
        checksum: "00112233445566778899aabbccddeeff",
        reload: { kind: "reload", delayIn: 1 },
      }),
    );
    written(reply);
    await once(device, "back");
    expect(model.runningImage).toMatchObject({ version: "17.12.4", md5: "00112233445566778899aabbccddeeff" });
  });

  it("stop() during the boot delay cancels the reboot: no reload, no login", async () => {
    const { device, model, calls, written } = simulated({ bootTimeMs: 60_000 });
    const reloading = once(device, "reloading");
    const reply = await device.handle(request({ service: "reload", correlator: "R-4" }));
    written(reply);
    await reloading;
    const started = Date.now();
    await device.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(model.reloadCount).toBe(0);
    expect(calls.some((c) => c.startsWith("restart"))).toBe(false);
    expect(device.isReloading).toBe(false);
  });

  it("reports a failed login after the reboot as reload-error", async () => {
    const { device, written } = simulated();
    device.agent.restart = vi.fn(async () => {
      throw new Error("connection refused");
    });
    const failed = once(device, "reload-error") as Promise<[Error]>;
    written(await device.handle(request({ service: "reload", correlator: "R-5" })));
    const [err] = await failed;
    expect(err.message).toBe("connection refused");
  });

  it("emits every answer, and answers without reboot for other services", async () => {
    const { device } = simulated();
    const answered = once(device, "answered");
    await device.handle(request({ service: "device-info", correlator: "D-1", type: "udi" }));
    const [answer] = await answered;
    expect(answer).toMatchObject({ service: "device-info", replayed: false, reload: null });
    expect(device.isReloading).toBe(false);
  });
});

describe("createSimulatorShared", () => {
  it("refuses a service the simulator does not implement and keeps the given set", () => {
    expect(() => createSimulatorShared({ services: ["snmp" as never] })).toThrow(/does not implement snmp/);
    const shared = createSimulatorShared({ services: ["device-info"] });
    expect([...shared.services]).toEqual(["device-info"]);
    expect(Object.isFrozen(shared)).toBe(true);
  });
});
