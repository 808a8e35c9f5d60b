// backoff: on XMPP the agent does not poll, so callbackAfter and defaultMinutes are recorded and
// acknowledged. terminate ends PnP on the device as Cisco's agent does: the discovery profile
// `pnp profile pnp-zero-touch` is removed from the running configuration.

import { answered, type ServiceHandler } from "./context.js";

export const DISCOVERY_PROFILE = "pnp-zero-touch";

export const backoffService: ServiceHandler<"backoff"> = (ctx, request) => {
  ctx.records.backoff = { reason: request.reason, action: request.action, at: Date.now() };
  if (request.action.kind === "terminate") {
    ctx.model.applyConfig([`no pnp profile ${DISCOVERY_PROFILE}`]);
    ctx.records.terminated = true;
  }
  return answered({ service: "backoff", correlator: request.correlator, success: true });
};
