// The dispatcher: <pnp> in, <pnp> out. Faults for what it cannot read or does not answer, and one
// application per correlator (a repeat returns the first answer and plans no second reboot).

import { xml } from "@xmpp/client";
import type { Element } from "ltx";
import { describe, expect, it } from "vitest";
import type { FileFetcher } from "../../../src/agent/file-fetch.js";
import { createDevice, type DeviceModel } from "../../../src/agent/model/index.js";
import { answerPnp, createPnpHandler } from "../../../src/agent/pnp-handler.js";
import { ALL_SERVICES, type ServiceContext } from "../../../src/agent/services/index.js";
import {
  buildRequest,
  buildWorkRequest,
  NS_PNP,
  parsePnp,
  type ServiceRequest,
  toXmlString,
} from "../../../src/protocol/index.js";

function device(): DeviceModel {
  return createDevice({ pid: "C9300-24P", serial: "FOC2345X0AB", clock: () => Date.UTC(2025, 2, 4) });
}

const noFiles: FileFetcher = async () => ({ ok: false, reason: "not-found" });

function context(
  model: DeviceModel,
  services: ServiceContext["services"] = ALL_SERVICES,
  fetchFile = noFiles,
): ServiceContext {
  return { model, fetchFile, records: {}, services };
}

function request(body: ServiceRequest): Element {
  return buildRequest({ udi: "PID:,VID:,SN:foc2345x0ab" }, body);
}

function faultOf(reply: Element) {
  const message = parsePnp(reply);
  if (message.kind !== "fault") throw new Error(`expected a fault, got ${message.kind}`);
  return message.fault;
}

describe("answerPnp", () => {
  it("answers with the device's UDI in the envelope and the request's correlator", async () => {
    const model = device();
    const answer = await answerPnp(
      context(model),
      request({ service: "device-info", correlator: "C-1", type: "udi" }),
    );
    const message = parsePnp(answer.reply);
    expect(message.kind).toBe("response");
    expect(message.envelope.udi).toBe(model.udi);
    expect(message.kind === "response" && message.response).toMatchObject({
      service: "device-info",
      correlator: "C-1",
      success: true,
    });
    expect(answer).toMatchObject({
      replayed: false,
      reload: null,
      service: "device-info",
      correlator: "C-1",
    });
  });

  it("answers an unknown service with a fault", async () => {
    const pnp = xml(
      "pnp",
      { xmlns: NS_PNP, version: "1.0", udi: "PID:,VID:,SN:X" },
      xml("request", { xmlns: "urn:cisco:pnp:snmp", correlator: "C-2" }, xml("snmp")),
    );
    const answer = await answerPnp(context(device()), pnp);
    expect(faultOf(answer.reply)).toEqual({
      faultCode: "XSVC:Client",
      faultString: "An unknown XML tag has been received",
      details: "service snmp is not supported",
    });
    expect(answer).toMatchObject({ service: "snmp", correlator: "C-2", reload: null });
  });

  it("answers an unparseable request with a fault", async () => {
    const broken = xml(
      "pnp",
      { xmlns: NS_PNP, version: "1.0" },
      xml("request", { xmlns: "urn:cisco:pnp:device-info" }),
    );
    expect(faultOf((await answerPnp(context(device()), broken)).reply).faultString).toMatch(
      /could not be parsed/,
    );
    const badBody = xml(
      "pnp",
      { xmlns: NS_PNP, version: "1.0", udi: "PID:,VID:,SN:X" },
      xml("request", { xmlns: "urn:cisco:pnp:cli-exec", correlator: "C-3" }, xml("nothing")),
    );
    expect(faultOf((await answerPnp(context(device()), badBody)).reply).details).toMatch(/cli-exec|request/);
  });

  it("answers a message that is not a request (a work request) with a fault", async () => {
    const workRequest = buildWorkRequest(
      { udi: "PID:,VID:,SN:X" },
      { correlator: "W-1", deviceId: { udi: "PID:,VID:,SN:X", hostname: "Switch", authRequired: false } },
    );
    expect(faultOf((await answerPnp(context(device()), workRequest)).reply).details).toBe(
      "unsupported message kind work-request",
    );
  });

  it("answers a service left out of the agent's set with a fault (an agent without tag support)", async () => {
    const ctx = context(device(), new Set(["device-info"] as const));
    const answer = await answerPnp(ctx, request({ service: "tag", correlator: "C-4", operation: "list" }));
    expect(faultOf(answer.reply).details).toBe("service tag is not supported");
    expect(answer.correlator).toBe("C-4");
  });

  it("answers a module that throws with a server fault instead of crashing", async () => {
    const ctx = context(device(), ALL_SERVICES, async () => {
      throw new Error("disk on fire");
    });
    const answer = await answerPnp(
      ctx,
      request({
        service: "file-transfer",
        correlator: "C-5",
        source: { location: "http://x/a" },
        destination: { location: "flash:" },
      }),
    );
    expect(faultOf(answer.reply)).toMatchObject({ faultCode: "XSVC:Server", details: "disk on fire" });
  });

  it("gives a redirection without correlator an agent correlator", async () => {
    const answer = await answerPnp(
      context(device()),
      request({
        service: "redirection",
        primaryServer: { protocol: "https", address: { kind: "host", value: "pnp2" } },
      }),
    );
    const message = parsePnp(answer.reply);
    expect(message.kind === "response" && message.response.correlator).toMatch(/^CiscoPnP-1\.0-/);
  });
});

describe("one application per correlator", () => {
  it("the same correlator twice applies once and returns the same answer", async () => {
    const model = device();
    const ctx = context(model);
    const body: ServiceRequest = {
      service: "script",
      correlator: "DUP-1",
      source: { inline: 'puts "once"' },
    };
    const first = await answerPnp(ctx, request(body));
    const second = await answerPnp(ctx, request(body));
    expect(first.replayed).toBe(false);
    expect(second.replayed).toBe(true);
    expect(toXmlString(second.reply)).toBe(toXmlString(first.reply));
    expect(model.scriptHistory()).toHaveLength(1);
  });

  it("a repeat with a different body still gets the first answer and changes nothing", async () => {
    const model = device();
    const ctx = context(model);
    const apply = (hostname: string): ServiceRequest => ({
      service: "cli-config",
      correlator: "DUP-2",
      operation: "configApply",
      data: { kind: "commands", commands: [`hostname ${hostname}`] },
    });
    const first = await answerPnp(ctx, request(apply("FIRST")));
    const second = await answerPnp(ctx, request(apply("SECOND")));
    expect(toXmlString(second.reply)).toBe(toXmlString(first.reply));
    expect(model.hostname).toBe("FIRST");
  });

  it("a repeated reload request plans the reboot only the first time", async () => {
    const ctx = context(device());
    const body: ServiceRequest = { service: "reload", correlator: "DUP-3", delayIn: 5 };
    const first = await answerPnp(ctx, request(body));
    const second = await answerPnp(ctx, request(body));
    expect(first.reload).toMatchObject({ delaySeconds: 5 });
    expect(second.reload).toBeNull();
    expect(toXmlString(second.reply)).toBe(toXmlString(first.reply));
  });

  it("two deliveries in flight at once share one run", async () => {
    const model = device();
    let downloads = 0;
    const config = "hostname PARALLEL\n";
    const fetchFile: FileFetcher = async () => {
      downloads++;
      await new Promise((resolve) => setImmediate(resolve));
      return { ok: true, size: config.length, md5: "", content: config };
    };
    const ctx = context(model, ALL_SERVICES, fetchFile);
    const body: ServiceRequest = {
      service: "config-upgrade",
      correlator: "DUP-4",
      source: { location: "http://x/c.cfg" },
      applyTo: "running",
      reload: { kind: "noReload" },
    };
    const [a, b] = await Promise.all([answerPnp(ctx, request(body)), answerPnp(ctx, request(body))]);
    expect(downloads).toBe(1);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(toXmlString(a.reply)).toBe(toXmlString(b.reply));
    expect(model.hostname).toBe("PARALLEL");
  });

  it("createPnpHandler keeps the first version's API", async () => {
    const handle = createPnpHandler(device(), { fetchFile: noFiles });
    const reply = await handle(request({ service: "capability", correlator: "C-9" }));
    const message = parsePnp(reply);
    expect(message.kind === "response" && message.response.service).toBe("capability");
  });
});
