// cli-config: configApply (with action-on-fail continue, stop or rollback), configTest (syntax only) and
// configPersist (copy running-config startup-config), one resultEntry per line. errorInfo of cli-config
// has no errorSeverity. continue answers success="1" even when lines failed, as the XSD says.

import { answered, errorInfoWithoutSeverity, resultEntry, type ServiceHandler } from "./context.js";

export const cliConfigService: ServiceHandler<"cli-config"> = (ctx, request) => {
  const base = { service: "cli-config", correlator: request.correlator } as const;
  switch (request.operation) {
    case "configApply": {
      const input = request.data.kind === "commands" ? request.data.commands : request.data.block;
      const result = ctx.model.applyConfig(
        input,
        request.actionOnFail === undefined ? {} : { actionOnFail: request.actionOnFail },
      );
      const resultEntries = result.lines.map(resultEntry);
      if (!result.success) {
        const error = errorInfoWithoutSeverity(
          result.error ?? { code: 1200, message: "configuration failed" },
        );
        return answered({ ...base, success: false, errorInfo: error, resultEntries });
      }
      return answered({ ...base, success: true, resultEntries });
    }
    case "configTest": {
      const input = request.data.kind === "commands" ? request.data.commands : request.data.block;
      const result = ctx.model.configTest(input);
      return answered({ ...base, success: true, resultEntries: result.lines.map(resultEntry) });
    }
    case "configPersist": {
      const result = ctx.model.configPersist();
      const cliString = "copy running-config startup-config";
      if (!result.success) {
        return answered({
          ...base,
          success: false,
          errorInfo: errorInfoWithoutSeverity(result.error),
          resultEntries: [
            {
              lineNumber: 1,
              cliString,
              outcome: { kind: "failure", errorType: "PERMANENT" },
              text: result.output,
            },
          ],
        });
      }
      return answered({
        ...base,
        success: true,
        resultEntries: [
          {
            lineNumber: 1,
            cliString,
            outcome: { kind: "success", change: "CHANGE", mode: "IMMEDIATE" },
            text: result.output,
          },
        ],
      });
    }
  }
};
