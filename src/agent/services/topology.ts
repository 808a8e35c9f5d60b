// topology: the CDP neighbours the device sees now (a neighbour that is reloading is not seen).
// No errorInfo is defined for topology.

import { answered, type ServiceHandler } from "./context.js";

export const topologyService: ServiceHandler<"topology"> = (ctx, request) =>
  answered({
    service: "topology",
    correlator: request.correlator,
    success: true,
    neighbors: ctx.model.topology(),
  });
