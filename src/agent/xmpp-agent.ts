import { EventEmitter } from "node:events";
import { client, xml } from "@xmpp/client";
import type { Element } from "ltx";
import { guardXmlInput } from "../transports/xmpp/input-guard.js";
import { NS_PNP_SERVER_XMPP } from "../transports/xmpp/namespaces.js";

export const PNP_NS = "urn:cisco:pnp";

export interface XmppAgentOptions {
  /** `xmpp://host:port` (STARTTLS) or `xmpps://host:port` (direct TLS; the host must match the certificate). */
  service: string;
  domain: string;
  username: string;
  password: string;
  resource?: string;
  /** The PnP server's JID (the component domain): where presence goes and requests come from. */
  serverJid: string;
  /** Answers one `<pnp>` request with the `<pnp>` response; throwing answers with an iq error. */
  handle(request: Element, from: string): Promise<Element>;
  /** Reconnect after a lost session, as a real agent does; off for one-shot tests. */
  reconnect?: boolean;
}

/**
 * The transport half of a simulated PnP agent: logs in with SASL PLAIN over TLS, announces itself with
 * directed presence to the server JID (which makes ejabberd tell the server when the session ends),
 * and answers `<iq type="set"><pnp/></iq>` requests with `<iq type="result"><pnp/></iq>`.
 */
export class XmppAgent extends EventEmitter {
  readonly xmpp: ReturnType<typeof client>;
  private stopped = false;
  private reconnectWatchdog: NodeJS.Timeout | undefined;
  /** Whether xmpp.js's reconnect listens for disconnects (stop/kill disarm it, restart re-arms it). */
  private reconnectArmed: boolean;

  constructor(readonly options: XmppAgentOptions) {
    super();
    this.xmpp = client({
      service: options.service,
      domain: options.domain,
      resource: options.resource ?? "pnp",
      // Force PLAIN: xmpp.js prefers SCRAM-SHA-1, about 40 times slower in pure JS, and PnP agents use PLAIN.
      // (The DefinitelyTyped signature lags 0.14's callback; the cast only silences that.)
      // Read at each login, so a redirection to another server can bring other credentials.
      credentials: ((authenticate: (creds: object, mechanism: string) => Promise<void>) =>
        authenticate({ username: this.options.username, password: this.options.password }, "PLAIN")) as never,
    });
    guardXmlInput(this.xmpp);
    // xmpp.js allows 2 s per step (connect, open, auth); a loaded server that is still starting needs more.
    (this.xmpp as unknown as { timeout: number }).timeout = 10_000;
    // A reconnect whose stream never opens (the server accepted TCP while starting, then stayed silent)
    // leaves xmpp.js in "opening" for good: its reconnect only retries after a disconnect. Tear such an
    // attempt down, so the next one comes.
    this.xmpp.reconnect.on("reconnecting", () => {
      clearTimeout(this.reconnectWatchdog);
      this.reconnectWatchdog = setTimeout(() => {
        const status = (this.xmpp as unknown as { status: string }).status;
        if (!this.stopped && status !== "online" && status !== "disconnect") this.destroySocket();
      }, 15_000);
      this.reconnectWatchdog.unref();
    });
    this.xmpp.on("online", () => clearTimeout(this.reconnectWatchdog));
    this.reconnectArmed = options.reconnect !== false;
    if (options.reconnect === false) this.xmpp.reconnect.stop();
    else this.xmpp.reconnect.delay = 1000 + Math.floor(Math.random() * 2000);

    this.xmpp.on("error", (err: Error) => this.emit("transport-error", err));
    this.xmpp.on("online", async () => {
      try {
        // Directed presence to the server JID: the only presence a PnP agent needs to send.
        await this.xmpp.send(xml("presence", { to: options.serverJid }));
        this.emit("online");
      } catch (err) {
        this.emit("transport-error", err);
      }
    });
    this.xmpp.on("offline", () => this.emit("offline"));
    this.xmpp.on("disconnect", () => this.emit("disconnect"));
    // The server lost our presence (it was away): announce ourselves again. Contract in the XMPP README.
    this.xmpp.iqCallee.set(NS_PNP_SERVER_XMPP, "announce", async () => {
      await this.xmpp.send(xml("presence", { to: options.serverJid }));
      this.emit("announced");
      return xml("announced", { xmlns: NS_PNP_SERVER_XMPP });
    });
    this.xmpp.iqCallee.set(
      PNP_NS,
      "pnp",
      async (ctx: { stanza: Element; from: { toString(): string } | null }) => {
        const pnp = ctx.stanza.getChild("pnp", PNP_NS);
        if (!pnp) return undefined;
        return this.options.handle(pnp, String(ctx.from ?? ""));
      },
    );
  }

  /** Resolves when logged in and presence was sent. */
  async start(): Promise<void> {
    this.stopped = false;
    const online = new Promise<void>((resolve, reject) => {
      const onOnline = () => {
        this.off("transport-error", onError);
        resolve();
      };
      const onError = (err: Error) => {
        this.off("online", onOnline);
        reject(err);
      };
      this.once("online", onOnline);
      this.once("transport-error", onError);
    });
    await this.xmpp.start();
    await online;
  }

  /**
   * Points the agent at another server (a PnP redirection): the next login goes to `service`, as
   * `username`, and presence to `serverJid`. Call restart() afterwards to move.
   */
  retarget(target: {
    service: string;
    domain?: string;
    serverJid?: string;
    username?: string;
    password?: string;
  }): void {
    const entity = this.xmpp as unknown as { options: { service: string; domain: string } };
    entity.options.service = target.service;
    this.options.service = target.service;
    if (target.domain) {
      entity.options.domain = target.domain;
      this.options.domain = target.domain;
    }
    if (target.serverJid) this.options.serverJid = target.serverJid;
    if (target.username) this.options.username = target.username;
    if (target.password) this.options.password = target.password;
  }

  /**
   * Logs in again after stop() or kill(), as a device does when it is back from a reboot: re-arms
   * reconnection (unless the options turned it off), then start(), which sends directed presence again.
   */
  async restart(): Promise<void> {
    if (this.options.reconnect !== false && !this.reconnectArmed) {
      this.xmpp.reconnect.start();
      this.reconnectArmed = true;
    }
    if (this.xmpp.status !== "offline") {
      // A half-closed session from before (kill() leaves one): close it so start() is allowed.
      try {
        await this.xmpp.stop();
      } catch {
        // Already gone.
      }
    }
    await this.start();
  }

  /** Logs out cleanly (ejabberd then tells the server the device is gone). */
  async stop(): Promise<void> {
    clearTimeout(this.reconnectWatchdog);
    this.stopped = true;
    this.reconnectArmed = false;
    this.xmpp.reconnect.stop();
    try {
      await this.xmpp.stop();
    } catch {
      // Already gone.
    }
  }

  /** Drops the TCP connection without closing the stream, as a device losing power would. */
  kill(): void {
    this.stopped = true;
    this.reconnectArmed = false;
    this.xmpp.reconnect.stop();
    this.destroySocket();
  }

  /** Drops the TCP connection without closing the stream (xmpp.js then sees a disconnect). */
  private destroySocket(): void {
    // Plain and STARTTLS connections expose the net/tls socket; direct TLS wraps it in xmpp.js's Socket.
    type Destroyable = { destroy?: () => void; socket?: { destroy(): void } | null };
    const socket = (this.xmpp as unknown as { socket?: Destroyable | null }).socket;
    if (socket?.destroy) socket.destroy();
    else socket?.socket?.destroy();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Writes raw bytes on the stream (tests of hostile input). */
  writeRaw(data: string): Promise<void> {
    return (this.xmpp as unknown as { write(s: string): Promise<void> }).write(data);
  }
}
