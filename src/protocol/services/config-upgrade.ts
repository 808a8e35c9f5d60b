// config-upgrade (urn:cisco:pnp:config-upgrade), §2.7: request/(config[@details]/copy/(source/((location |
// uri), checksum?), applyTo?, abortOnSyntaxFault?), (reload | noReload)). applyTo and abortOnSyntaxFault sit
// inside copy after source; reload/noReload is a sibling of config (§6 item 12). Without applyTo the agent
// writes startup-config, so noReload leaves the running config untouched. abortOnSyntaxFault is formally
// required by the XSD but field servers omit it, so it is optional here.

import type { Element } from "ltx";
import { type BuildChild, checkOneOf, element, flag, leaf } from "../build.js";
import { enumValue, type NamespaceReader, pathOf } from "../read.js";
import {
  buildCheckedSource,
  buildErrorInfo,
  buildReloadChoice,
  type DetailsLevel,
  detailsAttribute,
  type ErrorInfo,
  type FileRef,
  parseCheckedSource,
  parseDetailsAttribute,
  parseErrorInfo,
  parseReloadChoice,
  type ReloadChoice,
  type ServiceCodec,
} from "./common.js";

export const APPLY_TO_TARGETS = ["startup", "running", "AP"] as const;
export type ApplyTo = (typeof APPLY_TO_TARGETS)[number];

export interface ConfigUpgradeRequest {
  details?: DetailsLevel;
  source: FileRef;
  /** MD5 hex of the file. */
  checksum?: string;
  applyTo?: ApplyTo;
  abortOnSyntaxFault?: boolean;
  /** Required when building; undefined only when a server sent neither. */
  reload?: ReloadChoice;
}

export interface ConfigUpgradeResponse {
  errorInfo?: ErrorInfo;
  /** Raw VTY output of the copy. */
  serviceLog?: string;
}

export const configUpgradeCodec: ServiceCodec<ConfigUpgradeRequest, ConfigUpgradeResponse> = {
  errorInfo: "with-severity",
  allowsReloadAttributes: true,

  buildRequest(request: ConfigUpgradeRequest): BuildChild[] {
    return [
      element(
        "config",
        { details: detailsAttribute(request.details, "config.details") },
        element(
          "copy",
          {},
          buildCheckedSource(request.source, request.checksum, "config.source"),
          leaf(
            "applyTo",
            request.applyTo === undefined
              ? undefined
              : checkOneOf(request.applyTo, APPLY_TO_TARGETS, "config.applyTo"),
          ),
          flag("abortOnSyntaxFault", request.abortOnSyntaxFault),
        ),
      ),
      buildReloadChoice(request.reload, "config-upgrade"),
    ];
  },

  parseRequest(request: Element, reader: NamespaceReader): ConfigUpgradeRequest {
    const config = reader.requireChild(request, "config");
    const copy = reader.requireChild(config, "copy");
    const result: ConfigUpgradeRequest = { ...parseCheckedSource(reader, copy) };
    const details = parseDetailsAttribute(config);
    if (details !== undefined) result.details = details;
    const applyTo = reader.child(copy, "applyTo");
    if (applyTo !== undefined)
      result.applyTo = enumValue(applyTo.getText(), APPLY_TO_TARGETS, pathOf(applyTo));
    if (reader.child(copy, "abortOnSyntaxFault") !== undefined) result.abortOnSyntaxFault = true;
    const reload = parseReloadChoice(reader, request);
    if (reload !== undefined) result.reload = reload;
    return result;
  },

  buildResponse(response: ConfigUpgradeResponse): BuildChild[] {
    return [buildErrorInfo(response.errorInfo, true), leaf("serviceLog", response.serviceLog)];
  },

  parseResponse(response: Element, reader: NamespaceReader): ConfigUpgradeResponse {
    const result: ConfigUpgradeResponse = {};
    const errorInfo = parseErrorInfo(reader, response, true);
    if (errorInfo !== undefined) result.errorInfo = errorInfo;
    const serviceLog = reader.text(response, "serviceLog");
    if (serviceLog !== undefined) result.serviceLog = serviceLog;
    return result;
  },
};
