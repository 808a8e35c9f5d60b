// script (urn:cisco:pnp:script), §2.11, the "script-exec" service. Request: script[@maxWait @details
// @result_file @stype]/(copy/source/(location | uri | inline), arguments?). Inline scripts are XML-escaped
// by the serialiser and must stay under about 10 KB. We write `result_file` and `arguments` (the schema
// spellings); we read `resultFile` and `argument` too, as the XSD samples use them.
// Response: errorInfo (2500–2522, ERROR|WARNING), serviceLog?, resultData?.

import type { Element } from "ltx";
import { type BuildChild, checkOneOf, element, leaf, optionalDuration, requireNonEmpty } from "../build.js";
import { invalidBuild } from "../errors.js";
import { attributeOf, enumValue, type NamespaceReader, pathOf, textOf } from "../read.js";
import {
  buildErrorInfo,
  type DetailsLevel,
  detailsAttribute,
  type ErrorInfo,
  parseDetailsAttribute,
  parseErrorInfo,
  type ServiceCodec,
} from "./common.js";

export const SCRIPT_TYPES = ["tcl", "python"] as const;
export type ScriptType = (typeof SCRIPT_TYPES)[number];

/** Inline scripts "should be under 10 Kb" (XSD comment); we refuse to build larger ones. */
export const MAX_INLINE_SCRIPT_BYTES = 10 * 1024;

export type ScriptSource = { location: string } | { uri: string } | { inline: string };

export interface ScriptRequest {
  source: ScriptSource;
  /** One text element with the command-line arguments. */
  arguments?: string;
  /** xs:duration; the agent's default is PT3600S. */
  maxWait?: string;
  details?: DetailsLevel;
  resultFile?: string;
  /** @stype: tcl or python. */
  scriptType?: ScriptType;
}

export interface ScriptResponse {
  errorInfo?: ErrorInfo;
  serviceLog?: string;
  resultData?: string;
}

function buildSource(source: ScriptSource): Element {
  const kinds = (["location", "uri", "inline"] as const).filter((kind) => kind in source);
  const kind = kinds[0];
  if (kinds.length !== 1 || kind === undefined) {
    throw invalidBuild("script.source", "give exactly one of location, uri and inline");
  }
  const value = (source as Record<typeof kind, string>)[kind];
  if (kind === "inline" && Buffer.byteLength(value, "utf8") > MAX_INLINE_SCRIPT_BYTES) {
    throw invalidBuild(
      "script.source.inline",
      `must be under ${MAX_INLINE_SCRIPT_BYTES} bytes; use a location`,
    );
  }
  return element(kind, {}, requireNonEmpty(value, `script.source.${kind}`));
}

export const scriptCodec: ServiceCodec<ScriptRequest, ScriptResponse> = {
  errorInfo: "with-severity",

  buildRequest(request: ScriptRequest): BuildChild[] {
    return [
      element(
        "script",
        {
          maxWait: optionalDuration(request.maxWait, "script.maxWait"),
          details: detailsAttribute(request.details, "script.details"),
          result_file: request.resultFile,
          stype:
            request.scriptType === undefined
              ? undefined
              : checkOneOf(request.scriptType, SCRIPT_TYPES, "script.scriptType"),
        },
        element("copy", {}, element("source", {}, buildSource(request.source))),
        leaf("arguments", request.arguments),
      ),
    ];
  },

  parseRequest(request: Element, reader: NamespaceReader): ScriptRequest {
    const script = reader.requireChild(request, "script");
    const source = reader.requireChild(reader.requireChild(script, "copy"), "source");
    const picked = reader.requireChoice(source, ["location", "uri", "inline"] as const);
    const value = textOf(picked.element);
    const scriptSource: ScriptSource =
      picked.name === "inline"
        ? { inline: value }
        : picked.name === "location"
          ? { location: value.trim() }
          : { uri: value.trim() };
    const result: ScriptRequest = { source: scriptSource };
    const args = reader.text(script, "arguments") ?? reader.text(script, "argument");
    if (args !== undefined) result.arguments = args;
    const maxWait = attributeOf(script, "maxWait");
    if (maxWait !== undefined) result.maxWait = maxWait.trim();
    const details = parseDetailsAttribute(script);
    if (details !== undefined) result.details = details;
    const resultFile = attributeOf(script, "result_file") ?? attributeOf(script, "resultFile");
    if (resultFile !== undefined) result.resultFile = resultFile;
    const scriptType = attributeOf(script, "stype");
    if (scriptType !== undefined)
      result.scriptType = enumValue(scriptType, SCRIPT_TYPES, pathOf(script, "stype"));
    return result;
  },

  buildResponse(response: ScriptResponse): BuildChild[] {
    return [
      buildErrorInfo(response.errorInfo, true),
      leaf("serviceLog", response.serviceLog),
      leaf("resultData", response.resultData),
    ];
  },

  parseResponse(response: Element, reader: NamespaceReader): ScriptResponse {
    const result: ScriptResponse = {};
    const errorInfo = parseErrorInfo(reader, response, true);
    if (errorInfo !== undefined) result.errorInfo = errorInfo;
    const serviceLog = reader.text(response, "serviceLog");
    if (serviceLog !== undefined) result.serviceLog = serviceLog;
    const resultData = reader.text(response, "resultData");
    if (resultData !== undefined) result.resultData = resultData;
    return result;
  },
};
