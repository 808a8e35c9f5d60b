// capability (urn:cisco:pnp:capability), §2.4: an empty request; the response lists what the agent
// supports as `cisco:pnp:<svc>` strings (no `urn:`), then optional feature strings. No errorInfo exists.

import type { Element } from "ltx";
import { type BuildChild, element, leaf } from "../build.js";
import type { NamespaceReader } from "../read.js";
import type { ServiceCodec } from "./common.js";

// biome-ignore lint/complexity/noBannedTypes: the capability request has no body at all.
export type CapabilityRequest = {};

export interface CapabilityResponse {
  /** supportedCapabilities/capability, e.g. "cisco:pnp:device-info". Absent or empty: element left out. */
  capabilities?: string[];
  /** supportedFeatures/feature, e.g. "cisco:pnp:script-inline". */
  features?: string[];
}

function list(wrapper: string, item: string, values: string[] | undefined): Element | undefined {
  if (values === undefined || values.length === 0) return undefined; // the XSD requires one or more items
  return element(wrapper, {}, ...values.map((value) => leaf(item, value)));
}

export const capabilityCodec: ServiceCodec<CapabilityRequest, CapabilityResponse> = {
  errorInfo: "none",

  buildRequest(): BuildChild[] {
    return [];
  },

  parseRequest(): CapabilityRequest {
    return {};
  },

  buildResponse(response: CapabilityResponse): BuildChild[] {
    return [
      list("supportedCapabilities", "capability", response.capabilities),
      list("supportedFeatures", "feature", response.features),
    ];
  },

  parseResponse(response: Element, reader: NamespaceReader): CapabilityResponse {
    const result: CapabilityResponse = {};
    const capabilities = reader.child(response, "supportedCapabilities");
    if (capabilities !== undefined) {
      result.capabilities = reader.texts(capabilities, "capability").map((value) => value.trim());
    }
    const features = reader.child(response, "supportedFeatures");
    if (features !== undefined)
      result.features = reader.texts(features, "feature").map((value) => value.trim());
    return result;
  },
};
