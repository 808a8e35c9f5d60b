import { randomBytes } from "node:crypto";
import { SERVICE_TIMEOUT_MS } from "../core/ask.js";
import {
  type JobCounts,
  JobError,
  type JobRecord,
  type JobRequest,
  type JobResult,
  type JobState,
  validateJobRequest,
} from "../core/jobs.js";
import type { TaskResult, TaskState } from "../core/tasks.js";
import { buildRequest, type ServiceRequest } from "../protocol/index.js";
import type { Keys } from "./keys.js";
import type { PnpRedis } from "./redis.js";

export function newJobId(now = Date.now()): string {
  return `job-${now.toString(36)}-${randomBytes(4).toString("hex")}`;
}

export class RedisJobStore {
  constructor(
    private readonly redis: PnpRedis,
    private readonly keys: Keys,
    private readonly streamMaxLen: number,
  ) {}

  /**
   * Creates the job and all its tasks in one atomic step (all or nothing). Devices in the rollout window
   * get their task queued at once; it reaches each as soon as it is up.
   */
  async create(request: JobRequest): Promise<JobRecord> {
    validateJobRequest(request);
    const id = newJobId();
    // Refuse a request the codec cannot build before anything is written.
    buildRequest({ udi: "PID:VALIDATE,VID:,SN:VALIDATE" }, {
      ...request.request,
      correlator: "validate",
    } as ServiceRequest);
    const pairs: string[] = [];
    for (const [i, device] of request.devices.entries()) pairs.push(`PnPServer-1.0-${id}-${i}`, device);
    const reply = await this.redis.jobCreate(
      this.keys.job(id),
      this.keys.jobTasks(id),
      this.keys.jobPending(id),
      this.keys.jobs(),
      this.keys.prefix,
      id,
      request.request.service,
      JSON.stringify(request.request),
      request.timeoutMs ?? SERVICE_TIMEOUT_MS[request.request.service] ?? 60_000,
      request.maxAttempts ?? 2,
      request.maxInFlight ?? 0,
      request.failureRatio ?? -1,
      request.minFinished ?? 1,
      request.target,
      this.streamMaxLen,
      ...pairs,
    );
    if (reply[0] !== 1) throw new Error(`job ${id} could not be created: ${String(reply[1])}`);
    const job = await this.get(id);
    if (!job) throw new Error(`job ${id} vanished after creation`);
    return job;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const hash = await this.redis.hgetall(this.keys.job(id));
    if (!hash.id) return undefined;
    const counts = await this.liveCounts(id, hash);
    const record: JobRecord = {
      id,
      service: hash.service ?? "",
      target: hash.target ?? "",
      state: (hash.state ?? "running") as JobState,
      createdAt: Number(hash.createdAt ?? 0),
      maxInFlight: Number(hash.maxInFlight ?? 0),
      counts,
    };
    if (hash.finishedAt) record.finishedAt = Number(hash.finishedAt);
    if (hash.stoppedReason) record.stoppedReason = hash.stoppedReason;
    if (hash.failureRatio && Number(hash.failureRatio) >= 0) record.failureRatio = Number(hash.failureRatio);
    return record;
  }

  /** Final counts come from the job's counters; in-flight ones from its tasks' states, read in one round trip. */
  private async liveCounts(id: string, hash: Record<string, string>): Promise<JobCounts> {
    const counts: JobCounts = {
      total: Number(hash.total ?? 0),
      pending: 0,
      queued: 0,
      sent: 0,
      succeeded: Number(hash.succeeded ?? 0),
      failed: Number(hash.failed ?? 0),
      timed_out: Number(hash.timed_out ?? 0),
      cancelled: Number(hash.cancelled ?? 0),
    };
    const states = await this.taskStates(id);
    for (const { state } of states) {
      if (state === "pending" || state === "queued" || state === "sent") counts[state]++;
    }
    return counts;
  }

  private async taskStates(id: string): Promise<{ correlator: string; state: TaskState }[]> {
    const correlators = await this.redis.lrange(this.keys.jobTasks(id), 0, -1);
    if (correlators.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const c of correlators) pipeline.hget(this.keys.task(c), "state");
    const replies = (await pipeline.exec()) ?? [];
    return correlators.map((correlator, i) => ({
      correlator,
      state: (replies[i]?.[1] ?? "queued") as TaskState,
    }));
  }

  /** Each device's outcome: state, attempts and the error code when it failed. */
  async results(id: string): Promise<JobResult[]> {
    const correlators = await this.redis.lrange(this.keys.jobTasks(id), 0, -1);
    const pipeline = this.redis.pipeline();
    for (const c of correlators) pipeline.hmget(this.keys.task(c), "device", "state", "attempts", "result");
    const replies = (await pipeline.exec()) ?? [];
    return correlators.map((correlator, i) => {
      const [device, state, attempts, result] = (replies[i]?.[1] ?? []) as (string | null)[];
      const row: JobResult = {
        device: device ?? "",
        correlator,
        state: (state ?? "queued") as TaskState,
        attempts: Number(attempts ?? 0),
      };
      if (state === "timed_out") row.errorCode = "PNP_TASK_TIMEOUT";
      if (result) {
        const parsed = JSON.parse(result) as TaskResult;
        if (parsed.errorCode) row.errorCode = parsed.errorCode;
        if (parsed.errorMessage) row.errorMessage = parsed.errorMessage;
      }
      return row;
    });
  }

  async cancel(id: string): Promise<number> {
    const [ok, detail] = await this.redis.jobCancel(
      this.keys.job(id),
      this.keys.jobTasks(id),
      this.keys.jobPending(id),
      this.keys.prefix,
      id,
      this.streamMaxLen,
    );
    if (ok === 1) return Number(detail);
    if (detail === "unknown-job") throw new JobError("PNP_JOB_NOT_FOUND", `no job ${id}`);
    throw new JobError("PNP_JOB_NOT_RUNNING", `job ${id} is ${String(detail)}, not running`);
  }

  /** Newest first. */
  async list(limit = 50): Promise<string[]> {
    return this.redis.zrevrange(this.keys.jobs(), 0, limit - 1);
  }
}
