// cli-exec (urn:cisco:pnp:cli-exec), §2.6. Request: execCLI with exactly one `cmd` and optional
// `dialogue` prompts/replies, or execTest (syntax check). Response: errorInfo (no errorSeverity),
// execLog/dialogueLog*/(sent, received/text, errorInfo?, resultEntry*), then execLog's own errorInfo.
// The element is spelled `dialogue` (OPY's `dialog` is wrong); maxWait is an xs:duration (PT30S).

import type { Element } from "ltx";
import {
  type BuildChild,
  booleanText,
  checkOneOf,
  element,
  leaf,
  optionalDuration,
  optionalInteger,
  requireNonEmpty,
} from "../build.js";
import { invalidBuild } from "../errors.js";
import {
  attributeOf,
  booleanAttribute,
  enumValue,
  integerAttribute,
  type NamespaceReader,
  pathOf,
  textOf,
} from "../read.js";
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

export const EXPECT_MATCH_MODES = ["leading", "trailing", "embedded", "exact"] as const;
export type ExpectMatchMode = (typeof EXPECT_MATCH_MODES)[number];

/** One interactive prompt and the reply to type, e.g. expect "[confirm]" → reply "y". */
export interface Dialogue {
  expect: string;
  /** Default exact. */
  match?: ExpectMatchMode;
  /** Default true. */
  caseSensitive?: boolean;
  reply: string;
  /** How many times the prompt may recur; default 1. */
  repeat?: number;
}

export type CliExecRequest =
  | {
      operation: "execCLI";
      /** Exactly one command per execCLI (§6 item 10). */
      command: string;
      dialogues?: Dialogue[];
      /** xs:duration; the agent's default is PT10S. */
      maxWait?: string;
      /** Bytes; leave out for no limit. */
      maxResponseSize?: number;
      format?: string;
      xsd?: boolean;
    }
  | { operation: "execTest"; details?: DetailsLevel; data: CliData };

export interface DialogueLog {
  sent: string;
  /** received/text: the command output. */
  received?: string;
  errorInfo?: ErrorInfoWithoutSeverity;
  resultEntries?: ResultEntry[];
}

export interface ExecLog {
  dialogueLogs: DialogueLog[];
  /** The errorInfo that closes execLog, after all dialogueLogs. */
  errorInfo?: ErrorInfoWithoutSeverity;
}

export interface CliExecResponse {
  errorInfo?: ErrorInfoWithoutSeverity;
  execLog?: ExecLog;
}

// --- build ------------------------------------------------------------------------------------------

function buildDialogue(dialogue: Dialogue, index: number): Element {
  const what = `execCLI.dialogues[${index}]`;
  return element(
    "dialogue",
    { repeat: optionalInteger(dialogue.repeat, 1, Number.MAX_SAFE_INTEGER, `${what}.repeat`) },
    element(
      "expect",
      {
        match:
          dialogue.match === undefined
            ? undefined
            : checkOneOf(dialogue.match, EXPECT_MATCH_MODES, `${what}.match`),
        caseSensitive: booleanText(dialogue.caseSensitive),
      },
      requireNonEmpty(dialogue.expect, `${what}.expect`),
    ),
    leaf("reply", dialogue.reply),
  );
}

function buildDialogueLog(log: DialogueLog, index: number): Element {
  return element(
    "dialogueLog",
    {},
    leaf("sent", log.sent),
    log.received === undefined ? undefined : element("received", {}, leaf("text", log.received)),
    buildErrorInfo(log.errorInfo, false),
    ...(log.resultEntries ?? []).map((entry) =>
      buildResultEntry(entry, `dialogueLogs[${index}].resultEntries`),
    ),
  );
}

// --- parse ------------------------------------------------------------------------------------------

function parseDialogue(reader: NamespaceReader, dialogue: Element): Dialogue {
  const expect = reader.requireChild(dialogue, "expect");
  const result: Dialogue = { expect: textOf(expect), reply: reader.textOrEmpty(dialogue, "reply") };
  const match = attributeOf(expect, "match");
  if (match !== undefined) result.match = enumValue(match, EXPECT_MATCH_MODES, pathOf(expect, "match"));
  const caseSensitive = booleanAttribute(expect, "caseSensitive");
  if (caseSensitive !== undefined) result.caseSensitive = caseSensitive;
  const repeat = integerAttribute(dialogue, "repeat");
  if (repeat !== undefined) result.repeat = repeat;
  return result;
}

function parseDialogueLog(reader: NamespaceReader, log: Element): DialogueLog {
  const result: DialogueLog = { sent: reader.textOrEmpty(log, "sent") };
  const received = reader.child(log, "received");
  if (received !== undefined) {
    // `received/tree` (structured output, only with xsd="true") is not modelled.
    const text = reader.text(received, "text");
    if (text !== undefined) result.received = text;
  }
  const errorInfo = parseErrorInfo(reader, log, false);
  if (errorInfo !== undefined) result.errorInfo = errorInfo;
  const entries = reader.children(log, "resultEntry");
  if (entries.length > 0) result.resultEntries = entries.map((entry) => parseResultEntry(reader, entry));
  return result;
}

export const cliExecCodec: ServiceCodec<CliExecRequest, CliExecResponse> = {
  errorInfo: "without-severity",

  buildRequest(request: CliExecRequest): BuildChild[] {
    if (request.operation === "execCLI") {
      return [
        element(
          "execCLI",
          {
            maxWait: optionalDuration(request.maxWait, "execCLI.maxWait"),
            maxResponseSize: optionalInteger(
              request.maxResponseSize,
              1,
              Number.MAX_SAFE_INTEGER,
              "execCLI.maxResponseSize",
            ),
            format: request.format,
            xsd: booleanText(request.xsd),
          },
          leaf("cmd", requireNonEmpty(request.command, "execCLI.command")),
          ...(request.dialogues ?? []).map(buildDialogue),
        ),
      ];
    }
    if (request.operation === "execTest") {
      return [
        element(
          "execTest",
          { details: detailsAttribute(request.details, "execTest.details") },
          buildCliData("exec-data", "cli-exec-data", request.data, "execTest.data"),
        ),
      ];
    }
    throw invalidBuild("cli-exec.operation", "must be execCLI or execTest");
  },

  parseRequest(request: Element, reader: NamespaceReader): CliExecRequest {
    const picked = reader.requireChoice(request, ["execCLI", "execTest"] as const);
    const operation = picked.element;
    if (picked.name === "execTest") {
      const result: CliExecRequest = {
        operation: "execTest",
        data: parseCliData(reader, operation, "exec-data", "cli-exec-data"),
      };
      const details = parseDetailsAttribute(operation);
      if (details !== undefined) result.details = details;
      return result;
    }
    const result: CliExecRequest = { operation: "execCLI", command: reader.requireText(operation, "cmd") };
    const dialogues = reader.children(operation, "dialogue");
    if (dialogues.length > 0) result.dialogues = dialogues.map((dialogue) => parseDialogue(reader, dialogue));
    const maxWait = attributeOf(operation, "maxWait");
    if (maxWait !== undefined) result.maxWait = maxWait.trim();
    const maxResponseSize = integerAttribute(operation, "maxResponseSize");
    if (maxResponseSize !== undefined) result.maxResponseSize = maxResponseSize;
    const format = attributeOf(operation, "format");
    if (format !== undefined) result.format = format;
    const xsd = booleanAttribute(operation, "xsd");
    if (xsd !== undefined) result.xsd = xsd;
    return result;
  },

  buildResponse(response: CliExecResponse): BuildChild[] {
    const execLog = response.execLog;
    return [
      buildErrorInfo(response.errorInfo, false),
      execLog === undefined
        ? undefined
        : element(
            "execLog",
            {},
            ...execLog.dialogueLogs.map(buildDialogueLog),
            buildErrorInfo(execLog.errorInfo, false),
          ),
    ];
  },

  parseResponse(response: Element, reader: NamespaceReader): CliExecResponse {
    const result: CliExecResponse = {};
    const errorInfo = parseErrorInfo(reader, response, false);
    if (errorInfo !== undefined) result.errorInfo = errorInfo;
    const execLog = reader.child(response, "execLog");
    if (execLog !== undefined) {
      const log: ExecLog = {
        dialogueLogs: reader.children(execLog, "dialogueLog").map((entry) => parseDialogueLog(reader, entry)),
      };
      const logError = parseErrorInfo(reader, execLog, false);
      if (logError !== undefined) log.errorInfo = logError;
      result.execLog = log;
    }
    return result;
  },
};
