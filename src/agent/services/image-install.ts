// image-install, following the agent guide's checksum rules: a checksum equal to the running image's is
// answered 1817 at once, without downloading (success="0" with errorInfo, as Cisco does; the model marks it
// non-fatal); otherwise the image is streamed through MD5 and its real size and hash go to the model,
// which checks space (1825), verifies the checksum (1816) and sets the boot variable. A bad image type
// (1806) or destination is refused before any download. Severity XSVC_ERROR.

import type { ImageInstallRequest as ModelRequest } from "../model/index.js";
import { errorInfo, fileRefText, modelReload, type ServiceHandler, withFileOnDemand } from "./context.js";

export const imageInstallService: ServiceHandler<"image-install"> = async (ctx, request) => {
  const base = { service: "image-install", correlator: request.correlator } as const;
  const modelRequest: ModelRequest = {
    source: fileRefText(request.source),
    reload: modelReload(request.reload),
  };
  if (request.checksum !== undefined) modelRequest.checksum = request.checksum;
  if (request.destination !== undefined) modelRequest.destination = fileRefText(request.destination);
  const result = ctx.model.imageAlreadyRunning(request.checksum)
    ? ctx.model.installImage(modelRequest, { ok: false, reason: "unreachable", message: "not fetched" })
    : (
        await withFileOnDemand(
          (fetched) => ctx.model.installImage(modelRequest, fetched),
          () => ctx.fetchFile(request.source),
        )
      ).result;
  if (!result.success) {
    const failure = result.error ?? { code: 1800, message: "image install failed" };
    return {
      response: { ...base, success: false, errorInfo: errorInfo(failure, "XSVC_ERROR") },
      reload: null,
    };
  }
  return { response: { ...base, success: true }, reload: result.reload };
};
