// reload: the request is checked first (saveConfig with eraseConfig, delay range, a bootable image);
// a valid one is acknowledged and becomes the glue's reboot after the response went out: disconnect,
// wait delayIn plus the boot time, reload the model, log in again. Codes 2400–2406, severity ERROR.

import type { ReloadRequest as ModelRequest } from "../model/index.js";
import { answered, errorInfo, type ServiceHandler } from "./context.js";

export const reloadService: ServiceHandler<"reload"> = (ctx, request) => {
  const base = { service: "reload", correlator: request.correlator } as const;
  const modelRequest: ModelRequest = {};
  if (request.reason !== undefined) modelRequest.reason = request.reason;
  if (request.delayIn !== undefined) modelRequest.delaySeconds = request.delayIn;
  if (request.user !== undefined) modelRequest.user = request.user;
  if (request.saveConfig !== undefined) modelRequest.saveConfig = request.saveConfig;
  if (request.eraseConfig !== undefined) modelRequest.eraseConfig = request.eraseConfig;
  const invalid = ctx.model.validateReload(modelRequest);
  if (invalid !== undefined)
    return answered({ ...base, success: false, errorInfo: errorInfo(invalid, "ERROR") });
  return {
    response: { ...base, success: true },
    reload: {
      delaySeconds: Math.max(0, Math.floor(request.delayIn ?? 0)),
      reason: request.reason ?? "PnP reload",
      saveConfig: request.saveConfig === true,
      eraseConfig: request.eraseConfig === true,
    },
  };
};
