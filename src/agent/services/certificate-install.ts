// certificate-install: trustpool and trustpoint installs and removals are recorded (source, label, time),
// with the clock setting and the reconnect target, and acknowledged. No certificate is downloaded.

import { answered, type ServiceHandler } from "./context.js";

export const DEFAULT_TRUSTPOINT_LABEL = "pnp-trustpoint";

export const certificateInstallService: ServiceHandler<"certificate-install"> = (ctx, request) => {
  ctx.records.certificates ??= {};
  const certificates = ctx.records.certificates;
  const at = Date.now();
  const action = request.action;
  if (action.operation === "install") {
    if (action.store === "trustpool") certificates.trustpool = { source: action.source, at };
    else {
      certificates.trustpoints ??= {};
      certificates.trustpoints[action.label ?? DEFAULT_TRUSTPOINT_LABEL] = { source: action.source, at };
    }
  } else if (action.store === "trustpool") {
    delete certificates.trustpool;
  } else if (certificates.trustpoints) {
    delete certificates.trustpoints[action.label];
  }
  if (request.setClock !== undefined) certificates.clock = request.setClock;
  if (request.reconnect !== undefined) certificates.reconnect = request.reconnect;
  return answered({ service: "certificate-install", correlator: request.correlator, success: true });
};
