// backoff (urn:cisco:pnp:backoff), §2.3: tells a polling (HTTP) agent when to come back, or to stop.
// `reason` is mandatory and comes first; exactly one of terminate | defaultMinutes | callbackAfter follows.
// The element is `callbackAfter` with a lower-case b (OPY's `callBackAfter` is wrong).

import type { Element } from "ltx";
import { type BuildChild, checkInteger, element, leaf, optionalInteger, requireNonEmpty } from "../build.js";
import { invalidBuild } from "../errors.js";
import type { NamespaceReader } from "../read.js";
import { buildErrorInfo, type ErrorInfo, parseErrorInfo, type ServiceCodec } from "./common.js";

export type BackoffAction =
  /** One-shot wait; all three parts absent means 15 minutes. hours 0–47, minutes and seconds 0–59. */
  | { kind: "callbackAfter"; hours?: number; minutes?: number; seconds?: number }
  /** New default poll interval until the next reload, 1–2880 minutes. */
  | { kind: "defaultMinutes"; minutes: number }
  /** The agent removes its PnP profile and stops. */
  | { kind: "terminate" };

export interface BackoffRequest {
  reason: string;
  action: BackoffAction;
}

export interface BackoffResponse {
  errorInfo?: ErrorInfo;
}

/** What the agent waits when no part of callbackAfter is given (XSD comment). */
export const DEFAULT_CALLBACK_SECONDS = 15 * 60;

/** Seconds until the agent polls again, for callbackAfter and defaultMinutes; undefined for terminate. */
export function backoffDelaySeconds(action: BackoffAction): number | undefined {
  switch (action.kind) {
    case "callbackAfter": {
      const { hours, minutes, seconds } = action;
      if (hours === undefined && minutes === undefined && seconds === undefined)
        return DEFAULT_CALLBACK_SECONDS;
      return (hours ?? 0) * 3600 + (minutes ?? 0) * 60 + (seconds ?? 0);
    }
    case "defaultMinutes":
      return action.minutes * 60;
    case "terminate":
      return undefined;
  }
}

function buildAction(action: BackoffAction): Element {
  switch (action.kind) {
    case "callbackAfter":
      return element(
        "callbackAfter",
        {},
        leaf("hours", optionalInteger(action.hours, 0, 47, "backoff.callbackAfter.hours")),
        leaf("minutes", optionalInteger(action.minutes, 0, 59, "backoff.callbackAfter.minutes")),
        leaf("seconds", optionalInteger(action.seconds, 0, 59, "backoff.callbackAfter.seconds")),
      );
    case "defaultMinutes":
      return element("defaultMinutes", {}, checkInteger(action.minutes, 1, 2880, "backoff.defaultMinutes"));
    case "terminate":
      return element("terminate");
    default:
      throw invalidBuild("backoff.action", "must be callbackAfter, defaultMinutes or terminate");
  }
}

function parseAction(reader: NamespaceReader, backoff: Element): BackoffAction {
  const picked = reader.requireChoice(backoff, ["terminate", "defaultMinutes", "callbackAfter"] as const);
  switch (picked.name) {
    case "terminate":
      return { kind: "terminate" };
    case "defaultMinutes":
      return { kind: "defaultMinutes", minutes: reader.requireInteger(backoff, "defaultMinutes") };
    case "callbackAfter": {
      const action: BackoffAction = { kind: "callbackAfter" };
      const hours = reader.integer(picked.element, "hours");
      if (hours !== undefined) action.hours = hours;
      const minutes = reader.integer(picked.element, "minutes");
      if (minutes !== undefined) action.minutes = minutes;
      const seconds = reader.integer(picked.element, "seconds");
      if (seconds !== undefined) action.seconds = seconds;
      return action;
    }
  }
}

export const backoffCodec: ServiceCodec<BackoffRequest, BackoffResponse> = {
  errorInfo: "with-severity",

  buildRequest(request: BackoffRequest): BuildChild[] {
    return [
      element(
        "backoff",
        {},
        leaf("reason", requireNonEmpty(request.reason, "backoff.reason")),
        buildAction(request.action),
      ),
    ];
  },

  parseRequest(request: Element, reader: NamespaceReader): BackoffRequest {
    const backoff = reader.requireChild(request, "backoff");
    return { reason: reader.requireText(backoff, "reason"), action: parseAction(reader, backoff) };
  },

  buildResponse(response: BackoffResponse): BuildChild[] {
    return [buildErrorInfo(response.errorInfo, true)];
  },

  parseResponse(response: Element, reader: NamespaceReader): BackoffResponse {
    const errorInfo = parseErrorInfo(reader, response, true);
    return errorInfo === undefined ? {} : { errorInfo };
  },
};
