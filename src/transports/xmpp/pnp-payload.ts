import { xml } from "@xmpp/component";
import type { Element } from "ltx";
import type { TaskResult } from "../../core/tasks.js";
import type { DeviceInfoData } from "../../protocol/device-info-types.js";
import {
  buildRequest,
  isPnpProtocolError,
  NS_PNP,
  parsePnp,
  type ServiceRequest,
} from "../../protocol/index.js";
import { taskIqId } from "./stanza-ids.js";

/**
 * The UDI the envelope names. Until a device's device-info has told us its real UDI, the contract says
 * the server sends a placeholder with the device's XMPP local part as serial (docs/xmpp-contract.md).
 */
export function envelopeUdi(device: string, knownUdi: string | undefined): string {
  return knownUdi || `PID:,VID:,SN:${device.split("@")[0] ?? device}`;
}

/** What a dispatcher knows of a claimed task when it builds its stanza. */
export interface OutgoingTask {
  correlator: string;
  device: string;
  request: unknown;
  attempts: number;
}

/** `<iq type="set" id="pnp:<attempt>:<correlator>">` holding the task's `<pnp>` request. */
export function buildTaskStanza(task: OutgoingTask, to: string, from: string, udi: string): Element {
  const request = { ...(task.request as ServiceRequest), correlator: task.correlator } as ServiceRequest;
  const pnp = buildRequest({ udi }, request);
  return xml("iq", { type: "set", to, from, id: taskIqId(task.correlator, task.attempts) }, pnp);
}

export type TaskAnswer =
  | { invalid: string }
  | { correlator?: string; service?: string; result: TaskResult; deviceInfo?: DeviceInfoData };

/** Reads a device's `<iq type="result">`: a service response, or a fault (which has no correlator). */
export function readTaskAnswer(iq: Element): TaskAnswer {
  const pnp = iq.getChild("pnp", NS_PNP);
  if (!pnp) return { invalid: "the iq result holds no <pnp> element in urn:cisco:pnp" };
  let message: ReturnType<typeof parsePnp>;
  try {
    message = parsePnp(pnp);
  } catch (err) {
    return { invalid: isPnpProtocolError(err) ? `${err.code}: ${err.message}` : String(err) };
  }
  if (message.kind === "fault") {
    const { fault } = message;
    return {
      result: {
        success: false,
        body: fault,
        errorCode: fault.faultCode || "XSVC:Fault",
        errorMessage: [fault.faultString, fault.details].filter(Boolean).join(": "),
      },
    };
  }
  if (message.kind !== "response") return { invalid: `expected a service response, got ${message.kind}` };
  const { response } = message;
  const errorInfo = (response as { errorInfo?: { code: string; message: string } }).errorInfo;
  // Error 1817 on image-install means the device already runs that image: the goal is reached (Cisco's
  // own servers treat it as non-fatal). The code stays in the result for operators.
  const alreadyDone =
    response.service === "image-install" && !response.success && /\b1817$/.test(errorInfo?.code ?? "");
  const result: TaskResult = { success: response.success || alreadyDone, body: response };
  if (errorInfo) {
    result.errorCode = errorInfo.code;
    result.errorMessage = errorInfo.message;
  }
  const answer: TaskAnswer = { correlator: response.correlator, service: response.service, result };
  if (response.service === "device-info" && response.success) answer.deviceInfo = response.deviceInfo;
  return answer;
}
