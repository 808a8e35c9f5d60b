import type { Middleware } from "@xmpp/component";
import type { PresenceStore } from "../../core/presence.js";
import type { Logger } from "../../log/logger.js";
import { deviceIdOf } from "./addresses.js";

export interface PresenceHandlerDeps {
  store: PresenceStore;
  xmppDomain: string;
  logger: Logger;
  /** Called when a device comes up, to deliver what waits for it. */
  onUp(device: string, resource: string): void;
}

/**
 * Presence stanzas from devices. Devices send directed presence to our domain after login; ejabberd then
 * sends us `unavailable` whenever that session ends, even when its socket was killed.
 */
export function presenceHandler({ store, xmppDomain, logger, onUp }: PresenceHandlerDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.stanza.name !== "presence") return next();
    const from = ctx.from;
    const type = ctx.stanza.attrs.type as string | undefined;
    const device = deviceIdOf(from, xmppDomain);
    if (!from || !device) {
      logger.debug({ from: String(from), type }, "presence from outside the device domain ignored");
      return;
    }
    if (type !== undefined && type !== "unavailable") return; // probes, subscriptions, errors: not presence changes
    const state = type === "unavailable" ? "down" : "up";
    try {
      const result = await store.apply({
        device,
        state,
        resource: from.resource,
        reason: type ?? "available",
        transport: "xmpp",
      });
      if (result.changed) logger.info({ device, resource: from.resource, state }, "device presence");
      else logger.debug({ device, state, why: result.why }, "presence without change");
      if (result.changed && state === "up") onUp(device, from.resource);
    } catch (err) {
      logger.error({ err, device, state }, "could not record presence");
    }
  };
}
