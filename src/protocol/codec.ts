// The whole-message codec: one parse entry (`parsePnp`) that dispatches on (namespace URI, local name) of
// the envelope's child, and builders for both directions of every service.

import type { Element } from "ltx";
import { type BuildChild, element, requireNonEmpty } from "./build.js";
import { buildEnvelope, type Envelope, parseEnvelope } from "./envelope.js";
import { invalidBuild, invalidMessage } from "./errors.js";
import {
  NS_FAULT,
  NS_SYSLOG,
  NS_WORK_INFO,
  pnpNamespaceSuffix,
  type ServiceName,
  serviceFromNamespace,
  serviceNamespace,
} from "./namespaces.js";
import { attributeOf, NamespaceReader, pathOf } from "./read.js";
import { type BackoffRequest, type BackoffResponse, backoffCodec } from "./services/backoff.js";
import { type CapabilityRequest, type CapabilityResponse, capabilityCodec } from "./services/capability.js";
import {
  type CertificateInstallRequest,
  type CertificateInstallResponse,
  certificateInstallCodec,
} from "./services/certificate-install.js";
import { type CliConfigRequest, type CliConfigResponse, cliConfigCodec } from "./services/cli-config.js";
import { type CliExecRequest, type CliExecResponse, cliExecCodec } from "./services/cli-exec.js";
import type { ServiceCodec } from "./services/common.js";
import {
  type ConfigUpgradeRequest,
  type ConfigUpgradeResponse,
  configUpgradeCodec,
} from "./services/config-upgrade.js";
import { type DeviceInfoRequest, type DeviceInfoResponse, deviceInfoCodec } from "./services/device-info.js";
import { buildFaultResponse, type Fault, parseFaultResponse } from "./services/fault.js";
import {
  type FileTransferRequest,
  type FileTransferResponse,
  fileTransferCodec,
} from "./services/file-transfer.js";
import {
  type ImageInstallRequest,
  type ImageInstallResponse,
  imageInstallCodec,
} from "./services/image-install.js";
import { type LicensingRequest, type LicensingResponse, licensingCodec } from "./services/licensing.js";
import {
  type RedirectionRequest,
  type RedirectionResponse,
  redirectionCodec,
} from "./services/redirection.js";
import { type ReloadRequest, type ReloadResponse, reloadCodec } from "./services/reload.js";
import { type ScriptRequest, type ScriptResponse, scriptCodec } from "./services/script.js";
import { buildSyslogEvent, parseSyslogEvent, type SyslogEvent } from "./services/syslog.js";
import { type TagRequest, type TagResponse, tagCodec } from "./services/tag.js";
import { type TopologyRequest, type TopologyResponse, topologyCodec } from "./services/topology.js";
import {
  type Bye,
  buildByeInfo,
  buildWorkRequestInfo,
  parseByeInfo,
  parseWorkRequestInfo,
  type WorkRequest,
} from "./services/work-info.js";
import { checkElementLimits, parseXml, type SerializeOptions, toXmlString, type XmlLimits } from "./xml.js";

/** Request bodies by service (without `service` and `correlator`). */
export interface ServiceRequestBodies {
  backoff: BackoffRequest;
  capability: CapabilityRequest;
  "certificate-install": CertificateInstallRequest;
  "cli-config": CliConfigRequest;
  "cli-exec": CliExecRequest;
  "config-upgrade": ConfigUpgradeRequest;
  "device-info": DeviceInfoRequest;
  "file-transfer": FileTransferRequest;
  "image-install": ImageInstallRequest;
  licensing: LicensingRequest;
  redirection: RedirectionRequest;
  reload: ReloadRequest;
  script: ScriptRequest;
  tag: TagRequest;
  topology: TopologyRequest;
}

/** Response bodies by service (without `service`, `correlator` and `success`). */
export interface ServiceResponseBodies {
  backoff: BackoffResponse;
  capability: CapabilityResponse;
  "certificate-install": CertificateInstallResponse;
  "cli-config": CliConfigResponse;
  "cli-exec": CliExecResponse;
  "config-upgrade": ConfigUpgradeResponse;
  "device-info": DeviceInfoResponse;
  "file-transfer": FileTransferResponse;
  "image-install": ImageInstallResponse;
  licensing: LicensingResponse;
  redirection: RedirectionResponse;
  reload: ReloadResponse;
  script: ScriptResponse;
  tag: TagResponse;
  topology: TopologyResponse;
}

/** Services whose request correlator the XSD declares optional (§1.2). */
export type CorrelatorOptionalService = "redirection" | "certificate-install";

/** A server → agent service request: `service` discriminates, the body fields sit beside it. */
export type ServiceRequest = {
  [S in ServiceName]: { service: S } & (S extends CorrelatorOptionalService
    ? { correlator?: string }
    : { correlator: string }) &
    ServiceRequestBodies[S];
}[ServiceName];

/** An agent → server service response. `success` is written 1/0 on the wire (§6 item 3). */
export type ServiceResponse = {
  [S in ServiceName]: { service: S; correlator: string; success: boolean } & ServiceResponseBodies[S];
}[ServiceName];

export type RequestOf<S extends ServiceName> = Extract<ServiceRequest, { service: S }>;
export type ResponseOf<S extends ServiceName> = Extract<ServiceResponse, { service: S }>;

/** Everything `parsePnp` can return. */
export type PnpMessage =
  | { kind: "work-request"; envelope: Envelope; workRequest: WorkRequest }
  | { kind: "bye"; envelope: Envelope; bye: Bye }
  | { kind: "request"; envelope: Envelope; request: ServiceRequest }
  | { kind: "response"; envelope: Envelope; response: ServiceResponse }
  | { kind: "fault"; envelope: Envelope; fault: Fault }
  | { kind: "syslog-event"; envelope: Envelope; event: SyslogEvent }
  | UnknownPnpMessage;

/**
 * A well-formed pnp envelope whose child this codec does not implement (another service, or another
 * element of a known one, such as syslog's notification request). Answer a request with a fault.
 */
export interface UnknownPnpMessage {
  kind: "unknown";
  envelope: Envelope;
  /** Namespace URI of the envelope's child. */
  namespace: string | undefined;
  /** The `<x>` of urn:cisco:pnp:<x>, when the namespace has that form. */
  service: string | undefined;
  /** Local name of the envelope's child, e.g. "request". */
  element: string;
  correlator: string | undefined;
}

export type BuildablePnpMessage = Exclude<PnpMessage, UnknownPnpMessage>;

type AnyServiceCodec = ServiceCodec<unknown, unknown>;

const SERVICE_CODECS: {
  [S in ServiceName]: ServiceCodec<ServiceRequestBodies[S], ServiceResponseBodies[S]>;
} = {
  backoff: backoffCodec,
  capability: capabilityCodec,
  "certificate-install": certificateInstallCodec,
  "cli-config": cliConfigCodec,
  "cli-exec": cliExecCodec,
  "config-upgrade": configUpgradeCodec,
  "device-info": deviceInfoCodec,
  "file-transfer": fileTransferCodec,
  "image-install": imageInstallCodec,
  licensing: licensingCodec,
  redirection: redirectionCodec,
  reload: reloadCodec,
  script: scriptCodec,
  tag: tagCodec,
  topology: topologyCodec,
};

/** One codec, widened so the correlated request/response unions can be passed through. */
function codecOf(service: ServiceName): AnyServiceCodec {
  const codec: unknown = SERVICE_CODECS[service];
  if (codec === undefined) throw invalidBuild("service", `unknown service "${String(service)}"`);
  return codec as AnyServiceCodec;
}

function withoutUndefined(children: BuildChild[]): Element[] {
  return children.filter((child): child is Element => child !== undefined && child !== false);
}

// --- building ---------------------------------------------------------------------------------------

/** `<pnp …><request xmlns="urn:cisco:pnp:SERVICE" correlator="…">…</request></pnp>`. */
export function buildRequest(envelope: Envelope, request: ServiceRequest): Element {
  const codec = codecOf(request.service);
  const correlator = request.correlator;
  if (correlator === undefined && codec.correlatorOptional !== true) {
    throw invalidBuild(`${request.service} request`, "correlator is required");
  }
  const requestElement = element(
    "request",
    {
      xmlns: serviceNamespace(request.service),
      correlator:
        correlator === undefined
          ? undefined
          : requireNonEmpty(correlator, `${request.service} request correlator`),
    },
    ...withoutUndefined(codec.buildRequest(request)),
  );
  return buildEnvelope(envelope, requestElement, codec.allowsReloadAttributes === true);
}

/** `<pnp …><response xmlns="urn:cisco:pnp:SERVICE" correlator="…" success="1|0">…</response></pnp>`. */
export function buildResponse(envelope: Envelope, response: ServiceResponse): Element {
  const codec = codecOf(response.service);
  if (typeof response.success !== "boolean") {
    throw invalidBuild(`${response.service} response`, "success must be a boolean");
  }
  const errorInfo = "errorInfo" in response ? response.errorInfo : undefined;
  if (!response.success && codec.errorInfo !== "none" && errorInfo === undefined) {
    throw invalidBuild(`${response.service} response`, 'success="0" must carry errorInfo (§1.4)');
  }
  const responseElement = element(
    "response",
    {
      xmlns: serviceNamespace(response.service),
      correlator: requireNonEmpty(response.correlator, `${response.service} response correlator`),
      success: response.success ? "1" : "0",
    },
    ...withoutUndefined(codec.buildResponse(response)),
  );
  return buildEnvelope(envelope, responseElement, false);
}

export function buildWorkRequest(envelope: Envelope, workRequest: WorkRequest): Element {
  return buildEnvelope(envelope, buildWorkRequestInfo(workRequest), false);
}

export function buildBye(envelope: Envelope, bye: Bye): Element {
  return buildEnvelope(envelope, buildByeInfo(bye), false);
}

export function buildFault(envelope: Envelope, fault: Fault): Element {
  return buildEnvelope(envelope, buildFaultResponse(fault), false);
}

export function buildSyslogEventMessage(envelope: Envelope, event: SyslogEvent): Element {
  return buildEnvelope(envelope, buildSyslogEvent(event), false);
}

/** Builds any message `parsePnp` returns (except "unknown"): parse → build gives the same message. */
export function buildPnp(message: BuildablePnpMessage): Element {
  switch (message.kind) {
    case "work-request":
      return buildWorkRequest(message.envelope, message.workRequest);
    case "bye":
      return buildBye(message.envelope, message.bye);
    case "request":
      return buildRequest(message.envelope, message.request);
    case "response":
      return buildResponse(message.envelope, message.response);
    case "fault":
      return buildFault(message.envelope, message.fault);
    case "syslog-event":
      return buildSyslogEventMessage(message.envelope, message.event);
  }
}

/** Builds and serialises in one step (for the HTTP transport). */
export function serializePnp(message: BuildablePnpMessage, options?: SerializeOptions): string {
  return toXmlString(buildPnp(message), options);
}

// --- parsing ----------------------------------------------------------------------------------------

/**
 * Parses one PnP message: text or bytes from HTTP (checked by the safe XML parser), or an Element already
 * parsed by the XMPP stack (checked against the depth, element and attribute limits). Throws
 * PnpProtocolError: PNP_XML_* for hostile or malformed XML, PNP_MSG_INVALID for structural errors.
 * An unimplemented service is not an error: it returns kind "unknown".
 */
export function parsePnp(input: string | Uint8Array | Element, limits?: Partial<XmlLimits>): PnpMessage {
  let root: Element;
  if (typeof input === "string" || input instanceof Uint8Array) {
    root = parseXml(input, limits);
  } else {
    checkElementLimits(input, limits);
    root = input;
  }
  const { envelope, child } = parseEnvelope(root);
  const namespace = child.getNS();
  const localName = child.getName();

  if (namespace === NS_WORK_INFO && localName === "info") {
    const correlator = requireCorrelator(child);
    const reader = new NamespaceReader(NS_WORK_INFO);
    if (reader.child(child, "deviceId") !== undefined) {
      return { kind: "work-request", envelope, workRequest: parseWorkRequestInfo(child, correlator) };
    }
    if (reader.child(child, "workInfo") !== undefined) {
      return { kind: "bye", envelope, bye: parseByeInfo(child, correlator) };
    }
    throw invalidMessage(pathOf(child), "holds neither deviceId (work request) nor workInfo (bye)");
  }
  if (namespace === NS_FAULT && localName === "response") {
    return { kind: "fault", envelope, fault: parseFaultResponse(child) };
  }
  if (namespace === NS_SYSLOG && localName === "event") {
    return { kind: "syslog-event", envelope, event: parseSyslogEvent(child) };
  }

  const service = serviceFromNamespace(namespace);
  if (service !== undefined && (localName === "request" || localName === "response")) {
    const codec = codecOf(service);
    const reader = new NamespaceReader(serviceNamespace(service));
    if (localName === "request") {
      const correlator = attributeOf(child, "correlator");
      if (correlator === undefined && codec.correlatorOptional !== true) {
        throw invalidMessage(pathOf(child, "correlator"), "attribute is missing");
      }
      const body = codec.parseRequest(child, reader) as object;
      const request = {
        service,
        ...(correlator === undefined ? {} : { correlator }),
        ...body,
      } as ServiceRequest;
      return { kind: "request", envelope, request };
    }
    const correlator = requireCorrelator(child);
    const success = parseSuccess(child);
    const body = codec.parseResponse(child, reader) as object;
    const response = { service, correlator, success, ...body } as ServiceResponse;
    return { kind: "response", envelope, response };
  }

  return {
    kind: "unknown",
    envelope,
    namespace,
    service: pnpNamespaceSuffix(namespace),
    element: localName,
    correlator: attributeOf(child, "correlator"),
  };
}

function requireCorrelator(owner: Element): string {
  const correlator = attributeOf(owner, "correlator");
  if (correlator === undefined || correlator === "") {
    throw invalidMessage(pathOf(owner, "correlator"), "attribute is missing");
  }
  return correlator;
}

/** success is 1 or 0, never true/false (§1.4). */
function parseSuccess(response: Element): boolean {
  const value = attributeOf(response, "success");
  if (value === undefined) throw invalidMessage(pathOf(response, "success"), "attribute is missing");
  const trimmed = value.trim();
  if (trimmed === "1") return true;
  if (trimmed === "0") return false;
  throw invalidMessage(pathOf(response, "success"), `must be 1 or 0, got "${value.slice(0, 20)}"`);
}
