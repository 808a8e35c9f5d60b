// Wire pieces several services share: errorInfo, file locations, the reload/noReload choice, CLI result
// entries, server addresses, and the per-service codec contract.

import type { Element } from "ltx";
import {
  type BuildChild,
  booleanText,
  checkInteger,
  checkOneOf,
  element,
  leaf,
  optionalInteger,
  requireNonEmpty,
} from "../build.js";
import { invalidBuild } from "../errors.js";
import {
  attributeOf,
  enumValue,
  type NamespaceReader,
  parseIntegerValue,
  pathOf,
  requireAttribute,
  textOf,
} from "../read.js";

// ---------------------------------------------------------------------------------------------------
// errorInfo (§1.4)

export interface ErrorInfo {
  /** errorSeverity; its vocabulary differs per service. cli-config and cli-exec have none. */
  severity?: string;
  /** errorCode, a string such as "PnP Service Error 1609". */
  code: string;
  /** errorMessage, free text. */
  message: string;
}

/** errorInfo of cli-config and cli-exec, which have no errorSeverity (§1.4). */
export type ErrorInfoWithoutSeverity = Omit<ErrorInfo, "severity">;

const ERROR_CODE = /^PnP Service (?:Error|Info) \d+$/;

/** "PnP Service Error NNNN" for a numeric code. */
export function pnpErrorCode(code: number): string {
  return `PnP Service Error ${checkInteger(code, 0, 9999, "errorCode")}`;
}

/** The number in "PnP Service Error 1817" (or "PnP Service Info 2408"); undefined for other codes. */
export function errorCodeNumber(code: string): number | undefined {
  const match = /^PnP Service (?:Error|Info) (\d+)$/.exec(code.trim());
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function buildErrorInfo(info: ErrorInfo | undefined, withSeverity: boolean): Element | undefined {
  if (info === undefined) return undefined;
  if (!ERROR_CODE.test(info.code)) {
    throw invalidBuild("errorInfo.code", `"${info.code}" is not of the form "PnP Service Error NNNN"`);
  }
  if (withSeverity) requireNonEmpty(info.severity, "errorInfo.severity");
  return element(
    "errorInfo",
    {},
    withSeverity ? leaf("errorSeverity", info.severity) : undefined,
    leaf("errorCode", info.code),
    leaf("errorMessage", info.message),
  );
}

export function parseErrorInfo(
  reader: NamespaceReader,
  parent: Element,
  withSeverity: boolean,
): ErrorInfo | undefined {
  const found = reader.child(parent, "errorInfo");
  if (found === undefined) return undefined;
  const info: ErrorInfo = {
    code: reader.textOrEmpty(found, "errorCode").trim(),
    message: reader.textOrEmpty(found, "errorMessage"),
  };
  const severity = reader.text(found, "errorSeverity");
  if (withSeverity && severity !== undefined) info.severity = severity.trim();
  return info;
}

// ---------------------------------------------------------------------------------------------------
// location | uri

/** A file by URL (`location`, e.g. http://…, tftp://…, bootflash:) or by path on the PnP server (`uri`). */
export type FileRef = { location: string } | { uri: string };

export function buildFileRef(ref: FileRef, what: string, attributes: Record<string, string> = {}): Element {
  const hasLocation = "location" in ref;
  const hasUri = "uri" in ref;
  if (hasLocation === hasUri) throw invalidBuild(what, "give exactly one of location and uri");
  return hasLocation
    ? element("location", attributes, requireNonEmpty(ref.location, `${what}.location`))
    : element("uri", attributes, requireNonEmpty(ref.uri, `${what}.uri`));
}

/** Reads `location` or `uri` under `parent`. */
export function parseFileRef(reader: NamespaceReader, parent: Element): FileRef {
  const picked = reader.requireChoice(parent, ["location", "uri"] as const);
  const value = textOf(picked.element).trim();
  return picked.name === "location" ? { location: value } : { uri: value };
}

/** source/((location | uri), checksum?), used by config-upgrade and image-install (checksum is MD5 hex). */
export function buildCheckedSource(source: FileRef, checksum: string | undefined, what: string): Element {
  return element("source", {}, buildFileRef(source, what), leaf("checksum", checksum));
}

export function parseCheckedSource(
  reader: NamespaceReader,
  copy: Element,
): { source: FileRef; checksum?: string } {
  const sourceElement = reader.requireChild(copy, "source");
  const result: { source: FileRef; checksum?: string } = { source: parseFileRef(reader, sourceElement) };
  const checksum = reader.text(sourceElement, "checksum");
  if (checksum !== undefined) result.checksum = checksum.trim();
  return result;
}

// ---------------------------------------------------------------------------------------------------
// reload | noReload, the sibling after config / image / licensing (§2.7, §6 item 12)

export type ReloadChoice =
  | { kind: "noReload" }
  | { kind: "reload"; reason?: string; delayIn?: number; user?: string; saveConfig?: boolean };

export function buildReloadChoice(choice: ReloadChoice | undefined, what: string): Element {
  if (choice === undefined) throw invalidBuild(what, "reload or noReload is required after the body");
  if (choice.kind === "noReload") return element("noReload");
  return element(
    "reload",
    {},
    leaf("reason", choice.reason),
    leaf("delayIn", optionalInteger(choice.delayIn, 0, 2_147_483_647, `${what}.delayIn`)),
    leaf("user", choice.user),
    leaf("saveConfig", booleanText(choice.saveConfig)),
  );
}

/** Lenient: undefined when the server sent neither (IANZ omits both for image-install, §2.8). */
export function parseReloadChoice(reader: NamespaceReader, parent: Element): ReloadChoice | undefined {
  const picked = reader.choice(parent, ["reload", "noReload"] as const);
  if (picked === undefined) return undefined;
  if (picked.name === "noReload") return { kind: "noReload" };
  const reload = picked.element;
  const choice: ReloadChoice = { kind: "reload" };
  const reason = reader.text(reload, "reason");
  if (reason !== undefined) choice.reason = reason;
  const delayIn = reader.integer(reload, "delayIn");
  if (delayIn !== undefined) choice.delayIn = delayIn;
  const user = reader.text(reload, "user");
  if (user !== undefined) choice.user = user;
  const saveConfig = reader.boolean(reload, "saveConfig");
  if (saveConfig !== undefined) choice.saveConfig = saveConfig;
  return choice;
}

// ---------------------------------------------------------------------------------------------------
// `details` attribute: how much service log the agent collects

export const DETAILS_LEVELS = ["brief", "errors", "all"] as const;
export type DetailsLevel = (typeof DETAILS_LEVELS)[number];

export function detailsAttribute(details: DetailsLevel | undefined, what: string): string | undefined {
  return details === undefined ? undefined : checkOneOf(details, DETAILS_LEVELS, what);
}

export function parseDetailsAttribute(owner: Element): DetailsLevel | undefined {
  const value = attributeOf(owner, "details");
  return value === undefined ? undefined : enumValue(value, DETAILS_LEVELS, pathOf(owner, "details"));
}

// ---------------------------------------------------------------------------------------------------
// resultEntry, shared by cli-config and cli-exec (§2.5)

export type ResultOutcome =
  | { kind: "success"; change?: "CHANGE" | "NO_CHANGE"; mode?: "IMMEDIATE" | "DEFERRED" | "TEST" }
  | { kind: "failure"; errorType?: "TEMPORARY" | "PERMANENT"; errorCode?: string }
  | { kind: "invalid" }
  | { kind: "notExecuted" };

export interface ResultEntry {
  lineNumber: number;
  cliString?: string;
  outcome: ResultOutcome;
  /** The command output (`text`). */
  text?: string;
}

const CHANGE_VALUES = ["CHANGE", "NO_CHANGE"] as const;
const MODE_VALUES = ["IMMEDIATE", "DEFERRED", "TEST"] as const;
const ERROR_TYPE_VALUES = ["TEMPORARY", "PERMANENT"] as const;

export function buildResultEntry(entry: ResultEntry, what: string): Element {
  const outcome = entry.outcome;
  let outcomeElement: Element;
  switch (outcome.kind) {
    case "success":
      outcomeElement = element("success", {
        change: outcome.change === undefined ? undefined : checkOneOf(outcome.change, CHANGE_VALUES, what),
        mode: outcome.mode === undefined ? undefined : checkOneOf(outcome.mode, MODE_VALUES, what),
      });
      break;
    case "failure":
      outcomeElement = element("failure", {
        errorType:
          outcome.errorType === undefined
            ? undefined
            : checkOneOf(outcome.errorType, ERROR_TYPE_VALUES, what),
        errorCode: outcome.errorCode,
      });
      break;
    case "invalid":
      outcomeElement = element("invalid");
      break;
    case "notExecuted":
      outcomeElement = element("notExecuted");
      break;
  }
  return element(
    "resultEntry",
    {
      lineNumber: checkInteger(entry.lineNumber, 0, Number.MAX_SAFE_INTEGER, `${what}.lineNumber`),
      cliString: entry.cliString,
    },
    outcomeElement,
    leaf("text", entry.text),
  );
}

export function parseResultEntry(reader: NamespaceReader, entry: Element): ResultEntry {
  const lineNumber = parseIntegerValue(requireAttribute(entry, "lineNumber"), pathOf(entry, "lineNumber"));
  const picked = reader.requireChoice(entry, ["success", "failure", "invalid", "notExecuted"] as const);
  let outcome: ResultOutcome;
  const outcomeElement = picked.element;
  switch (picked.name) {
    case "success": {
      const success: ResultOutcome = { kind: "success" };
      const change = attributeOf(outcomeElement, "change");
      if (change !== undefined)
        success.change = enumValue(change, CHANGE_VALUES, pathOf(outcomeElement, "change"));
      const mode = attributeOf(outcomeElement, "mode");
      if (mode !== undefined) success.mode = enumValue(mode, MODE_VALUES, pathOf(outcomeElement, "mode"));
      outcome = success;
      break;
    }
    case "failure": {
      const failure: ResultOutcome = { kind: "failure" };
      const errorType = attributeOf(outcomeElement, "errorType");
      if (errorType !== undefined) {
        failure.errorType = enumValue(errorType, ERROR_TYPE_VALUES, pathOf(outcomeElement, "errorType"));
      }
      const errorCode = attributeOf(outcomeElement, "errorCode");
      if (errorCode !== undefined) failure.errorCode = errorCode;
      outcome = failure;
      break;
    }
    case "invalid":
      outcome = { kind: "invalid" };
      break;
    case "notExecuted":
      outcome = { kind: "notExecuted" };
      break;
  }
  const result: ResultEntry = { lineNumber, outcome };
  const cliString = attributeOf(entry, "cliString");
  if (cliString !== undefined) result.cliString = cliString;
  const text = reader.text(entry, "text");
  if (text !== undefined) result.text = text;
  return result;
}

// ---------------------------------------------------------------------------------------------------
// config-data / exec-data, shared by cli-config and cli-exec

/** Commands as one element per line, or as one multi-line block. */
export type CliData = { kind: "commands"; commands: string[] } | { kind: "block"; block: string };

/** `<wrapper><dataName><cmd>…</cmd>…</dataName></wrapper>` or `<wrapper><dataName-block>…</dataName-block></wrapper>`. */
export function buildCliData(wrapper: string, dataName: string, data: CliData, what: string): Element {
  if (data.kind === "commands") {
    if (data.commands.length === 0) throw invalidBuild(`${what}.commands`, "needs at least one command");
    return element(
      wrapper,
      {},
      element(dataName, {}, ...data.commands.map((command) => leaf("cmd", command))),
    );
  }
  if (data.kind === "block")
    return element(wrapper, {}, leaf(`${dataName}-block`, requireNonEmpty(data.block, what)));
  throw invalidBuild(what, "kind must be commands or block");
}

export function parseCliData(
  reader: NamespaceReader,
  owner: Element,
  wrapper: string,
  dataName: string,
): CliData {
  const data = reader.requireChild(owner, wrapper);
  const picked = reader.requireChoice(data, [dataName, `${dataName}-block`]);
  if (picked.name === dataName) return { kind: "commands", commands: reader.texts(picked.element, "cmd") };
  return { kind: "block", block: textOf(picked.element) };
}

// ---------------------------------------------------------------------------------------------------
// server-address/((ipv4 | ipv6 | host), port?), used by device-info profiles, redirection, certificate-install

export interface ServerAddress {
  kind: "ipv4" | "ipv6" | "host";
  value: string;
}

const ADDRESS_KINDS = ["ipv4", "ipv6", "host"] as const;

export function buildServerAddress(address: ServerAddress, port: number | undefined, what: string): Element {
  return element(
    "server-address",
    {},
    element(
      checkOneOf(address.kind, ADDRESS_KINDS, `${what}.kind`),
      {},
      requireNonEmpty(address.value, what),
    ),
    port === undefined ? undefined : leaf("port", checkInteger(port, 1, 65535, `${what}.port`)),
  );
}

export function parseServerAddress(
  reader: NamespaceReader,
  serverAddress: Element,
): { address: ServerAddress; port?: number } {
  const picked = reader.requireChoice(serverAddress, ADDRESS_KINDS);
  const result: { address: ServerAddress; port?: number } = {
    address: { kind: picked.name, value: textOf(picked.element).trim() },
  };
  const port = reader.integer(serverAddress, "port");
  if (port !== undefined) result.port = port;
  return result;
}

// ---------------------------------------------------------------------------------------------------
// The contract each service module fulfils. Bodies exclude `service` and `correlator`; the envelope and
// the request/response element are written and read by codec.ts.

export type ErrorInfoStyle = "with-severity" | "without-severity" | "none";

export interface ServiceCodec<Request, Response> {
  /** Whether `response` may carry a top-level errorInfo, and with or without errorSeverity. */
  readonly errorInfo: ErrorInfoStyle;
  /** redirection and certificate-install declare the request correlator optional (§1.2). */
  readonly correlatorOptional?: boolean;
  /** Only these services may carry noCheckTime/postReloadPriv on `pnp` (§1.1). */
  readonly allowsReloadAttributes?: boolean;
  /** The children of `<request>`, in wire order. */
  buildRequest(request: Request): BuildChild[];
  parseRequest(request: Element, reader: NamespaceReader): Request;
  /** The children of `<response>`, in wire order, errorInfo included where the service puts it. */
  buildResponse(response: Response): BuildChild[];
  parseResponse(response: Element, reader: NamespaceReader): Response;
}
