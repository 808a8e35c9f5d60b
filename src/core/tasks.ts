// A task is one PnP service request for one device. Its correlator is its identity and the idempotency
// key: a re-send reuses it, so a well-behaved agent never applies it twice.

/** pending: held back by its job's rollout window; queued: waits for its device; sent: on the device. */
export type TaskState = "pending" | "queued" | "sent" | "succeeded" | "failed" | "timed_out" | "cancelled";
export const FINAL_TASK_STATES: readonly TaskState[] = ["succeeded", "failed", "timed_out", "cancelled"];

export interface TaskSpec {
  correlator: string;
  /** The device's identity on its transport (the bare JID on XMPP). */
  device: string;
  /** The PnP service name, e.g. "device-info". */
  service: string;
  /** The service request as the protocol codec's typed object (JSON-serialisable). */
  request: unknown;
  timeoutMs: number;
  maxAttempts: number;
  jobId?: string;
}

export interface TaskResult {
  success: boolean;
  /** The parsed response body (typed by the codec), or the fault. */
  body?: unknown;
  errorCode?: string;
  errorMessage?: string;
}

export interface TaskRecord extends TaskSpec {
  state: TaskState;
  attempts: number;
  createdAt: number;
  sentAt?: number;
  finishedAt?: number;
  result?: TaskResult;
  instance?: string;
}

/** What an accepted answer teaches about its device, written in the same step as the result. */
export interface DeviceFacts {
  udi?: string;
  /** The device-info sections, stored as the device's last device-info. */
  deviceInfo?: unknown;
}

export type CompleteOutcome =
  | { accepted: true }
  | {
      accepted: false;
      reason: "unknown-correlator" | "wrong-device" | "already-final" | "not-sent";
      state?: TaskState;
    };

/** What a dispatcher needs to send a device its ready tasks, claimed in one step. */
export interface ReadyBatch {
  /** The device's session (XMPP resource). */
  resource: string;
  /** The device's UDI when known, "" otherwise. */
  udi: string;
  tasks: { correlator: string; service: string; request: unknown; attempts: number }[];
}

export type ClaimOutcome = { claimed: true; task: TaskRecord } | { claimed: false; reason: string };

export interface TaskStore {
  /** Creates the task (queued) unless one with that correlator exists; returns whether it was created. */
  enqueue(spec: TaskSpec): Promise<boolean>;
  get(correlator: string): Promise<TaskRecord | undefined>;
  /** Moves a queued task to sent for this instance and arms its deadline; fails if another claimed it. */
  claim(correlator: string, instanceId: string): Promise<ClaimOutcome>;
  /**
   * If the device is up on this transport, claims every task that may go to it now for this instance
   * (one atomic step); undefined when it is not up here.
   */
  claimReady(
    device: string,
    instanceId: string,
    transport: string,
    limit?: number,
  ): Promise<ReadyBatch | undefined>;
  /** Records the device's answer; only the device the task went to may answer, and only once. */
  complete(
    correlator: string,
    fromDevice: string,
    result: TaskResult,
    record?: DeviceFacts,
  ): Promise<CompleteOutcome>;
  /** Puts a sent task back in its device's queue (not delivered: the device was gone). */
  requeue(correlator: string, reason: string): Promise<boolean>;
  /** Queued task correlators of a device that may go now (not waiting out a retry backoff), oldest first. */
  queuedFor(device: string): Promise<string[]>;
  /** Retried tasks whose backoff has passed: removed from the retry schedule, returned to be sent. */
  dueRetries(limit?: number): Promise<string[]>;
  /** Handles sent tasks whose deadline passed: retried (queued again) or timed out. */
  sweepExpired(limit?: number): Promise<{ retried: string[]; timedOut: string[] }>;
  /** Blocks until the task is final or the wait ends; returns the record as it is then. */
  waitFinal(correlator: string, timeoutMs: number): Promise<TaskRecord | undefined>;
}
