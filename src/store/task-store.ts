import type {
  ClaimOutcome,
  CompleteOutcome,
  DeviceFacts,
  ReadyBatch,
  TaskRecord,
  TaskResult,
  TaskSpec,
  TaskState,
  TaskStore,
} from "../core/tasks.js";
import { FINAL_TASK_STATES } from "../core/tasks.js";
import type { Keys } from "./keys.js";
import { type PnpRedis, redisNow } from "./redis.js";

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  return JSON.parse(text);
}

export function taskFromHash(hash: Record<string, string>): TaskRecord | undefined {
  if (!hash.correlator || !hash.state) return undefined;
  const record: TaskRecord = {
    correlator: hash.correlator,
    device: hash.device ?? "",
    service: hash.service ?? "",
    request: parseJson(hash.request),
    timeoutMs: Number(hash.timeoutMs ?? 0),
    maxAttempts: Number(hash.maxAttempts ?? 1),
    state: hash.state as TaskState,
    attempts: Number(hash.attempts ?? 0),
    createdAt: Number(hash.createdAt ?? 0),
  };
  if (hash.jobId) record.jobId = hash.jobId;
  if (hash.sentAt) record.sentAt = Number(hash.sentAt);
  if (hash.finishedAt) record.finishedAt = Number(hash.finishedAt);
  if (hash.instance) record.instance = hash.instance;
  if (hash.result) record.result = parseJson(hash.result) as TaskResult;
  return record;
}

export class RedisTaskStore implements TaskStore {
  constructor(
    private readonly redis: PnpRedis,
    private readonly keys: Keys,
    private readonly streamMaxLen: number,
    /** First retry waits this long after a timeout, then twice as long each time. */
    private readonly retryBackoffMs = 1000,
  ) {}

  async enqueue(spec: TaskSpec): Promise<boolean> {
    const created = await this.redis.taskEnqueue(
      this.keys.task(spec.correlator),
      this.keys.deviceQueue(spec.device),
      this.keys.dispatch(),
      spec.correlator,
      spec.device,
      spec.service,
      JSON.stringify(spec.request),
      spec.timeoutMs,
      spec.maxAttempts,
      spec.jobId ?? "",
    );
    return created === 1;
  }

  async get(correlator: string): Promise<TaskRecord | undefined> {
    return taskFromHash(await this.redis.hgetall(this.keys.task(correlator)));
  }

  async claim(correlator: string, instanceId: string): Promise<ClaimOutcome> {
    const device = await this.redis.hget(this.keys.task(correlator), "device");
    if (device === null) return { claimed: false, reason: "missing" };
    const [ok, detail] = await this.redis.taskClaim(
      this.keys.task(correlator),
      this.keys.deviceQueue(device),
      this.keys.taskDeadlines(),
      correlator,
      instanceId,
    );
    if (ok !== 1) return { claimed: false, reason: String(detail) };
    const task = await this.get(correlator);
    if (!task) return { claimed: false, reason: "missing" };
    return { claimed: true, task };
  }

  async claimReady(
    device: string,
    instanceId: string,
    transport: string,
    limit = 100,
  ): Promise<ReadyBatch | undefined> {
    const reply = await this.redis.deviceClaimReady(
      this.keys.presence(device),
      this.keys.deviceQueue(device),
      this.keys.taskDeadlines(),
      this.keys.device(device),
      this.keys.prefix,
      instanceId,
      transport,
      limit,
    );
    if (reply.length === 0) return undefined;
    const [resource, udi, ...rows] = reply as [string, string, ...[string, string, string, number][]];
    return {
      resource,
      udi,
      tasks: rows.map(([correlator, service, request, attempts]) => ({
        correlator,
        service,
        request: parseJson(request),
        attempts: Number(attempts),
      })),
    };
  }

  async complete(
    correlator: string,
    fromDevice: string,
    result: TaskResult,
    record: DeviceFacts = {},
  ): Promise<CompleteOutcome> {
    const [ok, reason, state] = await this.redis.taskComplete(
      this.keys.task(correlator),
      this.keys.taskDeadlines(),
      this.keys.events(),
      this.keys.taskDone(correlator),
      this.keys.deviceQueue(fromDevice),
      this.keys.device(fromDevice),
      correlator,
      fromDevice,
      result.success ? "succeeded" : "failed",
      JSON.stringify(result),
      result.errorCode ?? "",
      this.streamMaxLen,
      this.keys.prefix,
      record.deviceInfo === undefined ? "" : JSON.stringify(record.deviceInfo),
      record.udi ?? "",
    );
    if (ok === 1) return { accepted: true };
    const outcome: CompleteOutcome = { accepted: false, reason: reason as "unknown-correlator" };
    if (state) outcome.state = state as TaskState;
    return outcome;
  }

  async requeue(correlator: string, reason: string): Promise<boolean> {
    const device = await this.redis.hget(this.keys.task(correlator), "device");
    if (device === null) return false;
    const done = await this.redis.taskRequeue(
      this.keys.task(correlator),
      this.keys.deviceQueue(device),
      this.keys.taskDeadlines(),
      correlator,
      reason,
    );
    return Number(done) === 1;
  }

  async queuedFor(device: string): Promise<string[]> {
    // Scores are Redis TIME: compare with the same clock, never this host's.
    return this.redis.zrangebyscore(
      this.keys.deviceQueue(device),
      "-inf",
      String(await redisNow(this.redis)),
    );
  }

  async dueRetries(limit = 500): Promise<string[]> {
    const key = this.keys.taskRetries();
    const due = await this.redis.zrangebyscore(
      key,
      "-inf",
      String(await redisNow(this.redis)),
      "LIMIT",
      "0",
      String(limit),
    );
    if (due.length > 0) await this.redis.zrem(key, ...due);
    return due;
  }

  async sweepExpired(limit = 500): Promise<{ retried: string[]; timedOut: string[] }> {
    const now = await redisNow(this.redis);
    const due = await this.redis.zrangebyscore(
      this.keys.taskDeadlines(),
      "-inf",
      String(now),
      "LIMIT",
      "0",
      String(limit),
    );
    const out = { retried: [] as string[], timedOut: [] as string[] };
    for (const correlator of due) {
      const device = (await this.redis.hget(this.keys.task(correlator), "device")) ?? "";
      const [ok, what] = await this.redis.taskExpire(
        this.keys.task(correlator),
        this.keys.taskDeadlines(),
        this.keys.deviceQueue(device),
        this.keys.events(),
        this.keys.taskDone(correlator),
        this.keys.taskRetries(),
        correlator,
        this.streamMaxLen,
        this.keys.prefix,
        this.retryBackoffMs,
      );
      if (ok !== 1) continue;
      if (what === "retried") out.retried.push(correlator);
      else out.timedOut.push(correlator);
    }
    return out;
  }

  async waitFinal(correlator: string, timeoutMs: number): Promise<TaskRecord | undefined> {
    const current = await this.get(correlator);
    if (!current || FINAL_TASK_STATES.includes(current.state)) return current;
    // BLPOP on a dedicated connection: it blocks the connection it runs on.
    const blocking = this.redis.duplicate();
    try {
      await blocking.blpop(this.keys.taskDone(correlator), String(Math.max(0.01, timeoutMs / 1000)));
    } finally {
      blocking.disconnect();
    }
    return this.get(correlator);
  }
}
