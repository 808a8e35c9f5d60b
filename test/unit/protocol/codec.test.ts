// Message-level behaviour: dispatch, structural errors, lenient reading, and strict building.

import xml from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import * as protocol from "../../../src/protocol/index.js";
import {
  buildBye,
  buildFault,
  buildRequest,
  buildResponse,
  buildWorkRequest,
  type Envelope,
  errorCodeNumber,
  NS_PNP,
  type PnpErrorCode,
  PnpProtocolError,
  parsePnp,
  pnpErrorCode,
  SERVICE_NAMES,
  type ServiceRequest,
  type ServiceResponse,
  serializePnp,
  toXmlString,
} from "../../../src/protocol/index.js";

const UDI = "PID:C9300-24P,VID:V02,SN:FOC2233X0AB";
const envelope: Envelope = { udi: UDI };
const OPEN = `<pnp xmlns="urn:cisco:pnp" version="1.0" udi="${UDI}">`;

function expectCode(action: () => unknown, code: PnpErrorCode, messagePart?: string): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(PnpProtocolError);
  const error = caught as PnpProtocolError;
  expect(error.code).toBe(code);
  if (messagePart !== undefined) expect(error.message).toContain(messagePart);
}

function request(body: string, service = "backoff", attributes = ' correlator="c-1"'): string {
  return `${OPEN}<request xmlns="urn:cisco:pnp:${service}"${attributes}>${body}</request></pnp>`;
}

describe("dispatch", () => {
  it("dispatches on namespace URI and local name, whatever the prefixes", () => {
    const text =
      `<x:pnp xmlns:x="urn:cisco:pnp" version="1.0" udi="${UDI}">` +
      `<b:request xmlns:b="urn:cisco:pnp:backoff" correlator="c-9"><b:backoff><b:reason>r</b:reason>` +
      "<b:terminate/></b:backoff></b:request></x:pnp>";
    expect(parsePnp(text)).toEqual({
      kind: "request",
      envelope: { udi: UDI, version: "1.0" },
      request: { service: "backoff", correlator: "c-9", reason: "r", action: { kind: "terminate" } },
    });
  });

  it("does not accept a known local name in the wrong namespace", () => {
    // <backoff> here is in the default (pnp) namespace, not urn:cisco:pnp:backoff.
    const text = `${OPEN}<b:request xmlns:b="urn:cisco:pnp:backoff" correlator="c"><backoff/></b:request></pnp>`;
    expectCode(() => parsePnp(text), "PNP_MSG_INVALID", "pnp/request/backoff: element is missing");
  });

  it("returns kind unknown for a service it does not implement, so the caller can answer with a fault", () => {
    const text = request("<deviceAuth/>", "device-auth");
    expect(parsePnp(text)).toEqual({
      kind: "unknown",
      envelope: { udi: UDI, version: "1.0" },
      namespace: "urn:cisco:pnp:device-auth",
      service: "device-auth",
      element: "request",
      correlator: "c-1",
    });
  });

  it("returns kind unknown for a foreign namespace and for syslog's notification request", () => {
    const foreign = parsePnp(`${OPEN}<thing xmlns="urn:example:other"/></pnp>`);
    expect(foreign).toMatchObject({ kind: "unknown", namespace: "urn:example:other", service: undefined });
    const syslog = parsePnp(request("<notification/>", "syslog"));
    expect(syslog).toMatchObject({ kind: "unknown", service: "syslog", element: "request" });
  });

  it("takes an Element from the XMPP stack, detached or still inside its iq", () => {
    const pnp = buildRequest(envelope, { service: "device-info", correlator: "c-5", type: "hardware" });
    expect(parsePnp(pnp)).toMatchObject({
      kind: "request",
      request: { service: "device-info", type: "hardware" },
    });
    const iq = xml("iq", { type: "set", xmlns: "jabber:component:accept" }, pnp);
    const inside = iq.getChild("pnp", NS_PNP);
    if (inside === undefined) throw new Error("no pnp child");
    expect(parsePnp(inside)).toMatchObject({ kind: "request", request: { correlator: "c-5" } });
  });

  it("reads a fault, which has neither correlator nor success", () => {
    const fault = parsePnp(
      `${OPEN}<response xmlns="urn:cisco:pnp:fault"><fault><faultcode>XSVC:Client</faultcode>` +
        "<faultstring>bad</faultstring></fault></response></pnp>",
    );
    expect(fault).toEqual({
      kind: "fault",
      envelope: { udi: UDI, version: "1.0" },
      fault: { faultCode: "XSVC:Client", faultString: "bad" },
    });
  });

  it("reads fault details whose prefix was never declared, by local name", () => {
    const fault = parsePnp(
      `${OPEN}<response xmlns="urn:cisco:pnp:fault"><fault><faultcode>XSVC:Client</faultcode>` +
        "<faultstring>bad</faultstring><detail><XSVC-ERR:error><XSVC-ERR:details>cli</XSVC-ERR:details>" +
        "</XSVC-ERR:error></detail></fault></response></pnp>",
    );
    expect(fault).toMatchObject({ kind: "fault", fault: { details: "cli" } });
  });

  it("reads a syslog event", () => {
    const event = parsePnp(
      `${OPEN}<event xmlns="urn:cisco:pnp:syslog"><msg><rawFormat>a</rawFormat></msg><msg><rawFormat>b</rawFormat></msg></event></pnp>`,
    );
    expect(event).toMatchObject({ kind: "syslog-event", event: { messages: ["a", "b"] } });
  });

  it("reads the envelope's session id and credentials", () => {
    const text = `<pnp xmlns="urn:cisco:pnp" version="1.0" udi="${UDI}" sid="9" usr="u" pwd="p"><request xmlns="urn:cisco:pnp:topology" correlator="c"/></pnp>`;
    expect(parsePnp(text).envelope).toEqual({
      udi: UDI,
      version: "1.0",
      sid: "9",
      credentials: { usr: "u", pwd: "p" },
    });
  });
});

describe("structurally invalid messages", () => {
  it("rejects a root that is not pnp in urn:cisco:pnp", () => {
    expectCode(() => parsePnp(`<pnp version="1.0" udi="${UDI}"/>`), "PNP_MSG_INVALID", "no namespace");
    expectCode(
      () => parsePnp('<pnp xmlns="urn:cisco:pnp:backoff" udi="x"/>'),
      "PNP_MSG_INVALID",
      "urn:cisco:pnp:backoff",
    );
    expectCode(() => parsePnp('<iq xmlns="urn:cisco:pnp"/>'), "PNP_MSG_INVALID", "got iq");
  });

  it("rejects a pnp without udi", () => {
    expectCode(
      () =>
        parsePnp(
          '<pnp xmlns="urn:cisco:pnp" version="1.0"><request xmlns="urn:cisco:pnp:topology" correlator="c"/></pnp>',
        ),
      "PNP_MSG_INVALID",
      "pnp@udi",
    );
  });

  it("rejects a pnp with no child or with two children", () => {
    expectCode(() => parsePnp(`${OPEN}</pnp>`), "PNP_MSG_INVALID", "exactly one child element, found 0");
    expectCode(
      () =>
        parsePnp(
          `${OPEN}<request xmlns="urn:cisco:pnp:topology" correlator="c"/><request xmlns="urn:cisco:pnp:topology" correlator="d"/></pnp>`,
        ),
      "PNP_MSG_INVALID",
      "found 2",
    );
  });

  it("rejects a response without correlator, naming the attribute", () => {
    expectCode(
      () => parsePnp(`${OPEN}<response xmlns="urn:cisco:pnp:backoff" success="1"/></pnp>`),
      "PNP_MSG_INVALID",
      "pnp/response@correlator",
    );
  });

  it("rejects success values other than 1 and 0", () => {
    for (const value of ["true", "false", "yes", "2", ""]) {
      expectCode(
        () =>
          parsePnp(
            `${OPEN}<response xmlns="urn:cisco:pnp:backoff" correlator="c" success="${value}"/></pnp>`,
          ),
        "PNP_MSG_INVALID",
        "pnp/response@success",
      );
    }
    expectCode(
      () => parsePnp(`${OPEN}<response xmlns="urn:cisco:pnp:backoff" correlator="c"/></pnp>`),
      "PNP_MSG_INVALID",
      "attribute is missing",
    );
  });

  it("requires the request correlator, except on redirection and certificate-install", () => {
    expectCode(
      () => parsePnp(request("<backoff><reason>r</reason><terminate/></backoff>", "backoff", "")),
      "PNP_MSG_INVALID",
      "@correlator",
    );
    const redirection = parsePnp(
      request(
        "<redirection><primary-server><protocol>https</protocol><server-address><host>h</host></server-address></primary-server></redirection>",
        "redirection",
        "",
      ),
    );
    expect(redirection).toMatchObject({ kind: "request", request: { service: "redirection" } });
    if (redirection.kind === "request") expect("correlator" in redirection.request).toBe(false);
  });

  it("requires a correlator on work requests and byes", () => {
    expectCode(
      () => parsePnp(`${OPEN}<info xmlns="urn:cisco:pnp:work-info"><workInfo><bye/></workInfo></info></pnp>`),
      "PNP_MSG_INVALID",
      "pnp/info@correlator",
    );
    expectCode(
      () => parsePnp(`${OPEN}<info xmlns="urn:cisco:pnp:work-info" correlator="c"/></pnp>`),
      "PNP_MSG_INVALID",
      "neither deviceId",
    );
  });

  it("rejects mutually exclusive backoff actions", () => {
    expectCode(
      () =>
        parsePnp(
          request("<backoff><reason>r</reason><terminate/><defaultMinutes>5</defaultMinutes></backoff>"),
        ),
      "PNP_MSG_INVALID",
      "mutually exclusive",
    );
    expectCode(
      () => parsePnp(request("<backoff><reason>r</reason></backoff>")),
      "PNP_MSG_INVALID",
      "expected one of",
    );
  });

  it("rejects a non-integer where the wire format has one, naming the element", () => {
    expectCode(
      () => parsePnp(request("<backoff><reason>r</reason><defaultMinutes>soon</defaultMinutes></backoff>")),
      "PNP_MSG_INVALID",
      "pnp/request/backoff/defaultMinutes",
    );
    expectCode(
      () =>
        parsePnp(
          `${OPEN}<response xmlns="urn:cisco:pnp:device-info" correlator="c" success="1"><fileSystemList>` +
            '<fileSystem name="flash" type="disk" size="big" freespace="1" readable="true" writable="true"/>' +
            "</fileSystemList></response></pnp>",
        ),
      "PNP_MSG_INVALID",
      "fileSystem@size",
    );
  });

  it("rejects an unsupported cli-config operation such as configExt", () => {
    expectCode(
      () =>
        parsePnp(
          request(
            '<configExt type="json" dst="AP"><config-ext-data>{}</config-ext-data></configExt>',
            "cli-config",
          ),
        ),
      "PNP_MSG_INVALID",
      "configApply, configTest, configPersist",
    );
  });
});

describe("lenient reading", () => {
  it("ignores unknown elements and attributes in a body", () => {
    const message = parsePnp(
      request(
        '<backoff future="1"><hint>x</hint><reason>r</reason><callbackAfter><minutes>5</minutes><millis>3</millis></callbackAfter></backoff><trailer/>',
      ),
    );
    expect(message).toMatchObject({
      request: { reason: "r", action: { kind: "callbackAfter", minutes: 5 } },
    });
  });

  it("accepts an upper-case device-info type (DNA Center asks for ALL)", () => {
    expect(parsePnp(request('<deviceInfo type="ALL"/>', "device-info"))).toMatchObject({
      request: { type: "all" },
    });
  });

  it("accepts script's sample spellings resultFile and argument", () => {
    const message = parsePnp(
      request(
        '<script resultFile="r.txt" stype="tcl"><copy><source><uri>/s.tcl</uri></source></copy><argument>-x</argument></script>',
        "script",
      ),
    );
    expect(message).toMatchObject({
      request: { resultFile: "r.txt", arguments: "-x", source: { uri: "/s.tcl" } },
    });
  });

  it("accepts image-install without reload or noReload (IANZ sends neither)", () => {
    const message = parsePnp(
      request(
        "<image><copy><source><location>http://s/i.bin</location></source></copy></image>",
        "image-install",
      ),
    );
    expect(message).toEqual({
      kind: "request",
      envelope: { udi: UDI, version: "1.0" },
      request: { service: "image-install", correlator: "c-1", source: { location: "http://s/i.bin" } },
    });
  });

  it("accepts a device-info response with missing boardId and missing required imageInfo parts", () => {
    const message = parsePnp(
      `${OPEN}<response xmlns="urn:cisco:pnp:device-info" correlator="c" success="1"><imageInfo><versionString>17.9</versionString></imageInfo>` +
        "<hardwareInfo><hostname>sw</hostname></hardwareInfo></response></pnp>",
    );
    if (message.kind !== "response" || message.response.service !== "device-info")
      throw new Error(message.kind);
    expect(message.response.deviceInfo.hardwareInfo).toEqual({ hostname: "sw" });
    expect(message.response.deviceInfo.imageInfo?.versionString).toBe("17.9");
    expect(message.response.deviceInfo.imageInfo?.configReg).toBe("");
  });

  it("keeps CLI output whitespace exactly", () => {
    const message = parsePnp(
      `${OPEN}<response xmlns="urn:cisco:pnp:cli-config" correlator="c" success="1"><resultEntry lineNumber="1">` +
        "<success/><text>  indented\n\ttabbed  </text></resultEntry></response></pnp>",
    );
    expect(message).toMatchObject({ response: { resultEntries: [{ text: "  indented\n\ttabbed  " }] } });
  });
});

describe("strict building", () => {
  const backoff = (
    action: Extract<ServiceRequest, { service: "backoff" }>["action"],
    reason = "r",
  ): ServiceRequest => ({
    service: "backoff",
    correlator: "c",
    reason,
    action,
  });

  it("checks backoff ranges and requires a reason", () => {
    expectCode(
      () => buildRequest(envelope, backoff({ kind: "callbackAfter", hours: 48 })),
      "PNP_BUILD_INVALID",
      "0 to 47",
    );
    expectCode(
      () => buildRequest(envelope, backoff({ kind: "callbackAfter", minutes: 60 })),
      "PNP_BUILD_INVALID",
      "0 to 59",
    );
    expectCode(
      () => buildRequest(envelope, backoff({ kind: "callbackAfter", seconds: 1.5 })),
      "PNP_BUILD_INVALID",
    );
    expectCode(
      () => buildRequest(envelope, backoff({ kind: "defaultMinutes", minutes: 0 })),
      "PNP_BUILD_INVALID",
      "1 to 2880",
    );
    expectCode(
      () => buildRequest(envelope, backoff({ kind: "defaultMinutes", minutes: 2881 })),
      "PNP_BUILD_INVALID",
    );
    expectCode(
      () => buildRequest(envelope, backoff({ kind: "terminate" }, " ")),
      "PNP_BUILD_INVALID",
      "backoff.reason",
    );
    expect(toXmlString(buildRequest(envelope, backoff({ kind: "callbackAfter" })))).toContain(
      "<backoff><reason>r</reason><callbackAfter/></backoff>",
    );
    expect(
      toXmlString(
        buildRequest(envelope, backoff({ kind: "callbackAfter", hours: 47, minutes: 59, seconds: 59 })),
      ),
    ).toContain("<hours>47</hours><minutes>59</minutes><seconds>59</seconds>");
  });

  it("writes usr and pwd only when credentials are given", () => {
    const plain = toXmlString(buildRequest(envelope, { service: "topology", correlator: "c" }));
    expect(plain).not.toContain("usr=");
    expect(plain).not.toContain("pwd=");
    const withCredentials = toXmlString(
      buildRequest(
        { ...envelope, credentials: { usr: "admin", pwd: "pw" } },
        { service: "topology", correlator: "c" },
      ),
    );
    expect(withCredentials).toContain('usr="admin" pwd="pw"');
    expectCode(
      () =>
        buildRequest(
          { ...envelope, credentials: { usr: "", pwd: "pw" } },
          { service: "topology", correlator: "c" },
        ),
      "PNP_BUILD_INVALID",
      "usr",
    );
  });

  it("allows noCheckTime and postReloadPriv only on cli-config, config-upgrade and image-install", () => {
    expectCode(
      () => buildRequest({ ...envelope, noCheckTime: 5 }, { service: "topology", correlator: "c" }),
      "PNP_BUILD_INVALID",
      "noCheckTime",
    );
    expectCode(
      () =>
        buildRequest(
          { ...envelope, noCheckTime: 181 },
          { service: "cli-config", correlator: "c", operation: "configPersist" },
        ),
      "PNP_BUILD_INVALID",
      "1 to 180",
    );
    expect(
      toXmlString(
        buildRequest(
          { ...envelope, postReloadPriv: "ztd" },
          { service: "cli-config", correlator: "c", operation: "configPersist" },
        ),
      ),
    ).toContain('postReloadPriv="ztd"');
  });

  it("requires correlators, except on redirection and certificate-install", () => {
    expectCode(
      () => buildRequest(envelope, { service: "topology", correlator: "" }),
      "PNP_BUILD_INVALID",
      "correlator",
    );
    expectCode(
      () => buildRequest(envelope, { service: "capability" } as unknown as ServiceRequest),
      "PNP_BUILD_INVALID",
      "correlator is required",
    );
    const redirection = toXmlString(
      buildRequest(envelope, {
        service: "redirection",
        primaryServer: { protocol: "https", address: { kind: "host", value: "pnp.example.net" } },
      }),
    );
    expect(redirection).toContain('<request xmlns="urn:cisco:pnp:redirection">');
  });

  it("writes success as 1/0 and requires errorInfo on failure", () => {
    const ok = toXmlString(buildResponse(envelope, { service: "reload", correlator: "c", success: true }));
    expect(ok).toContain('success="1"');
    expect(ok).not.toContain("true");
    expectCode(
      () => buildResponse(envelope, { service: "reload", correlator: "c", success: false }),
      "PNP_BUILD_INVALID",
      "errorInfo",
    );
    // capability and topology define no errorInfo: success="0" stands alone.
    const failedTopology = toXmlString(
      buildResponse(envelope, { service: "topology", correlator: "c", success: false, neighbors: [] }),
    );
    expect(failedTopology).toContain('success="0"');
  });

  it('requires errorCode strings of the form "PnP Service Error NNNN"', () => {
    const response = (code: string): ServiceResponse => ({
      service: "reload",
      correlator: "c",
      success: false,
      errorInfo: { severity: "ERROR", code, message: "m" },
    });
    expectCode(
      () => buildResponse(envelope, response("2405")),
      "PNP_BUILD_INVALID",
      "PnP Service Error NNNN",
    );
    expect(toXmlString(buildResponse(envelope, response(pnpErrorCode(2405))))).toContain(
      "<errorCode>PnP Service Error 2405</errorCode>",
    );
    expect(errorCodeNumber("PnP Service Error 1817")).toBe(1817);
    expect(errorCodeNumber("PnP Service Info 2408")).toBe(2408);
    expect(errorCodeNumber("XSVC_NTFY_REQ_ERROR")).toBeUndefined();
  });

  it("writes no errorSeverity for cli-config and cli-exec, and requires one elsewhere", () => {
    const cli = toXmlString(
      buildResponse(envelope, {
        service: "cli-config",
        correlator: "c",
        success: false,
        errorInfo: { code: "PnP Service Error 1200", message: "m" },
      }),
    );
    expect(cli).not.toContain("errorSeverity");
    expectCode(
      () =>
        buildResponse(envelope, {
          service: "image-install",
          correlator: "c",
          success: false,
          errorInfo: { code: "PnP Service Error 1803", message: "m" },
        }),
      "PNP_BUILD_INVALID",
      "severity",
    );
  });

  it("puts reload/noReload after config, as a sibling, and requires one of them", () => {
    const text = toXmlString(
      buildRequest(envelope, {
        service: "config-upgrade",
        correlator: "c",
        source: { location: "http://s/c.cfg" },
        applyTo: "running",
        abortOnSyntaxFault: true,
        reload: { kind: "noReload" },
      }),
    );
    expect(text).toContain(
      "<config><copy><source><location>http://s/c.cfg</location></source><applyTo>running</applyTo><abortOnSyntaxFault/></copy></config><noReload/></request>",
    );
    expectCode(
      () =>
        buildRequest(envelope, {
          service: "config-upgrade",
          correlator: "c",
          source: { location: "http://s/c.cfg" },
        }),
      "PNP_BUILD_INVALID",
      "reload or noReload",
    );
  });

  it("takes exactly one of location and uri", () => {
    expectCode(
      () =>
        buildRequest(envelope, {
          service: "file-transfer",
          correlator: "c",
          source: { location: "http://s/a", uri: "/a" } as { location: string },
          destination: { location: "flash:a" },
        }),
      "PNP_BUILD_INVALID",
      "exactly one of location and uri",
    );
  });

  it("refuses inline scripts over 10 KB, mutually exclusive reload flags, and both data and errorInfo in device-info", () => {
    expectCode(
      () =>
        buildRequest(envelope, {
          service: "script",
          correlator: "c",
          source: { inline: "x".repeat(10 * 1024 + 1) },
        }),
      "PNP_BUILD_INVALID",
      "inline",
    );
    expectCode(
      () =>
        buildRequest(envelope, { service: "reload", correlator: "c", saveConfig: true, eraseConfig: false }),
      "PNP_BUILD_INVALID",
      "mutually exclusive",
    );
    expectCode(
      () =>
        buildResponse(envelope, {
          service: "device-info",
          correlator: "c",
          success: false,
          deviceInfo: { hardwareInfo: { hostname: "x" } },
          errorInfo: { severity: "XSVC_ERROR", code: "PnP Service Error 1600", message: "m" },
        }),
      "PNP_BUILD_INVALID",
      "not both",
    );
  });

  it("refuses an empty UDI and text XML cannot carry", () => {
    expectCode(() => buildBye({ udi: "" }, { correlator: "c" }), "PNP_BUILD_INVALID", "envelope.udi");
    expectCode(
      () => buildFault(envelope, { faultCode: "XSVC:Client", faultString: "bell\u0007" }),
      "PNP_BUILD_INVALID",
      "sanitizeXmlText",
    );
  });

  it("builds a work request with the CSR1000V's reload reason after deviceId", () => {
    const text = toXmlString(
      buildWorkRequest(envelope, {
        correlator: "c",
        deviceId: { udi: UDI, hostname: "Router", authRequired: true },
        reloadReason: {
          message: "factory-reset",
          code: "PnP Service Info 2408",
          startupConfigPresent: false,
        },
      }),
    );
    expect(text).toContain(
      "</deviceId><reason><reload><message>factory-reset</message><code>PnP Service Info 2408</code><startupConfigPresent>false</startupConfigPresent></reload></reason></info>",
    );
    expect(text).toContain("<authRequired>true</authRequired>");
  });

  it("serialises a message with an XML declaration for HTTP", () => {
    const text = serializePnp({ kind: "bye", envelope, bye: { correlator: "c" } }, { declaration: true });
    expect(text).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><pnp xmlns="urn:cisco:pnp" version="1.0" udi="${UDI}"><info xmlns="urn:cisco:pnp:work-info" correlator="c"><workInfo><bye/></workInfo></info></pnp>`,
    );
  });
});

describe("per-service builders", () => {
  it("fill in the service and build what buildRequest/buildResponse build", () => {
    const backoff = protocol.buildBackoffRequest(envelope, {
      correlator: "c",
      reason: "wait",
      action: { kind: "defaultMinutes", minutes: 5 },
    });
    expect(toXmlString(backoff)).toBe(
      toXmlString(
        buildRequest(envelope, {
          service: "backoff",
          correlator: "c",
          reason: "wait",
          action: { kind: "defaultMinutes", minutes: 5 },
        }),
      ),
    );
    const persist = protocol.buildCliConfigRequest(envelope, { correlator: "c", operation: "configPersist" });
    expect(toXmlString(persist)).toContain(
      '<request xmlns="urn:cisco:pnp:cli-config" correlator="c"><configPersist/>',
    );
    const info = protocol.buildDeviceInfoResponse(envelope, {
      correlator: "c",
      success: true,
      deviceInfo: { udi: { primaryChassis: UDI } },
    });
    expect(parsePnp(info)).toMatchObject({
      kind: "response",
      response: { service: "device-info", deviceInfo: { udi: { primaryChassis: UDI } } },
    });
  });

  it("exist for every service, in both directions", () => {
    const exported: Record<string, unknown> = protocol;
    for (const service of SERVICE_NAMES) {
      const name = service.replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) => letter.toUpperCase());
      expect(typeof exported[`build${name}Request`], service).toBe("function");
      expect(typeof exported[`build${name}Response`], service).toBe("function");
    }
  });
});
