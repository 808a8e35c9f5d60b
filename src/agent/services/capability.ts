// capability: the services this simulator answers, as `cisco:pnp:<svc>` (the capability service itself
// is "capabilities" in Cisco's list), and the features it supports.

import { capabilityName, type ServiceName } from "../../protocol/index.js";
import { answered, type ServiceHandler } from "./context.js";

/** Features of this agent: service logs, script arguments and inline scripts. */
export const AGENT_FEATURES: readonly string[] = Object.freeze([
  "cisco:pnp:service-log",
  "cisco:pnp:script-arguments",
  "cisco:pnp:script-inline",
]);

export function capabilityOf(service: ServiceName): string {
  return capabilityName(service === "capability" ? "capabilities" : service);
}

export const capabilityService: ServiceHandler<"capability"> = (ctx, request) =>
  answered({
    service: "capability",
    correlator: request.correlator,
    success: true,
    capabilities: [...ctx.services].map(capabilityOf),
    features: [...AGENT_FEATURES],
  });
