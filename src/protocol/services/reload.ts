// reload (urn:cisco:pnp:reload), §2.15: request/reload/(reason?, delayIn? 0..2147483 s, user?,
// (saveConfig | eraseConfig)?). The delay lets the response reach the server before the device goes down.
// Response: errorInfo (2400–2406, ERROR|WARNING|INFO).

import type { Element } from "ltx";
import { type BuildChild, booleanText, element, leaf, optionalInteger } from "../build.js";
import { invalidBuild } from "../errors.js";
import type { NamespaceReader } from "../read.js";
import { buildErrorInfo, type ErrorInfo, parseErrorInfo, type ServiceCodec } from "./common.js";

export interface ReloadRequest {
  reason?: string;
  /** Seconds, 0–2147483. */
  delayIn?: number;
  user?: string;
  /** Mutually exclusive with eraseConfig. */
  saveConfig?: boolean;
  eraseConfig?: boolean;
}

export interface ReloadResponse {
  errorInfo?: ErrorInfo;
}

export const reloadCodec: ServiceCodec<ReloadRequest, ReloadResponse> = {
  errorInfo: "with-severity",

  buildRequest(request: ReloadRequest): BuildChild[] {
    if (request.saveConfig !== undefined && request.eraseConfig !== undefined) {
      throw invalidBuild("reload", "saveConfig and eraseConfig are mutually exclusive");
    }
    return [
      element(
        "reload",
        {},
        leaf("reason", request.reason),
        leaf("delayIn", optionalInteger(request.delayIn, 0, 2_147_483, "reload.delayIn")),
        leaf("user", request.user),
        leaf("saveConfig", booleanText(request.saveConfig)),
        leaf("eraseConfig", booleanText(request.eraseConfig)),
      ),
    ];
  },

  parseRequest(request: Element, reader: NamespaceReader): ReloadRequest {
    const reload = reader.requireChild(request, "reload");
    const result: ReloadRequest = {};
    const reason = reader.text(reload, "reason");
    if (reason !== undefined) result.reason = reason;
    const delayIn = reader.integer(reload, "delayIn");
    if (delayIn !== undefined) result.delayIn = delayIn;
    const user = reader.text(reload, "user");
    if (user !== undefined) result.user = user;
    const picked = reader.choice(reload, ["saveConfig", "eraseConfig"] as const);
    if (picked !== undefined) {
      const value = reader.boolean(reload, picked.name);
      if (value !== undefined) result[picked.name] = value;
    }
    return result;
  },

  buildResponse(response: ReloadResponse): BuildChild[] {
    return [buildErrorInfo(response.errorInfo, true)];
  },

  parseResponse(response: Element, reader: NamespaceReader): ReloadResponse {
    const errorInfo = parseErrorInfo(reader, response, true);
    return errorInfo === undefined ? {} : { errorInfo };
  },
};
