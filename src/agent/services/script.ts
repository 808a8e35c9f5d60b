// script: an inline script, or one downloaded from its location/uri (only once the model accepts its
// type), is "run" by the model, which records it and returns what it printed. Response: errorInfo
// (2500–2522, ERROR), serviceLog, resultData.

import type { ScriptRequest as ModelRequest, ScriptSource } from "../model/index.js";
import { answered, errorInfo, type ServiceHandler, withFileOnDemand } from "./context.js";

export const scriptService: ServiceHandler<"script"> = async (ctx, request) => {
  const base = { service: "script", correlator: request.correlator } as const;
  const run = (source: ScriptSource) => {
    const modelRequest: ModelRequest = { source };
    if (request.arguments !== undefined) modelRequest.args = request.arguments;
    if (request.scriptType !== undefined) modelRequest.stype = request.scriptType;
    if (request.resultFile !== undefined) modelRequest.resultFile = request.resultFile;
    return ctx.model.runScript(modelRequest);
  };
  const source = request.source;
  const result =
    "inline" in source
      ? run({ kind: "inline", text: source.inline })
      : (
          await withFileOnDemand(
            (fetched) =>
              "location" in source
                ? run({ kind: "location", value: source.location, fetched })
                : run({ kind: "uri", value: source.uri, fetched }),
            () => ctx.fetchFile(source, { content: true }),
          )
        ).result;
  const log = result.serviceLog === "" ? {} : { serviceLog: result.serviceLog };
  const data = result.resultData === "" ? {} : { resultData: result.resultData };
  if (!result.success) {
    const failure = result.error ?? { code: 2502, message: "script failed" };
    return answered({ ...base, success: false, errorInfo: errorInfo(failure, "ERROR"), ...log, ...data });
  }
  return answered({ ...base, success: true, ...log, ...data });
};
