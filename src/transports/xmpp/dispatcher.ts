import type { Element } from "ltx";
import type { PresenceStore } from "../../core/presence.js";
import type { TaskStore } from "../../core/tasks.js";
import type { Logger } from "../../log/logger.js";
import type { Keys } from "../../store/keys.js";
import type { PnpRedis } from "../../store/redis.js";
import { deviceJid } from "./addresses.js";
import type { ComponentConnection } from "./connection.js";
import type { OutgoingTask } from "./pnp-payload.js";

export interface DispatcherDeps {
  tasks: TaskStore;
  presence: PresenceStore;
  connection: ComponentConnection;
  redis: PnpRedis;
  keys: Keys;
  instanceId: string;
  xmppDomain: string;
  logger: Logger;
  /** Builds the iq that carries the task to the device's full JID; udi is "" while unknown. */
  buildStanza(task: OutgoingTask, to: string, udi: string): Element;
  sweepIntervalMs?: number;
}

const GROUP = "dispatchers";
const MAX_DRAINS_IN_FLIGHT = 5000;

/**
 * Sends queued tasks to devices that are up. Tasks wait in per-device queues in Redis (the source of
 * truth); the dispatch stream only wakes an instance, through a consumer group so one instance handles
 * each wake-up. Presence up, reconciliation and the deadline sweep also drain queues, so a lost wake-up
 * only delays a task, never loses it.
 */
export class TaskDispatcher {
  private running = false;
  private reader: PnpRedis | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  /** One drain at a time per device, so a device's tasks go out in order and are claimed once here. */
  private readonly draining = new Map<string, Promise<void>>();

  constructor(private readonly deps: DispatcherDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.reader = this.deps.redis.duplicate() as PnpRedis;
    this.loop = this.readLoop();
    this.sweepTimer = setInterval(() => void this.sweep(), this.deps.sweepIntervalMs ?? 1000);
    this.sweepTimer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.sweepTimer);
    this.reader?.disconnect();
    await this.loop?.catch(() => undefined);
    await Promise.allSettled([...this.draining.values()]);
  }

  /** Sends every queued task of a device, oldest first, if the device is up and we are online. */
  deliverQueued(device: string): Promise<void> {
    const previous = this.draining.get(device) ?? Promise.resolve();
    const next = previous
      .then(() => this.drain(device))
      .catch((err) => {
        this.deps.logger.error({ err, device }, "delivering queued tasks failed");
      });
    this.draining.set(device, next);
    void next.finally(() => {
      if (this.draining.get(device) === next) this.draining.delete(device);
    });
    return next;
  }

  async deliverAllUp(): Promise<void> {
    const up = await this.deps.presence.listUp();
    await Promise.all(up.map(({ device }) => this.deliverQueued(device)));
  }

  private async drain(device: string): Promise<void> {
    const { tasks, connection, instanceId, logger } = this.deps;
    if (!connection.isOnline) return;
    // One round trip: presence check, claim of every ready task, and what the stanzas need.
    const batch = await tasks.claimReady(device, instanceId, "xmpp");
    if (!batch) return;
    const to = deviceJid(device, this.deps.xmppDomain, batch.resource);
    for (const [i, task] of batch.tasks.entries()) {
      let stanza: Element;
      try {
        stanza = this.deps.buildStanza({ ...task, device }, to, batch.udi);
      } catch (err) {
        // A request the codec refuses can never be sent: fail the task now, with the codec's reason.
        const code = (err as { code?: string }).code ?? "PNP_BUILD_INVALID";
        await tasks.complete(task.correlator, device, {
          success: false,
          errorCode: code,
          errorMessage: (err as Error).message,
        });
        logger.warn(
          { correlator: task.correlator, device, err: (err as Error).message },
          "task request could not be built; failed",
        );
        continue;
      }
      try {
        await connection.send(stanza);
        logger.debug(
          { correlator: task.correlator, device, service: task.service, attempt: task.attempts },
          "task sent",
        );
      } catch (err) {
        logger.warn({ err, correlator: task.correlator, device }, "send failed; tasks back in the queue");
        for (const unsent of batch.tasks.slice(i)) await tasks.requeue(unsent.correlator, "send-failed");
        return;
      }
    }
  }

  private async readLoop(): Promise<void> {
    const reader = this.reader!;
    const stream = this.deps.keys.dispatch();
    try {
      await reader.xgroup("CREATE", stream, GROUP, "0", "MKSTREAM");
    } catch (err) {
      if (!String((err as Error).message).includes("BUSYGROUP")) throw err;
    }
    while (this.running) {
      let batch: [string, [string, string[]][]][] | null;
      try {
        batch = (await reader.xreadgroup(
          "GROUP",
          GROUP,
          this.deps.instanceId,
          "COUNT",
          1000,
          "BLOCK",
          1000,
          "STREAMS",
          stream,
          ">",
        )) as [string, [string, string[]][]][] | null;
      } catch (err) {
        if (!this.running) return;
        this.deps.logger.warn({ err: (err as Error).message }, "dispatch stream read failed; retrying");
        continue;
      }
      if (!batch) continue;
      const ids: string[] = [];
      const devices = new Set<string>();
      for (const [, entries] of batch) {
        for (const [id, fields] of entries) {
          ids.push(id);
          const deviceIndex = fields.indexOf("device");
          if (deviceIndex >= 0 && fields[deviceIndex + 1]) devices.add(fields[deviceIndex + 1]!);
        }
      }
      // Start the drains and read on: waiting for a whole batch before the next read made a broadcast to
      // N devices N/batch serial rounds. The device queues are the truth, so acknowledging a wake-up early
      // can only delay a task, never lose it. Drains in flight are capped to bound memory.
      for (const device of devices) {
        while (this.draining.size >= MAX_DRAINS_IN_FLIGHT) await Promise.race(this.draining.values());
        void this.deliverQueued(device);
      }
      if (ids.length > 0) await reader.xack(stream, GROUP, ...ids);
    }
  }

  private async sweep(): Promise<void> {
    if (!this.running) return;
    try {
      const { retried, timedOut } = await this.deps.tasks.sweepExpired();
      for (const correlator of timedOut) this.deps.logger.warn({ correlator }, "task timed out");
      if (retried.length > 0)
        this.deps.logger.info({ count: retried.length }, "tasks timed out; retrying after backoff");
      // Retried tasks whose backoff has passed: drain their devices again.
      for (const correlator of await this.deps.tasks.dueRetries()) {
        const task = await this.deps.tasks.get(correlator);
        if (task) void this.deliverQueued(task.device);
      }
    } catch (err) {
      this.deps.logger.warn({ err: (err as Error).message }, "task sweep failed");
    }
  }
}
