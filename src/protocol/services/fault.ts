// fault (urn:cisco:pnp:fault), §1.5: what an agent sends when it cannot parse or handle a request.
// response/fault/(faultcode, faultstring, detail/XSVC-ERR:error/XSVC-ERR:details), with the XSVC-ERR
// prefix bound to urn:cisco:pnp:error. There is no correlator and no success attribute. Agents write the
// prefix in upper case (THL, IANZ read it so) or lower case (ERL): matched by namespace URI only. We write
// upper case, like real agents.

import type { Element } from "ltx";
import { element, leaf } from "../build.js";
import { NS_ERROR, NS_FAULT } from "../namespaces.js";
import { elementChildren, NamespaceReader } from "../read.js";

export interface Fault {
  /** e.g. "XSVC:Client". */
  faultCode: string;
  /** e.g. "An unknown XML tag has been received". */
  faultString: string;
  /** detail/XSVC-ERR:error/XSVC-ERR:details text. */
  details?: string;
}

const ERROR_PREFIX = "XSVC-ERR";
const faultReader = new NamespaceReader(NS_FAULT);
const errorReader = new NamespaceReader(NS_ERROR);

export function buildFaultResponse(fault: Fault): Element {
  return element(
    "response",
    { xmlns: NS_FAULT },
    element(
      "fault",
      {},
      leaf("faultcode", fault.faultCode),
      leaf("faultstring", fault.faultString),
      fault.details === undefined
        ? undefined
        : element(
            "detail",
            {},
            element(
              `${ERROR_PREFIX}:error`,
              { [`xmlns:${ERROR_PREFIX}`]: NS_ERROR },
              element(`${ERROR_PREFIX}:details`, {}, fault.details),
            ),
          ),
    ),
  );
}

/** Lenient: every part may be missing. */
export function parseFaultResponse(response: Element): Fault {
  const fault = faultReader.child(response, "fault");
  if (fault === undefined) return { faultCode: "", faultString: "" };
  const result: Fault = {
    faultCode: faultReader.textOrEmpty(fault, "faultcode").trim(),
    faultString: faultReader.textOrEmpty(fault, "faultstring"),
  };
  const detail = faultReader.child(fault, "detail");
  if (detail !== undefined) {
    // By namespace; failing that (an undeclared prefix), by local name.
    const error =
      errorReader.child(detail, "error") ??
      elementChildren(detail).find((child) => child.getName() === "error");
    const details =
      error === undefined
        ? undefined
        : (errorReader.child(error, "details") ??
          elementChildren(error).find((child) => child.getName() === "details"));
    if (details !== undefined) result.details = details.getText();
  }
  return result;
}
