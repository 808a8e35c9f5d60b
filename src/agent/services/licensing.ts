// licensing: licence files named in `copy` are downloaded (their MD5 identifies them), then the model
// installs them, sets the boot level for the next reload, applies and deletes features. Success carries
// licensingInfo (total, successfull, failed, existing); failure carries errorInfo (1900/1901).

import type { LicensingRequest as ModelRequest } from "../model/index.js";
import { answered, errorInfo, fileRefText, modelReload, type ServiceHandler } from "./context.js";

export const licensingService: ServiceHandler<"licensing"> = async (ctx, request) => {
  const base = { service: "licensing", correlator: request.correlator } as const;
  const copies = await Promise.all(
    (request.copies ?? []).map(async (copy) => ({
      source: fileRefText(copy.source),
      clear: copy.clear,
      fetched: await ctx.fetchFile(copy.source),
    })),
  );
  const modelRequest: ModelRequest = { eulaAccepted: true, copies, reload: modelReload(request.reload) };
  if (request.level !== undefined) modelRequest.level = request.level;
  if (request.applyFeatures !== undefined) modelRequest.apply = request.applyFeatures;
  if (request.deleteFeatures !== undefined) modelRequest.delete = request.deleteFeatures;
  const result = ctx.model.licensing(modelRequest);
  if (!result.success) {
    return answered({
      ...base,
      success: false,
      errorInfo: errorInfo(result.error, "XSVC_ERROR_LCSG_INSTALL"),
    });
  }
  const { total, successful, failed, existing } = result.info;
  return {
    response: { ...base, success: true, licensingInfo: { total, successful, failed, existing } },
    reload: result.reload,
  };
};
