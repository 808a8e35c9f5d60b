// What every service module of the simulated agent works with: the device model, a file fetcher, the
// agent's own small records (what the model does not keep: backoff, redirection, certificates, tag
// values) and the set of services this agent answers. Plus the shared mapping helpers from model results
// to the codec's typed responses.

import {
  type BackoffAction,
  type CertificateReconnect,
  type ClockSetting,
  type ErrorInfo,
  type ErrorInfoWithoutSeverity,
  type FileRef,
  pnpErrorCode,
  type RedirectionRequest,
  type ReloadChoice,
  type RequestOf,
  type ResponseOf,
  type ResultEntry,
  type ServiceName,
} from "../../protocol/index.js";
import type { FileFetcher } from "../file-fetch.js";
import type {
  ConfigLineResult,
  DeviceModel,
  FetchResult,
  FetchSource,
  PnpFailure,
  ReloadPlan,
  ReloadRequest,
} from "../model/index.js";

/** What the agent remembers besides the device model. Every part is allocated only when first used. */
export interface AgentRecords {
  /** The last backoff the server sent. */
  backoff?: { reason: string; action: BackoffAction; at: number };
  /** A backoff terminate arrived: the PnP profile was removed. */
  terminated?: boolean;
  /** The last redirection: the simulated device moves to its primary server once it has answered. */
  redirection?: { request: RedirectionRequest; at: number };
  certificates?: {
    trustpool?: { source: FileRef; at: number };
    /** By label. */
    trustpoints?: Record<string, { source: FileRef; at: number }>;
    clock?: ClockSetting;
    reconnect?: CertificateReconnect;
  };
  /** Tag values by name (the model keeps names and owners only); absent for "". */
  tagValues?: Map<string, string>;
}

export interface ServiceContext {
  readonly model: DeviceModel;
  readonly fetchFile: FileFetcher;
  readonly records: AgentRecords;
  /** The services this agent answers; any other request gets a fault. */
  readonly services: ReadonlySet<ServiceName>;
}

/** A request whose correlator is known (the dispatcher fills one in for redirection/certificate-install). */
export type CorrelatedRequest<S extends ServiceName> = RequestOf<S> & { correlator: string };

export interface ServiceOutcome<S extends ServiceName = ServiceName> {
  response: ResponseOf<S>;
  /** A reboot the glue carries out after the response went out; null = none. */
  reload: ReloadPlan | null;
}

export type ServiceHandler<S extends ServiceName> = (
  ctx: ServiceContext,
  request: CorrelatedRequest<S>,
) => ServiceOutcome<S> | Promise<ServiceOutcome<S>>;

/** An outcome without reload. */
export function answered<S extends ServiceName>(response: ResponseOf<S>): ServiceOutcome<S> {
  return { response, reload: null };
}

/** errorInfo with the model's severity, or `fallback` when the model gave none. */
export function errorInfo(failure: PnpFailure, fallback: string): ErrorInfo {
  return {
    severity: failure.severity ?? fallback,
    code: pnpErrorCode(failure.code),
    message: failure.message,
  };
}

/** errorInfo of cli-config and cli-exec, which carry no errorSeverity. */
export function errorInfoWithoutSeverity(failure: PnpFailure): ErrorInfoWithoutSeverity {
  return { code: pnpErrorCode(failure.code), message: failure.message };
}

/** The `reload` choice of config-upgrade, image-install and licensing as the model takes it. */
export function modelReload(choice: ReloadChoice | undefined): ReloadRequest | null {
  if (choice === undefined || choice.kind === "noReload") return null;
  const request: ReloadRequest = {};
  if (choice.reason !== undefined) request.reason = choice.reason;
  if (choice.delayIn !== undefined) request.delaySeconds = choice.delayIn;
  if (choice.user !== undefined) request.user = choice.user;
  if (choice.saveConfig !== undefined) request.saveConfig = choice.saveConfig;
  return request;
}

/** The text of a location or uri, for the model's messages and logs. */
export function fileRefText(ref: FileRef): string {
  return "location" in ref ? ref.location : ref.uri;
}

const NOT_FETCHED: FetchResult = Object.freeze({ ok: false, reason: "unreachable", message: "not fetched" });

/**
 * Runs a model operation that takes a file, fetching the file only if the operation really needs it:
 * a first run gets a stand-in that records the need; requests refused before the copy (bad image type,
 * unsupported applyTo, wrong script type…) are answered without any download. Only for operations that
 * change nothing before they read the file (installImage, configUpgrade, runScript).
 */
export async function withFileOnDemand<R>(
  run: (source: FetchSource) => R,
  download: () => Promise<FetchResult>,
): Promise<{ result: R; downloaded: boolean }> {
  let needed = false;
  const first = run(() => {
    needed = true;
    return NOT_FETCHED;
  });
  if (!needed) return { result: first, downloaded: false };
  const fetched = await download();
  return { result: run(fetched), downloaded: true };
}

/** One configuration line result as a codec resultEntry. */
export function resultEntry(line: ConfigLineResult): ResultEntry {
  const entry: ResultEntry = {
    lineNumber: line.lineNumber,
    cliString: line.cliString,
    outcome: { kind: "invalid" },
  };
  switch (line.outcome) {
    case "success": {
      const outcome: ResultEntry["outcome"] = { kind: "success", mode: line.mode };
      if (line.change !== undefined) outcome.change = line.change;
      entry.outcome = outcome;
      break;
    }
    case "failure": {
      const outcome: ResultEntry["outcome"] = { kind: "failure" };
      if (line.errorType !== undefined) outcome.errorType = line.errorType;
      entry.outcome = outcome;
      break;
    }
    case "notExecuted":
      entry.outcome = { kind: "notExecuted" };
      break;
    default:
      break;
  }
  if (line.text !== undefined && line.text !== "") entry.text = line.text;
  return entry;
}

/** Lines of a cli-config/cli-exec data block, one command each (blank lines dropped). */
export function cliLines(
  data: { kind: "commands"; commands: string[] } | { kind: "block"; block: string },
): string[] {
  const lines = data.kind === "commands" ? data.commands : data.block.split(/\r?\n/);
  return lines.filter((line) => line.trim() !== "");
}
