// device-info: the model's inventory sections for the requested type, or errorInfo (1600–1618).

import { answered, errorInfo, type ServiceHandler } from "./context.js";

export const deviceInfoService: ServiceHandler<"device-info"> = (ctx, request) => {
  const result = ctx.model.deviceInfo(request.type);
  const base = { service: "device-info", correlator: request.correlator } as const;
  if (result.success) return answered({ ...base, success: true, deviceInfo: result.data });
  return answered({
    ...base,
    success: false,
    deviceInfo: {},
    errorInfo: errorInfo(result.error, "XSVC_ERROR"),
  });
};
