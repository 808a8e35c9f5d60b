// The simulated agent's dispatcher: parse one `<pnp>` request, run its service module (src/agent/services)
// once per correlator, build the `<pnp>` response. Anything it cannot read or does not answer gets a
// Cisco fault, as the real agent does. A reload the service asks for is handed back to the caller, which
// carries it out after the response went out.

import type { Element } from "ltx";
import {
  buildFault,
  buildResponse,
  type Fault,
  isPnpProtocolError,
  parsePnp,
  type ServiceResponse,
} from "../protocol/index.js";
import { createFileFetcher } from "./file-fetch.js";
import type { DeviceModel, ReloadPlan } from "./model/index.js";
import {
  type AgentRecords,
  ALL_SERVICES,
  type CorrelatedRequest,
  SERVICE_HANDLERS,
  type ServiceContext,
  type ServiceHandler,
} from "./services/index.js";

/** What one request produced: the reply to send, and a reboot to perform after sending it. */
export interface PnpAnswer {
  reply: Element;
  /** Null when no reboot is due, and always null for a replayed correlator. */
  reload: ReloadPlan | null;
  /** The correlator was seen before: nothing was applied, the first answer was returned again. */
  replayed: boolean;
  service?: string;
  correlator?: string;
}

type Outcome =
  | { kind: "response"; response: ServiceResponse; reload: ReloadPlan | null }
  | { kind: "fault"; fault: Fault };

const FALLBACK_UDI = "PID:,VID:,SN:UNKNOWN";
let agentCorrelators = 0;

function faultOf(faultString: string, details: string, faultCode = "XSVC:Client"): Outcome {
  return { kind: "fault", fault: { faultCode, faultString, details } };
}

function envelopeUdi(model: DeviceModel): string {
  try {
    return model.udi || FALLBACK_UDI;
  } catch {
    return FALLBACK_UDI;
  }
}

async function runService(
  ctx: ServiceContext,
  request: CorrelatedRequest<ServiceResponse["service"]>,
): Promise<Outcome> {
  try {
    const handler = SERVICE_HANDLERS[request.service] as ServiceHandler<typeof request.service>;
    const outcome = await handler(ctx, request as never);
    return { kind: "response", response: outcome.response, reload: outcome.reload };
  } catch (err) {
    // A bug or a value the codec refuses: the server still gets an answer.
    return faultOf(
      "The request could not be processed",
      err instanceof Error ? err.message : String(err),
      "XSVC:Server",
    );
  }
}

function build(udi: string, outcome: Outcome): Element {
  if (outcome.kind === "fault") return buildFault({ udi }, outcome.fault);
  try {
    return buildResponse({ udi }, outcome.response);
  } catch (err) {
    const fault = faultOf(
      "The response could not be built",
      isPnpProtocolError(err) ? err.message : String(err),
      "XSVC:Server",
    );
    return buildFault({ udi }, (fault as { fault: Fault }).fault);
  }
}

/**
 * Answers one `<pnp>` element. The whole service call runs inside `model.once(correlator)`: the same
 * correlator again applies nothing and gets the first answer (built from the same response), with no reload.
 */
export async function answerPnp(ctx: ServiceContext, pnp: Element): Promise<PnpAnswer> {
  const udi = envelopeUdi(ctx.model);
  let message: ReturnType<typeof parsePnp>;
  try {
    message = parsePnp(pnp);
  } catch (err) {
    const outcome = faultOf(
      "The request could not be parsed",
      isPnpProtocolError(err) ? err.message : String(err),
    );
    return { reply: build(udi, outcome), reload: null, replayed: false };
  }
  if (message.kind === "unknown") {
    const what =
      message.service === undefined
        ? `${message.namespace ?? "no namespace"} ${message.element}`
        : `service ${message.service}`;
    const outcome = faultOf("An unknown XML tag has been received", `${what} is not supported`);
    const answer: PnpAnswer = { reply: build(udi, outcome), reload: null, replayed: false };
    if (message.service !== undefined) answer.service = message.service;
    if (message.correlator !== undefined) answer.correlator = message.correlator;
    return answer;
  }
  if (message.kind !== "request") {
    const outcome = faultOf(
      "An unknown XML tag has been received",
      `unsupported message kind ${message.kind}`,
    );
    return { reply: build(udi, outcome), reload: null, replayed: false };
  }
  const request = message.request;
  if (!ctx.services.has(request.service)) {
    const outcome = faultOf(
      "An unknown XML tag has been received",
      `service ${request.service} is not supported`,
    );
    const answer: PnpAnswer = {
      reply: build(udi, outcome),
      reload: null,
      replayed: false,
      service: request.service,
    };
    if (request.correlator !== undefined) answer.correlator = request.correlator;
    return answer;
  }
  // redirection and certificate-install may come without a correlator; the response needs one.
  const correlator =
    request.correlator ?? `CiscoPnP-1.0-${Date.now().toString(16).toUpperCase()}-${++agentCorrelators}`;
  const correlated = { ...request, correlator } as CorrelatedRequest<typeof request.service>;
  const { result, replayed } = ctx.model.once(request.correlator ?? "", () => runService(ctx, correlated));
  const outcome = await result;
  return {
    reply: build(udi, outcome),
    reload: outcome.kind === "response" && !replayed ? outcome.reload : null,
    replayed,
    service: request.service,
    correlator,
  };
}

export interface PnpHandlerOptions {
  fetchFile?: ServiceContext["fetchFile"];
  records?: AgentRecords;
  services?: ServiceContext["services"];
}

/**
 * The first version's API: a function answering `<pnp>` requests for one model. It does not reboot:
 * use SimulatedDevice (simulated-device.ts) for the reload cycle.
 */
export function createPnpHandler(
  model: DeviceModel,
  options: PnpHandlerOptions = {},
): (request: Element) => Promise<Element> {
  const ctx: ServiceContext = {
    model,
    fetchFile: options.fetchFile ?? createFileFetcher(),
    records: options.records ?? {},
    services: options.services ?? ALL_SERVICES,
  };
  return async (pnp) => (await answerPnp(ctx, pnp)).reply;
}
