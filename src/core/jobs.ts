// A job sends one service request to one device or to many: one task per device, each with its own
// correlator, released in a rollout window and stopped early when too many fail (a canary rollout).
import type { RequestBody } from "./ask.js";
import type { TaskRecord } from "./tasks.js";

export type JobState = "running" | "completed" | "stopped" | "cancelled";

export interface JobOptions {
  /** Per-task timeout; defaults by service (image install far longer than device-info). */
  timeoutMs?: number;
  /** Deliveries per device, the first included; retries follow timeouts with exponential backoff. */
  maxAttempts?: number;
  /** At most this many devices in flight at once (0 = all at once). */
  maxInFlight?: number;
  /** Stop the job when failed/finished exceeds this (0..1); unset = never stop. */
  failureRatio?: number;
  /** Finished tasks needed before the ratio applies (so one early failure does not stop a big job). */
  minFinished?: number;
}

export interface JobRequest extends JobOptions {
  /** Device ids (serials in lower case), already resolved from a device, a selector or a group. */
  devices: string[];
  request: RequestBody;
  /** What the operator asked for, kept for display: "device foc1", "selector tag:core", "group edge". */
  target: string;
}

export interface JobCounts {
  total: number;
  pending: number;
  queued: number;
  sent: number;
  succeeded: number;
  failed: number;
  timed_out: number;
  cancelled: number;
}

export interface JobRecord {
  id: string;
  service: string;
  target: string;
  state: JobState;
  createdAt: number;
  finishedAt?: number;
  stoppedReason?: string;
  maxInFlight: number;
  failureRatio?: number;
  counts: JobCounts;
}

export interface JobResult {
  device: string;
  correlator: string;
  state: TaskRecord["state"];
  attempts: number;
  errorCode?: string;
  errorMessage?: string;
}

export class JobError extends Error {
  constructor(
    readonly code: "PNP_JOB_INVALID" | "PNP_JOB_NOT_FOUND" | "PNP_JOB_NOT_RUNNING",
    message: string,
  ) {
    super(message);
    this.name = "JobError";
  }
}

/** Checks a job request before anything is written; throws JobError with every problem. */
export function validateJobRequest(request: JobRequest): void {
  const problems: string[] = [];
  if (request.devices.length === 0) problems.push("the target resolves to no device");
  const seen = new Set<string>();
  for (const device of request.devices) {
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(device))
      problems.push(`"${device}" is not a device id (a serial in lower case)`);
    if (seen.has(device)) problems.push(`device ${device} is targeted twice`);
    seen.add(device);
  }
  if (
    request.maxAttempts !== undefined &&
    (!Number.isInteger(request.maxAttempts) || request.maxAttempts < 1 || request.maxAttempts > 20)
  ) {
    problems.push("maxAttempts must be a whole number from 1 to 20");
  }
  if (
    request.maxInFlight !== undefined &&
    (!Number.isInteger(request.maxInFlight) || request.maxInFlight < 0)
  ) {
    problems.push("maxInFlight must be a whole number ≥ 0 (0 = no limit)");
  }
  if (request.failureRatio !== undefined && !(request.failureRatio >= 0 && request.failureRatio <= 1)) {
    problems.push("failureRatio must be between 0 and 1");
  }
  if (request.timeoutMs !== undefined && (!Number.isInteger(request.timeoutMs) || request.timeoutMs < 100)) {
    problems.push("timeoutMs must be a whole number of milliseconds ≥ 100");
  }
  if (problems.length > 0) throw new JobError("PNP_JOB_INVALID", problems.join("; "));
}

export function isFinal(state: JobState): boolean {
  return state !== "running";
}
