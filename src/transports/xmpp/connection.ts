import { EventEmitter } from "node:events";
import { type Component, component, type Middleware, type StreamError } from "@xmpp/component";
import type { Element } from "ltx";
import { PnpError } from "../../errors.js";
import type { Logger } from "../../log/logger.js";
import { guardXmlInput } from "./input-guard.js";

export interface ComponentConnectionOptions {
  service: string;
  domain: string;
  secret: string;
  logger: Logger;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  /** Per-step timeout of xmpp.js (connect, open, handshake). */
  stepTimeoutMs?: number;
}

/** Exponential backoff with full jitter on the upper half: spreads instances that lost ejabberd together. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * The XEP-0114 stream to ejabberd. xmpp.js reconnects every second forever, even after ejabberd refused
 * our secret; we replace that with backoff and jitter, and stop for good on `not-authorized` with one
 * clear error. Events: "online" on each (re)connection, "offline" when the stream drops, "fatal".
 */
export class ComponentConnection extends EventEmitter {
  readonly xmpp: Component;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private fatalError: PnpError | undefined;
  private online = false;
  private shallowErrorsInstalled = false;

  constructor(private readonly options: ComponentConnectionOptions) {
    super();
    const { logger } = options;
    this.xmpp = component({ service: options.service, domain: options.domain, password: options.secret });
    this.xmpp.timeout = options.stepTimeoutMs ?? 10_000;
    guardXmlInput(this.xmpp);
    this.xmpp.reconnect.stop();

    this.xmpp.on("error", (err: StreamError) => {
      if (err.condition === "not-authorized") {
        this.fatalError = new PnpError(
          "PNP_COMPONENT_AUTH",
          `ejabberd refused the component secret for ${options.domain} (not-authorized): check PNP_COMPONENT_SECRET against the ejabberd_service listener`,
        );
        logger.error({ code: this.fatalError.code, service: options.service }, this.fatalError.message);
        this.emit("fatal", this.fatalError);
        return;
      }
      logger.warn(
        { err: err.message, condition: err.condition, service: options.service },
        "component stream error",
      );
    });
    this.xmpp.on("online", () => {
      this.attempt = 0;
      this.online = true;
      logger.info({ domain: options.domain, service: options.service }, "component online");
      this.emit("online");
    });
    this.xmpp.on("disconnect", () => {
      if (this.online) {
        this.online = false;
        logger.warn({ service: options.service }, "component stream lost");
        this.emit("offline");
      }
      this.scheduleReconnect();
    });
  }

  get isOnline(): boolean {
    return this.online;
  }

  /** True while a reconnect attempt is scheduled (never after a fatal error or stop). */
  get reconnectPending(): boolean {
    return this.timer !== undefined;
  }

  /** How many connection attempts were made since the last success (0 when online). */
  get failedAttempts(): number {
    return this.attempt;
  }

  use(middleware: Middleware): void {
    this.xmpp.middleware.use(middleware);
  }

  /** Sends a stanza; `from` is filled with our domain when missing. */
  send(stanza: Element): Promise<void> {
    return this.xmpp.send(stanza);
  }

  /**
   * Connects and resolves once online. Keeps trying while ejabberd is unreachable (it may still be
   * starting); rejects at once with PNP_COMPONENT_AUTH on a wrong secret.
   */
  start(): Promise<void> {
    this.stopping = false;
    if (!this.shallowErrorsInstalled) {
      // Registered last, so it only sees iq get/set that no handler took. xmpp.js then answers with an
      // error that echoes the payload, and ltx serialises recursively: a payload nested tens of thousands
      // of levels deep would overflow the stack and the sender would get no answer. Echo it empty.
      this.shallowErrorsInstalled = true;
      this.xmpp.middleware.use((ctx, next) => {
        if (ctx.stanza.name === "iq" && (ctx.type === "get" || ctx.type === "set")) {
          for (const child of ctx.stanza.getChildElements()) child.children = [];
        }
        return next();
      });
    }
    return new Promise((resolve, reject) => {
      const onOnline = () => {
        this.off("fatal", onFatal);
        resolve();
      };
      const onFatal = (err: PnpError) => {
        this.off("online", onOnline);
        reject(err);
      };
      this.once("online", onOnline);
      this.once("fatal", onFatal);
      this.xmpp.start().catch(() => {
        // Failures are reported through the "error" and "disconnect" listeners above.
      });
    });
  }

  private scheduleReconnect(): void {
    if (this.stopping || this.fatalError || this.timer) return;
    const delay = backoffDelay(this.attempt++, this.options.reconnectBaseMs, this.options.reconnectMaxMs);
    this.options.logger.info({ delayMs: delay, attempt: this.attempt }, "component reconnecting");
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopping || this.xmpp.status !== "disconnect") return;
      const { service, domain } = this.options;
      this.xmpp
        .connect(service)
        .then(() => this.xmpp.open({ domain }))
        .catch(() => {
          // A failed attempt ends in "disconnect", which schedules the next one.
        });
    }, delay);
  }

  /** Closes the stream gracefully; no reconnect after this. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      await this.xmpp.stop();
    } catch {
      // The socket may already be gone; stopping is best effort.
    }
    this.online = false;
  }
}
