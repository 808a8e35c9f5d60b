import { randomUUID } from "node:crypto";
import { xml } from "@xmpp/component";
import { ejabberdApiUrl } from "../../config/load.js";
import type { Config } from "../../config/schema.js";
import type { SeenInfo } from "../../core/inventory.js";
import { type ReconcileReport, reconcilePresence } from "../../core/presence.js";
import type { Logger } from "../../log/logger.js";
import { RedisAuditLog } from "../../store/audit-log.js";
import { RedisDeviceStore } from "../../store/device-store.js";
import { RedisInventoryStore } from "../../store/inventory-store.js";
import { RedisJobStore } from "../../store/job-store.js";
import { createKeys } from "../../store/keys.js";
import { RedisPresenceStore } from "../../store/presence-store.js";
import type { PnpRedis } from "../../store/redis.js";
import { redisNow } from "../../store/redis.js";
import { RedisTaskStore } from "../../store/task-store.js";
import { RedisTokenStore } from "../../store/token-store.js";
import { deviceJid } from "./addresses.js";
import { ComponentConnection } from "./connection.js";
import { TaskDispatcher } from "./dispatcher.js";
import { EjabberdApi } from "./ejabberd-api.js";
import { ANNOUNCE_IQ_PREFIX, NS_PNP_SERVER_XMPP } from "./namespaces.js";
import { buildTaskStanza, envelopeUdi } from "./pnp-payload.js";
import { presenceHandler } from "./presence-handler.js";
import { responseHandler } from "./response-handler.js";
import { tokenHandler } from "./token-handler.js";

export interface XmppTransportDeps {
  config: Config;
  logger: Logger;
  redis: PnpRedis;
  instanceId?: string;
}

/**
 * The XMPP side of the server: the component stream, presence tracking, task delivery and answers.
 * It owns no state: everything is in Redis, so several instances can run against one ejabberd.
 */
export function createXmppTransport({
  config,
  logger: rootLogger,
  redis,
  instanceId = randomUUID(),
}: XmppTransportDeps) {
  const logger = rootLogger.child({ part: "xmpp", instance: instanceId.slice(0, 8) });
  const keys = createKeys(config.redisPrefix);
  const presence = new RedisPresenceStore(redis, keys, instanceId, config.eventStreamMaxLen);
  const tasks = new RedisTaskStore(redis, keys, config.eventStreamMaxLen, config.retryBackoffMs);
  const jobs = new RedisJobStore(redis, keys, config.eventStreamMaxLen);
  const devices = new RedisDeviceStore(redis, keys);
  const audit = new RedisAuditLog(redis, keys);
  const api = new EjabberdApi(ejabberdApiUrl(config));
  const connection = new ComponentConnection({
    service: `xmpp://${config.ejabberdHost}:${config.ejabberdComponentPort}`,
    domain: config.componentDomain,
    secret: config.componentSecret,
    logger,
    reconnectBaseMs: config.reconnectBaseMs,
    reconnectMaxMs: config.reconnectMaxMs,
  });
  const inventory = new RedisInventoryStore(redis, keys, config.eventStreamMaxLen);
  /**
   * Updates the registry's last-seen (and UDI, hostname) of a device; an unknown device appears as
   * unclaimed. Not awaited: it must not slow presence or answers down, and a failure only costs freshness.
   */
  const noteSeen = (device: string, seen: SeenInfo) => {
    const clean = Object.fromEntries(Object.entries(seen).filter(([, v]) => v)) as SeenInfo;
    inventory.recordSeen(device, Date.now(), clean).catch((err) => {
      logger.warn({ err: (err as Error).message, device }, "could not record the device in the inventory");
    });
  };
  const dispatcher = new TaskDispatcher({
    tasks,
    presence,
    connection,
    redis,
    keys,
    instanceId,
    xmppDomain: config.xmppDomain,
    logger,
    buildStanza: (task, to, udi) =>
      buildTaskStanza(task, to, config.componentDomain, envelopeUdi(task.device, udi)),
  });

  connection.use(
    presenceHandler({
      store: presence,
      xmppDomain: config.xmppDomain,
      logger,
      onUp: (device) => {
        void dispatcher.deliverQueued(device);
        noteSeen(device, {});
      },
    }),
  );
  connection.use(
    responseHandler({
      tasks,
      presence,
      audit,
      logger,
      xmppDomain: config.xmppDomain,
      onRequeued: (device) => void dispatcher.deliverQueued(device),
      onDeviceInfo: (device, info) =>
        noteSeen(device, { udi: info.udi?.primaryChassis, hostname: info.hardwareInfo?.hostname }),
    }),
  );

  // Server authorization token queries (<token xmlns="urn:pnp-server:token:0"/>): see README.md.
  connection.use(
    tokenHandler({
      tokens: new RedisTokenStore(redis, keys),
      devices,
      serverJid: config.componentDomain,
      xmppDomain: config.xmppDomain,
      logger,
      now: () => redisNow(redis),
    }),
  );

  let lastReconcile: Promise<ReconcileReport | undefined> = Promise.resolve(undefined);

  async function reconcile(): Promise<ReconcileReport> {
    const report = await reconcilePresence(presence, async () => {
      const sessions = await api.connectedSessions();
      return sessions.flatMap(({ jid }) => {
        const match = /^([^@/]+)@([^/]+)\/(.*)$/.exec(jid);
        if (!match || match[2] !== config.xmppDomain) return [];
        return [{ device: match[1]!, resource: match[3] ?? "" }];
      });
    });
    logger.info(
      { up: report.markedUp.length, down: report.markedDown.length, unchanged: report.skipped },
      "presence reconciled",
    );
    return report;
  }

  /**
   * Devices found up by reconciliation sent their presence while we were away, so ejabberd would not
   * tell us when their sessions end: ask each to announce itself again.
   */
  async function requestAnnouncements(devicesUp: string[]): Promise<void> {
    for (const device of devicesUp) {
      const record = await presence.get(device);
      if (!record?.resource) continue;
      const iq = xml(
        "iq",
        {
          type: "set",
          to: deviceJid(device, config.xmppDomain, record.resource),
          id: `${ANNOUNCE_IQ_PREFIX}${randomUUID()}`,
        },
        xml("announce", { xmlns: NS_PNP_SERVER_XMPP }),
      );
      await connection
        .send(iq)
        .catch((err) => logger.warn({ err: (err as Error).message, device }, "announce request not sent"));
    }
  }

  // After every (re)connection: presences sent while we were away are lost, so ask ejabberd who is there.
  connection.on("online", () => {
    lastReconcile = reconcile()
      .then(async (report) => {
        await requestAnnouncements(report.markedUp);
        await dispatcher.deliverAllUp();
        return report;
      })
      .catch((err) => {
        logger.error({ err }, "presence reconciliation failed");
        return undefined;
      });
  });

  // Safety net for agents that ignore <announce/>: reconcile again now and then while online.
  let periodic: NodeJS.Timeout | undefined;
  const startPeriodicReconcile = () => {
    if (config.reconcileIntervalMs <= 0) return;
    periodic = setInterval(() => {
      if (!connection.isOnline) return;
      void reconcile()
        .then((report) => requestAnnouncements(report.markedUp))
        .catch((err) => logger.warn({ err: (err as Error).message }, "periodic reconciliation failed"));
    }, config.reconcileIntervalMs);
    periodic.unref();
  };

  return {
    instanceId,
    keys,
    connection,
    presence,
    tasks,
    jobs,
    inventory,
    devices,
    dispatcher,
    api,
    reconcile,
    /** Resolves with the reconciliation that followed the latest (re)connection. */
    settled: () => lastReconcile,
    async start(): Promise<void> {
      dispatcher.start();
      try {
        await connection.start();
      } catch (err) {
        await dispatcher.stop();
        throw err;
      }
      await lastReconcile;
      startPeriodicReconcile();
    },
    async stop(): Promise<void> {
      clearInterval(periodic);
      await dispatcher.stop();
      await connection.stop();
    },
  };
}

export type XmppTransport = ReturnType<typeof createXmppTransport>;
