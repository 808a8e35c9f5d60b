// licensing (urn:cisco:pnp:licensing), §2.10, the "license-install" service (there is no license-install
// namespace). Request: request/(licensing/(EULA[@accept="yes"], copy*/source/(location[@clear] |
// uri[@clear]), level?, apply?/feature+, delete?/feature{1..15}), (reload | noReload)). The EULA element
// is always written with accept="yes", the only value the XSD allows. Response: licensingInfo (the XSD
// spells its child "successfull") or errorInfo (1900/1901).

import type { Element } from "ltx";
import { type BuildChild, booleanText, checkInteger, element, leaf } from "../build.js";
import { invalidBuild } from "../errors.js";
import { booleanAttribute, type NamespaceReader } from "../read.js";
import {
  buildErrorInfo,
  buildFileRef,
  buildReloadChoice,
  type ErrorInfo,
  type FileRef,
  parseErrorInfo,
  parseFileRef,
  parseReloadChoice,
  type ReloadChoice,
  type ServiceCodec,
} from "./common.js";

export interface LicenseCopy {
  source: FileRef;
  /** `@clear` on location/uri; the XSD requires it although its own sample leaves it out. */
  clear: boolean;
}

export interface LicensingRequest {
  copies?: LicenseCopy[];
  /** Boot level, e.g. "network-advantage". */
  level?: string;
  applyFeatures?: string[];
  /** At most 15. */
  deleteFeatures?: string[];
  /** Required when building. */
  reload?: ReloadChoice;
}

export interface LicensingInfo {
  total: number;
  /** Wire name `successfull`. */
  successful: number;
  failed?: number;
  existing?: number;
}

export interface LicensingResponse {
  licensingInfo?: LicensingInfo;
  errorInfo?: ErrorInfo;
}

function featureList(name: string, features: string[] | undefined, max: number): Element | undefined {
  if (features === undefined || features.length === 0) return undefined;
  if (features.length > max) throw invalidBuild(`licensing.${name}`, `at most ${max} features`);
  return element(name, {}, ...features.map((feature) => leaf("feature", feature)));
}

export const licensingCodec: ServiceCodec<LicensingRequest, LicensingResponse> = {
  errorInfo: "with-severity",

  buildRequest(request: LicensingRequest): BuildChild[] {
    return [
      element(
        "licensing",
        {},
        element("EULA", { accept: "yes" }),
        ...(request.copies ?? []).map((copy, index) =>
          element(
            "copy",
            {},
            element(
              "source",
              {},
              buildFileRef(copy.source, `licensing.copies[${index}]`, {
                clear: booleanText(copy.clear) ?? "false",
              }),
            ),
          ),
        ),
        leaf("level", request.level),
        featureList("apply", request.applyFeatures, Number.MAX_SAFE_INTEGER),
        featureList("delete", request.deleteFeatures, 15),
      ),
      buildReloadChoice(request.reload, "licensing"),
    ];
  },

  parseRequest(request: Element, reader: NamespaceReader): LicensingRequest {
    const licensing = reader.requireChild(request, "licensing");
    const result: LicensingRequest = {};
    const copies = reader.children(licensing, "copy").map((copy): LicenseCopy => {
      const source = reader.requireChild(copy, "source");
      const ref = reader.requireChoice(source, ["location", "uri"] as const);
      return { source: parseFileRef(reader, source), clear: booleanAttribute(ref.element, "clear") ?? false };
    });
    if (copies.length > 0) result.copies = copies;
    const level = reader.text(licensing, "level");
    if (level !== undefined) result.level = level;
    const apply = reader.child(licensing, "apply");
    if (apply !== undefined) result.applyFeatures = reader.texts(apply, "feature");
    const remove = reader.child(licensing, "delete");
    if (remove !== undefined) result.deleteFeatures = reader.texts(remove, "feature");
    const reload = parseReloadChoice(reader, request);
    if (reload !== undefined) result.reload = reload;
    return result;
  },

  buildResponse(response: LicensingResponse): BuildChild[] {
    const info = response.licensingInfo;
    if (info !== undefined && response.errorInfo !== undefined) {
      throw invalidBuild("licensing response", "carries licensingInfo or errorInfo, not both");
    }
    return [
      info === undefined
        ? undefined
        : element(
            "licensingInfo",
            {},
            leaf("total", checkInteger(info.total, 0, Number.MAX_SAFE_INTEGER, "licensingInfo.total")),
            leaf(
              "successfull",
              checkInteger(info.successful, 0, Number.MAX_SAFE_INTEGER, "licensingInfo.successful"),
            ),
            info.failed === undefined
              ? undefined
              : leaf("failed", checkInteger(info.failed, 0, Number.MAX_SAFE_INTEGER, "licensingInfo.failed")),
            info.existing === undefined
              ? undefined
              : leaf(
                  "existing",
                  checkInteger(info.existing, 0, Number.MAX_SAFE_INTEGER, "licensingInfo.existing"),
                ),
          ),
      buildErrorInfo(response.errorInfo, true),
    ];
  },

  parseResponse(response: Element, reader: NamespaceReader): LicensingResponse {
    const result: LicensingResponse = {};
    const info = reader.child(response, "licensingInfo");
    if (info !== undefined) {
      const licensingInfo: LicensingInfo = {
        total: reader.integer(info, "total") ?? 0,
        successful: reader.integer(info, "successfull") ?? reader.integer(info, "successful") ?? 0,
      };
      const failed = reader.integer(info, "failed");
      if (failed !== undefined) licensingInfo.failed = failed;
      const existing = reader.integer(info, "existing");
      if (existing !== undefined) licensingInfo.existing = existing;
      result.licensingInfo = licensingInfo;
    }
    const errorInfo = parseErrorInfo(reader, response, true);
    if (errorInfo !== undefined) result.errorInfo = errorInfo;
    return result;
  },
};
