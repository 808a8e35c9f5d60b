// redirection: the new primary (and backup) server is recorded and acknowledged; SimulatedDevice then
// moves to the primary server (XMPP protocols) once the answer is written.

import { answered, type ServiceHandler } from "./context.js";

export const redirectionService: ServiceHandler<"redirection"> = (ctx, request) => {
  const { service: _service, correlator, ...redirection } = request;
  ctx.records.redirection = { request: redirection, at: Date.now() };
  return answered({ service: "redirection", correlator, success: true });
};
