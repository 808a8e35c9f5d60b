// cli-config (urn:cisco:pnp:cli-config), §2.5: the "config-apply" service. The request holds exactly one
// of configApply, configTest or configPersist: configPersist is a separate request, never a sibling of
// configApply (§6 item 11). Response: errorInfo without errorSeverity (1200–1202), then resultEntry*.
// configExt (JSON for APs) is not modelled; reading it raises PNP_MSG_INVALID.

import type { Element } from "ltx";
import { type BuildChild, checkOneOf, element } from "../build.js";
import { invalidBuild } from "../errors.js";
import { attributeOf, enumValue, type NamespaceReader, pathOf } from "../read.js";
import {
  buildCliData,
  buildErrorInfo,
  buildResultEntry,
  type CliData,
  type DetailsLevel,
  detailsAttribute,
  type ErrorInfoWithoutSeverity,
  parseCliData,
  parseDetailsAttribute,
  parseErrorInfo,
  parseResultEntry,
  type ResultEntry,
  type ServiceCodec,
} from "./common.js";

export const ACTIONS_ON_FAIL = ["continue", "stop", "rollback"] as const;
/** continue (the agent's default, which still answers success="1"), stop, or rollback (needs `archive`). */
export type ActionOnFail = (typeof ACTIONS_ON_FAIL)[number];

export type CliConfigRequest =
  | { operation: "configApply"; data: CliData; details?: DetailsLevel; actionOnFail?: ActionOnFail }
  | { operation: "configTest"; data: CliData; details?: DetailsLevel }
  /** copy running-config startup-config. */
  | { operation: "configPersist" };

export interface CliConfigResponse {
  errorInfo?: ErrorInfoWithoutSeverity;
  resultEntries?: ResultEntry[];
}

export const cliConfigCodec: ServiceCodec<CliConfigRequest, CliConfigResponse> = {
  errorInfo: "without-severity",
  allowsReloadAttributes: true,

  buildRequest(request: CliConfigRequest): BuildChild[] {
    switch (request.operation) {
      case "configApply":
        return [
          element(
            "configApply",
            {
              details: detailsAttribute(request.details, "configApply.details"),
              "action-on-fail":
                request.actionOnFail === undefined
                  ? undefined
                  : checkOneOf(request.actionOnFail, ACTIONS_ON_FAIL, "configApply.actionOnFail"),
            },
            buildCliData("config-data", "cli-config-data", request.data, "configApply.data"),
          ),
        ];
      case "configTest":
        return [
          element(
            "configTest",
            { details: detailsAttribute(request.details, "configTest.details") },
            buildCliData("config-data", "cli-config-data", request.data, "configTest.data"),
          ),
        ];
      case "configPersist":
        return [element("configPersist")];
      default:
        throw invalidBuild("cli-config.operation", "must be configApply, configTest or configPersist");
    }
  },

  parseRequest(request: Element, reader: NamespaceReader): CliConfigRequest {
    const picked = reader.requireChoice(request, ["configApply", "configTest", "configPersist"] as const);
    const operation = picked.element;
    switch (picked.name) {
      case "configPersist":
        return { operation: "configPersist" };
      case "configTest": {
        const result: CliConfigRequest = {
          operation: "configTest",
          data: parseCliData(reader, operation, "config-data", "cli-config-data"),
        };
        const details = parseDetailsAttribute(operation);
        if (details !== undefined) result.details = details;
        return result;
      }
      case "configApply": {
        const result: CliConfigRequest = {
          operation: "configApply",
          data: parseCliData(reader, operation, "config-data", "cli-config-data"),
        };
        const details = parseDetailsAttribute(operation);
        if (details !== undefined) result.details = details;
        const actionOnFail = attributeOf(operation, "action-on-fail");
        if (actionOnFail !== undefined) {
          result.actionOnFail = enumValue(actionOnFail, ACTIONS_ON_FAIL, pathOf(operation, "action-on-fail"));
        }
        return result;
      }
    }
  },

  buildResponse(response: CliConfigResponse): BuildChild[] {
    return [
      buildErrorInfo(response.errorInfo, false),
      ...(response.resultEntries ?? []).map((entry) => buildResultEntry(entry, "resultEntries")),
    ];
  },

  parseResponse(response: Element, reader: NamespaceReader): CliConfigResponse {
    const result: CliConfigResponse = {};
    const errorInfo = parseErrorInfo(reader, response, false);
    if (errorInfo !== undefined) result.errorInfo = errorInfo;
    const entries = reader.children(response, "resultEntry");
    if (entries.length > 0) result.resultEntries = entries.map((entry) => parseResultEntry(reader, entry));
    return result;
  },
};
