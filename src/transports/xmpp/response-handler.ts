import type { Middleware } from "@xmpp/component";
import type { PresenceStore } from "../../core/presence.js";
import type { TaskResult, TaskStore } from "../../core/tasks.js";
import type { Logger } from "../../log/logger.js";
import type { DeviceInfoData } from "../../protocol/device-info-types.js";
import type { RedisAuditLog } from "../../store/audit-log.js";
import { deviceIdOf } from "./addresses.js";
import { readTaskAnswer } from "./pnp-payload.js";
import { parseTaskIqId } from "./stanza-ids.js";

export interface ResponseHandlerDeps {
  tasks: TaskStore;
  presence: PresenceStore;
  audit: RedisAuditLog;
  logger: Logger;
  xmppDomain: string;
  /** Called with an accepted device-info answer (for the inventory's last-seen, UDI and hostname). */
  onDeviceInfo?(device: string, info: DeviceInfoData): void;
  /** Called when a task went back to its queue, so it is sent again when possible. */
  onRequeued(device: string): void;
}

/** iq errors that mean "not delivered": the task waits for the device to come back. */
const NOT_DELIVERED = new Set([
  "service-unavailable",
  "recipient-unavailable",
  "item-not-found",
  "remote-server-not-found",
]);

/**
 * Answers to our task iqs, on whichever instance ejabberd routes them to: everything needed to finish a
 * task is in Redis, looked up by correlator. Only the device the task went to may answer it.
 */
export function responseHandler(deps: ResponseHandlerDeps): Middleware {
  const { tasks, presence, audit, logger, xmppDomain } = deps;
  return async (ctx, next) => {
    const { stanza } = ctx;
    if (stanza.name !== "iq" || (ctx.type !== "result" && ctx.type !== "error")) return next();
    const ids = parseTaskIqId(stanza.attrs.id as string | undefined);
    if (!ids) return next();
    const from = ctx.from;
    // Answers from outside the device domain get the empty id, which matches no task.
    const device = deviceIdOf(from, xmppDomain) ?? "";
    try {
      if (ctx.type === "error") {
        const condition =
          stanza
            .getChild("error")
            ?.getChildElements()
            .find((child) => child.name !== "text")?.name ?? "undefined-condition";
        const task = await tasks.get(ids.correlator);
        if (!task || task.device !== device) {
          await audit.record("rejected-iq-error", {
            from: String(from),
            correlator: ids.correlator,
            reason: task ? "wrong-device" : "unknown-correlator",
          });
          logger.warn(
            { from: String(from), correlator: ids.correlator },
            "iq error for a task not sent to that device",
          );
          return;
        }
        if (NOT_DELIVERED.has(condition)) {
          await tasks.requeue(ids.correlator, `iq-error:${condition}`);
          await presence.apply({
            device,
            state: "down",
            resource: from?.resource ?? "",
            reason: `iq-error:${condition}`,
            transport: "xmpp",
          });
          logger.info({ device, correlator: ids.correlator, condition }, "task not delivered; queued again");
          deps.onRequeued(device);
          return;
        }
        await complete(
          ids.correlator,
          device,
          {
            success: false,
            errorCode: `XMPP_${condition.toUpperCase().replace(/-/g, "_")}`,
            errorMessage: `iq error ${condition}`,
          },
          undefined,
        );
        return;
      }

      const answer = readTaskAnswer(stanza);
      if ("invalid" in answer) {
        await audit.record("invalid-answer", {
          from: String(from),
          correlator: ids.correlator,
          error: answer.invalid,
        });
        logger.warn(
          { from: String(from), correlator: ids.correlator, error: answer.invalid },
          "unreadable answer to a task",
        );
        await complete(
          ids.correlator,
          device,
          { success: false, errorCode: "PNP_ANSWER_INVALID", errorMessage: answer.invalid },
          undefined,
        );
        return;
      }
      if (answer.correlator !== undefined && answer.correlator !== ids.correlator) {
        await audit.record("rejected-answer", {
          from: String(from),
          correlator: answer.correlator,
          expected: ids.correlator,
          reason: "correlator-mismatch",
        });
        logger.warn(
          { from: String(from), correlator: answer.correlator, expected: ids.correlator },
          "answer names another correlator; rejected",
        );
        return;
      }
      await complete(ids.correlator, device, answer.result, answer.deviceInfo);
    } catch (err) {
      logger.error({ err, from: String(from), correlator: ids.correlator }, "handling a task answer failed");
    }
  };

  async function complete(
    correlator: string,
    device: string,
    result: TaskResult,
    deviceInfo: DeviceInfoData | undefined,
  ): Promise<void> {
    const outcome = await tasks.complete(
      correlator,
      device,
      result,
      deviceInfo ? { deviceInfo, udi: deviceInfo.udi?.primaryChassis } : {},
    );
    if (!outcome.accepted) {
      await audit.record("rejected-answer", {
        from: device,
        correlator,
        reason: outcome.reason,
        state: outcome.state ?? "",
      });
      logger.warn({ device, correlator, reason: outcome.reason }, "answer rejected");
      return;
    }
    logger.debug(
      { device, correlator, success: result.success, errorCode: result.errorCode },
      "task answered",
    );
    if (deviceInfo) deps.onDeviceInfo?.(device, deviceInfo);
  }
}
