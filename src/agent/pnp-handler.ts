import type { Element } from "ltx";
import {
  buildFault,
  buildResponse,
  isPnpProtocolError,
  parsePnp,
  pnpErrorCode,
  type ServiceRequest,
  type ServiceResponse,
} from "../protocol/index.js";
import type { DeviceModel } from "./model/index.js";

/**
 * The agent's brain: turns one `<pnp>` request into the `<pnp>` answer from the device model. Anything
 * it cannot read or does not implement is answered with a fault, as Cisco's agent does.
 */
export function createPnpHandler(model: DeviceModel): (request: Element) => Promise<Element> {
  return async (pnp) => {
    const udi = model.deviceInfo("udi");
    const envelopeUdi = udi.success ? (udi.data.udi?.primaryChassis ?? "") : "";
    let message: ReturnType<typeof parsePnp>;
    try {
      message = parsePnp(pnp);
    } catch (err) {
      return fault(envelopeUdi, "XSVC:Client", "The request could not be parsed", isPnpProtocolError(err) ? err.message : String(err));
    }
    if (message.kind !== "request") {
      return fault(envelopeUdi, "XSVC:Client", "An unknown XML tag has been received", `unsupported message kind ${message.kind}`);
    }
    const response = answer(model, message.request);
    if (!response) {
      return fault(envelopeUdi, "XSVC:Client", "An unknown XML tag has been received", `service ${message.request.service} is not supported`);
    }
    return buildResponse({ udi: envelopeUdi }, response);
  };
}

function answer(model: DeviceModel, request: ServiceRequest): ServiceResponse | undefined {
  const correlator = request.correlator ?? "";
  switch (request.service) {
    case "device-info": {
      const result = model.deviceInfo(request.type);
      if (result.success) return { service: "device-info", correlator, success: true, deviceInfo: result.data };
      const { error } = result;
      return {
        service: "device-info",
        correlator,
        success: false,
        deviceInfo: {},
        errorInfo: { severity: error.severity ?? "XSVC_ERROR", code: pnpErrorCode(error.code), message: error.message },
      };
    }
    default:
      return undefined;
  }
}

function fault(udi: string, code: string, text: string, details: string): Element {
  return buildFault({ udi: udi || "PID:,VID:,SN:UNKNOWN" }, { faultCode: code, faultString: text, details });
}
