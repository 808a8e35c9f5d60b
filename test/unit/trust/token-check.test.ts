// The agent side: fetch over an iq (a stand-in requester here), verify, and refuse requests with a fault
// naming the reason while verification has failed. The XMPP round trip itself is in the integration test.

import { EventEmitter } from "node:events";
import { xml } from "@xmpp/client";
import type { Element } from "ltx";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createDevice } from "../../../src/agent/model/index.js";
import { createSimulatorShared, SimulatedDevice } from "../../../src/agent/simulated-device.js";
import {
  prepareTokenTrust,
  ServerTokenGate,
  type TokenCheckOptions,
  type TokenCheckResult,
  type TokenRequester,
} from "../../../src/agent/token-check.js";
import { buildRequest, parsePnp } from "../../../src/protocol/index.js";
import { createRootCa, type IssuedCertificate } from "../../../src/trust/ca.js";
import { createTokenSigningCertificate } from "../../../src/trust/signing-authority.js";
import { signRevocationList, signToken, TOKEN_XMPP_NS, type TokenSigner } from "../../../src/trust/token.js";

const DAY = 86_400_000;
const SERVER = "pnpserver.pnp.test";
const UDI = "PID:C9300-24P,VID:V01,SN:FOC2345X0AB";

let root: IssuedCertificate;
let signer: TokenSigner;
let stranger: TokenSigner;
let options: TokenCheckOptions;

beforeAll(() => {
  root = createRootCa({ commonName: "Agent Test Root", validityDays: 30 });
  const cert = createTokenSigningCertificate(root, { commonName: "Agent Test Signer", validityDays: 20 });
  signer = { cert: cert.cert, key: cert.key, intermediates: [] };
  const otherRoot = createRootCa({ commonName: "Stranger Root", validityDays: 30 });
  const other = createTokenSigningCertificate(otherRoot, {
    commonName: "Agent Test Signer",
    validityDays: 20,
  });
  stranger = { cert: other.cert, key: other.key, intermediates: [] };
  options = { trustAnchorPem: root.certPem, deploymentId: "dep-a" };
});

function token(overrides: Partial<Parameters<typeof signToken>[1]> = {}, by: TokenSigner = signer): string {
  return signToken(by, {
    deployment: "dep-a",
    serverJid: SERVER,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + DAY),
    ...overrides,
  }).jws;
}

function result(jws: string, extra: { from?: string; revocations?: string } = {}): Element {
  const child = xml("token", { xmlns: TOKEN_XMPP_NS }, xml("jws", {}, jws));
  if (extra.revocations) child.append(xml("revocations", {}, extra.revocations));
  return xml("iq", { type: "result", from: extra.from ?? SERVER, id: "t1" }, child) as unknown as Element;
}

function gateWith(request: TokenRequester, opts: TokenCheckOptions = options) {
  const sent: Element[] = [];
  const gate = new ServerTokenGate(prepareTokenTrust(opts), {
    serverJid: SERVER,
    udi: () => UDI,
    request: (iq, timeoutMs) => {
      sent.push(iq);
      return request(iq, timeoutMs);
    },
  });
  return { gate, sent };
}

async function faultOf(gate: ServerTokenGate) {
  const refusal = await gate.refusal();
  if (!refusal) throw new Error("expected a refusal");
  const message = parsePnp(refusal);
  if (message.kind !== "fault") throw new Error(`expected a fault, got ${message.kind}`);
  return message.fault;
}

describe("ServerTokenGate", () => {
  it("asks the server JID with <token xmlns udi/>, and answers requests once the token verifies", async () => {
    const { gate, sent } = gateWith(async () => result(token()));
    const verdicts: TokenCheckResult[] = [];
    gate.on("verdict", (v: TokenCheckResult) => verdicts.push(v));
    expect(await gate.refusal()).toBeUndefined();
    expect(sent).toHaveLength(1);
    const iq = sent[0]!;
    expect(iq.attrs).toMatchObject({ type: "get", to: SERVER });
    expect(iq.getChild("token", TOKEN_XMPP_NS)?.attrs.udi).toBe(UDI);
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatchObject({ ok: true, claims: { deployment: "dep-a" } });
    // Once per session: later requests reuse the verdict.
    expect(await gate.refusal()).toBeUndefined();
    expect(sent).toHaveLength(1);
  });

  it("refuses with a fault naming the reason: expired", async () => {
    const jws = token({ notBefore: new Date(Date.now() - 3 * DAY), notAfter: new Date(Date.now() - DAY) });
    const { gate } = gateWith(async () => result(jws));
    const fault = await faultOf(gate);
    expect(fault.faultCode).toBe("XSVC:Client");
    expect(fault.faultString).toBe("server token expired");
    expect(fault.details).toMatch(/^expired: expired at /);
  });

  it("refuses tokens of a stranger's root, another server, and another deployment", async () => {
    const cases: [string, string][] = [
      [token({}, stranger), "server token signer not trusted"],
      [token({ serverJid: "pnpserver.elsewhere.test" }), "server token bound to another server"],
      [token({ deployment: "dep-b" }), "server token from another deployment"],
      [token({ udis: ["PID:C9300-24P,VID:,SN:FOC0000X000"] }), "server token does not cover this device"],
    ];
    for (const [jws, text] of cases) {
      const { gate } = gateWith(async () => result(jws));
      expect((await faultOf(gate)).faultString).toBe(text);
    }
  });

  it("refuses when the server has no token (item-not-found) or the request fails", async () => {
    const notFound = gateWith(async () => {
      throw Object.assign(new Error("item-not-found"), { condition: "item-not-found", text: "none here" });
    });
    const fault = await faultOf(notFound.gate);
    expect(fault.faultString).toBe("server has no token");
    expect(fault.details).toMatch(/no-token: .*item-not-found \(none here\)/);
    const timeout = gateWith(async () => {
      throw new Error("timeout");
    });
    expect((await faultOf(timeout.gate)).faultString).toBe("server token request failed");
  });

  it("refuses an answer that is not from the server JID or holds no token", async () => {
    const spoofed = gateWith(async () => result(token(), { from: "someone@pnp.test/x" }));
    expect((await faultOf(spoofed.gate)).faultString).toBe("server token answer malformed");
    const empty = gateWith(async () => xml("iq", { type: "result", from: SERVER }) as unknown as Element);
    expect((await faultOf(empty.gate)).faultString).toBe("server token answer malformed");
  });

  it("holds requests while the check is in flight, then answers by its verdict", async () => {
    let answer: (iq: Element) => void = () => undefined;
    const { gate } = gateWith(() => new Promise<Element>((resolve) => (answer = resolve)));
    let settled = false;
    const pending = gate.refusal().then((r) => {
      settled = true;
      return r;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    answer(result(token({ deployment: "dep-b" })));
    expect(parsePnp((await pending)!)).toMatchObject({
      kind: "fault",
      fault: { faultString: "server token from another deployment" },
    });
  });

  it("revokes by a verified revocation list the server hands out, and ignores a forged one", async () => {
    const jws = token({ id: "tok-1" });
    const list = signRevocationList(signer, { deployment: "dep-a", revoked: [{ jti: "tok-1", at: 1 }] }).jws;
    const revoked = gateWith(async () => result(jws, { revocations: list }));
    expect((await faultOf(revoked.gate)).faultString).toBe("server token revoked");
    const forged = signRevocationList(stranger, {
      deployment: "dep-a",
      revoked: [{ jti: "tok-1", at: 1 }],
    }).jws;
    const ignored = gateWith(async () => result(jws, { revocations: forged }));
    expect(await ignored.gate.refusal()).toBeUndefined();
  });

  it("revokes by ids and signed lists given in its configuration; refuses a bad configured list", async () => {
    const jws = token({ id: "tok-2" });
    const byId = gateWith(async () => result(jws), { ...options, revokedIds: ["tok-2"] });
    expect((await faultOf(byId.gate)).faultString).toBe("server token revoked");
    const list = signRevocationList(signer, { deployment: "dep-a", revoked: [{ jti: "tok-2", at: 1 }] }).jws;
    const byList = gateWith(async () => result(jws), { ...options, revocationLists: [list] });
    expect((await faultOf(byList.gate)).faultString).toBe("server token revoked");
    const forged = signRevocationList(stranger, { deployment: "dep-a", revoked: [] }).jws;
    expect(() => prepareTokenTrust({ ...options, revocationLists: [forged] })).toThrow(/not trusted/);
    expect(() => prepareTokenTrust({ ...options, trustAnchorPem: "nothing" })).toThrow(/no certificate/);
  });

  it("checks again after each login and forgets the verdict when the session ends", async () => {
    const answers = [token({ deployment: "dep-b" }), token()];
    const { gate, sent } = gateWith(async () => result(answers.shift()!));
    const agent = new EventEmitter();
    gate.attach(agent);
    const first = new Promise<TokenCheckResult>((resolve) => gate.once("verdict", resolve));
    agent.emit("online");
    expect((await first).ok).toBe(false);
    expect(gate.last?.ok).toBe(false);
    agent.emit("disconnect");
    const second = new Promise<TokenCheckResult>((resolve) => gate.once("verdict", resolve));
    agent.emit("online");
    expect((await second).ok).toBe(true);
    expect(await gate.refusal()).toBeUndefined();
    expect(sent).toHaveLength(2);
  });
});

describe("SimulatedDevice with a trust anchor", () => {
  function device(jws: string) {
    const model = createDevice({ pid: "C9300-24P", serial: "FOC2345X0AB" });
    const sim = new SimulatedDevice({
      model,
      service: "xmpp://127.0.0.1:1",
      domain: "pnp.test",
      username: "foc2345x0ab",
      password: "secret",
      serverJid: SERVER,
      reconnect: false,
      shared: createSimulatorShared({ token: options }),
    });
    const request = vi.fn(async () => result(jws));
    (sim.agent.xmpp.iqCaller as unknown as { request: typeof request }).request = request;
    return { sim, request };
  }
  const ask = (service: "device-info" | "cli-exec") =>
    buildRequest(
      { udi: UDI },
      service === "device-info"
        ? { service: "device-info", correlator: `c-${Math.random()}`, type: "all" }
        : {
            service: "cli-exec",
            correlator: `c-${Math.random()}`,
            operation: "execCLI",
            command: "show version",
          },
    );

  it("refuses every service request with the reason while the token fails", async () => {
    const { sim } = device(
      token({ notBefore: new Date(Date.now() - 3 * DAY), notAfter: new Date(Date.now() - DAY) }),
    );
    const answered: unknown[] = [];
    sim.on("answered", (a) => answered.push(a));
    for (const service of ["device-info", "cli-exec"] as const) {
      const reply = parsePnp(await sim.handle(ask(service)));
      expect(reply).toMatchObject({ kind: "fault", fault: { faultString: "server token expired" } });
    }
    expect(answered).toHaveLength(2);
  });

  it("answers normally once the token verifies", async () => {
    const { sim, request } = device(token());
    const reply = parsePnp(await sim.handle(ask("device-info")));
    expect(reply).toMatchObject({ kind: "response", response: { service: "device-info", success: true } });
    expect(request).toHaveBeenCalledTimes(1);
    expect(sim.tokenGate?.last?.ok).toBe(true);
  });

  it("has no gate (and answers without asking) when no trust anchor is given", async () => {
    const sim = new SimulatedDevice({
      model: createDevice({ pid: "C9300-24P", serial: "FOC2345X0AC" }),
      service: "xmpp://127.0.0.1:1",
      domain: "pnp.test",
      username: "foc2345x0ac",
      password: "secret",
      serverJid: SERVER,
      reconnect: false,
      shared: createSimulatorShared(),
    });
    expect(sim.tokenGate).toBeUndefined();
    expect(parsePnp(await sim.handle(ask("device-info"))).kind).toBe("response");
  });
});
