// config-upgrade: the configuration file named by the request is downloaded (only when the model gets
// that far), checked against its MD5 checksum, and copied to startup-config or merged into running-config;
// a reload asked for in the request becomes the glue's reboot. Codes 1400–1424, severity XSVC_ERROR.

import type { ConfigUpgradeRequest as ModelRequest } from "../model/index.js";
import { errorInfo, fileRefText, modelReload, type ServiceHandler, withFileOnDemand } from "./context.js";

export const configUpgradeService: ServiceHandler<"config-upgrade"> = async (ctx, request) => {
  const base = { service: "config-upgrade", correlator: request.correlator } as const;
  const source = fileRefText(request.source);
  const { result } = await withFileOnDemand(
    (fetched) => {
      const modelRequest: ModelRequest = { source, fetched, reload: modelReload(request.reload) };
      if (request.checksum !== undefined) modelRequest.checksum = request.checksum;
      if (request.applyTo !== undefined) modelRequest.applyTo = request.applyTo;
      if (request.abortOnSyntaxFault !== undefined)
        modelRequest.abortOnSyntaxFault = request.abortOnSyntaxFault;
      return ctx.model.configUpgrade(modelRequest);
    },
    () => ctx.fetchFile(request.source, { content: true }),
  );
  const serviceLog = result.serviceLog === "" ? {} : { serviceLog: result.serviceLog };
  if (!result.success) {
    const failure = result.error ?? { code: 1400, message: "configuration upgrade failed" };
    return {
      response: { ...base, success: false, errorInfo: errorInfo(failure, "XSVC_ERROR"), ...serviceLog },
      reload: null,
    };
  }
  return { response: { ...base, success: true, ...serviceLog }, reload: result.reload };
};
