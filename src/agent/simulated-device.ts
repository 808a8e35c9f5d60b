// One simulated PnP device: an XMPP session (XmppAgent), the device model and the service dispatcher,
// plus the reboot cycle a config-upgrade, image-install, licensing, reload or `reload` command asks for:
// the response goes out first, then the device goes offline, drops its session, "boots" for the
// requested delay plus its boot time, reloads its model (new image, startup-config), and logs in again
// with directed presence. Events: "reloading" (plan), "back" (ReloadResult), "reload-error" (Error),
// "answered" (PnpAnswer).
//
// A fleet holds thousands of these in one process: everything immutable (options, fetcher, service set)
// is shared through one SimulatorShared object; a device holds its model, its agent and small records.

import { EventEmitter } from "node:events";
import type { Element } from "ltx";
import type { RequestOf, ServiceName } from "../protocol/index.js";
import { createFileFetcher, type FileFetcher, type FileFetchOptions } from "./file-fetch.js";
import type { DeviceModel, ReloadPlan, ReloadResult } from "./model/index.js";
import { answerPnp, type PnpAnswer } from "./pnp-handler.js";
import {
  type AgentRecords,
  ALL_SERVICES,
  IMPLEMENTED_SERVICES,
  type ServiceContext,
} from "./services/index.js";
import {
  prepareTokenTrust,
  ServerTokenGate,
  type TokenCheckOptions,
  type TokenTrust,
} from "./token-check.js";
import { XmppAgent } from "./xmpp-agent.js";

export interface SimulatorOptions {
  /** Download options (size caps, timeout, base URL for `uri` references). */
  files?: FileFetchOptions;
  /** Replaces the HTTP fetcher (tests). */
  fetchFile?: FileFetcher;
  /** Services the devices answer; default all implemented. Others are answered with a fault. */
  services?: readonly ServiceName[];
  /** How long one second of a request's delayIn lasts, in ms. Default 1000. */
  delayMsPerSecond?: number;
  /** Simulated boot time after the delay, in ms. Default 3000. */
  bootTimeMs?: number;
  /** How long to wait for the response to be written before rebooting anyway, in ms. Default 2000. */
  replyTimeoutMs?: number;
  /** Verify the server authorization token after each login and refuse requests while it fails (token-check.ts). */
  token?: TokenCheckOptions;
}

/** The immutable part of a simulator, shared by every device of a fleet. */
export interface SimulatorShared {
  readonly fetchFile: FileFetcher;
  readonly services: ReadonlySet<ServiceName>;
  readonly delayMsPerSecond: number;
  readonly bootTimeMs: number;
  readonly replyTimeoutMs: number;
  readonly token?: TokenTrust;
}

export function createSimulatorShared(options: SimulatorOptions = {}): SimulatorShared {
  const services = options.services === undefined ? ALL_SERVICES : new Set(options.services);
  for (const service of services) {
    if (!IMPLEMENTED_SERVICES.includes(service))
      throw new Error(`the simulator does not implement ${service}`);
  }
  return Object.freeze({
    fetchFile: options.fetchFile ?? createFileFetcher(options.files),
    services,
    delayMsPerSecond: Math.max(0, options.delayMsPerSecond ?? 1000),
    bootTimeMs: Math.max(0, options.bootTimeMs ?? 3000),
    replyTimeoutMs: Math.max(0, options.replyTimeoutMs ?? 2000),
    ...(options.token ? { token: prepareTokenTrust(options.token) } : {}),
  });
}

let defaultShared: SimulatorShared | undefined;

function sharedDefault(): SimulatorShared {
  defaultShared ??= createSimulatorShared();
  return defaultShared;
}

export interface SimulatedDeviceOptions {
  model: DeviceModel;
  /** `xmpp://host:port` (STARTTLS) or `xmpps://host:port` (direct TLS). */
  service: string;
  domain: string;
  username: string;
  password: string;
  resource?: string;
  serverJid: string;
  /** Reconnect after a lost session (default true). */
  reconnect?: boolean;
  shared?: SimulatorShared;
}

export class SimulatedDevice extends EventEmitter implements ServiceContext {
  readonly model: DeviceModel;
  readonly agent: XmppAgent;
  readonly username: string;
  readonly jid: string;
  readonly shared: SimulatorShared;
  /** Present when the simulator verifies the server authorization token. */
  readonly tokenGate: ServerTokenGate | undefined;
  private recordsValue: AgentRecords | undefined;
  private reloadCycle: Promise<void> | undefined;
  private bootTimer: NodeJS.Timeout | undefined;
  private wakeBoot: (() => void) | undefined;
  private stopped = false;

  constructor(options: SimulatedDeviceOptions) {
    super();
    this.model = options.model;
    this.username = options.username;
    this.jid = `${options.username}@${options.domain}`;
    this.shared = options.shared ?? sharedDefault();
    const agentOptions: ConstructorParameters<typeof XmppAgent>[0] = {
      service: options.service,
      domain: options.domain,
      username: options.username,
      password: options.password,
      serverJid: options.serverJid,
      handle: (request) => this.handle(request),
    };
    if (options.resource !== undefined) agentOptions.resource = options.resource;
    if (options.reconnect !== undefined) agentOptions.reconnect = options.reconnect;
    this.agent = new XmppAgent(agentOptions);
    this.tokenGate = this.shared.token
      ? new ServerTokenGate(this.shared.token, {
          serverJid: options.serverJid,
          udi: () => this.model.udi || undefined,
          request: (iq, timeoutMs) => this.agent.xmpp.iqCaller.request(iq, timeoutMs),
        }).attach(this.agent)
      : undefined;
  }

  // ---- ServiceContext ----------------------------------------------------------------------------

  get fetchFile(): FileFetcher {
    return this.shared.fetchFile;
  }

  get services(): ReadonlySet<ServiceName> {
    return this.shared.services;
  }

  get records(): AgentRecords {
    this.recordsValue ??= {};
    return this.recordsValue;
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  /** Logs in; resolves when online and presence was sent. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.agent.start();
  }

  /** Logs out and cancels a reboot in progress (the device stays down). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.bootTimer);
    this.wakeBoot?.();
    await this.agent.stop();
    await this.reloadCycle?.catch(() => undefined);
  }

  /** True from the moment a reboot starts until the device is back online. */
  get isReloading(): boolean {
    return this.reloadCycle !== undefined;
  }

  /** Resolves when no reboot is in progress (at once when none is). */
  async settled(): Promise<void> {
    while (this.reloadCycle) await this.reloadCycle.catch(() => undefined);
  }

  // ---- requests ----------------------------------------------------------------------------------

  /** Answers one `<pnp>` request; a reboot it asks for starts once the reply is written. */
  async handle(request: Element): Promise<Element> {
    const refusal = await this.tokenGate?.refusal();
    if (refusal) {
      this.emit("answered", { reply: refusal, reload: null, replayed: false } satisfies PnpAnswer);
      return refusal;
    }
    const redirectedBefore = this.recordsValue?.redirection?.at;
    const answer = await answerPnp(this, request);
    this.emit("answered", answer);
    if (answer.reload) this.scheduleReload(answer.reload, answer.reply);
    const redirection = this.recordsValue?.redirection;
    if (redirection && redirection.at !== redirectedBefore && !answer.replayed)
      this.scheduleRedirect(redirection.request, answer.reply);
    return answer.reply;
  }

  /** Reboots now, as a reload without a pending reply (console `reload`, tests). */
  reloadNow(plan: ReloadPlan): Promise<void> {
    if (this.reloadCycle) return this.reloadCycle;
    this.reloadCycle = this.rebootCycle(plan, Promise.resolve()).finally(() => {
      this.reloadCycle = undefined;
    });
    return this.reloadCycle;
  }

  private scheduleReload(plan: ReloadPlan, reply: Element): void {
    if (this.reloadCycle || this.stopped) return;
    const sent = this.replySent(reply);
    this.reloadCycle = this.rebootCycle(plan, sent).finally(() => {
      this.reloadCycle = undefined;
    });
    this.reloadCycle.catch(() => undefined);
  }

  /**
   * Honours a redirection: once the answer is written, the device leaves this server and logs in to the
   * primary server the request named (XMPP protocols only; an HTTP(S) target is recorded, since this
   * agent speaks XMPP). The request's XMPP credentials and server JID are used when given.
   */
  private scheduleRedirect(request: RedirectTarget, reply: Element): void {
    const server = request.primaryServer;
    const scheme =
      server.protocol === "xmpp-tls" ? "xmpps" : server.protocol.startsWith("xmpp") ? "xmpp" : undefined;
    if (!scheme || !server.address) return;
    const host = server.address.kind === "ipv6" ? `[${server.address.value}]` : server.address.value;
    const auth = server.authentication;
    const target: Parameters<XmppAgent["retarget"]>[0] = {
      service: `${scheme}://${host}${server.port ? `:${server.port}` : ""}`,
    };
    if (auth?.serverXmppJid) target.serverJid = auth.serverXmppJid;
    if (auth?.username) target.username = auth.username;
    if (auth?.password && auth.passwordType !== 7) target.password = auth.password;
    void this.replySent(reply)
      .then(async () => {
        if (this.stopped) return;
        this.agent.retarget(target);
        await this.agent.stop();
        await this.agent.restart();
        this.emit("redirected", target.service);
      })
      .catch((err) => this.emit("reload-error", err instanceof Error ? err : new Error(String(err))));
  }

  /** Resolves once the iq result carrying `reply` was written (or after replyTimeoutMs). */
  private replySent(reply: Element): Promise<void> {
    const xmpp = this.agent.xmpp as unknown as {
      on(event: "send", listener: (stanza: Element) => void): void;
      off(event: "send", listener: (stanza: Element) => void): void;
    };
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        xmpp.off("send", onSend);
        resolve();
      };
      const onSend = (stanza: Element) => {
        if (stanza.name === "iq" && stanza.children.includes(reply)) done();
      };
      const timer = setTimeout(done, this.shared.replyTimeoutMs);
      xmpp.on("send", onSend);
    });
  }

  private async rebootCycle(plan: ReloadPlan, replyWritten: Promise<void>): Promise<void> {
    await replyWritten;
    if (this.stopped) return;
    this.emit("reloading", plan);
    this.model.setOnline(false);
    await this.agent.stop();
    await this.bootDelay(plan.delaySeconds * this.shared.delayMsPerSecond + this.shared.bootTimeMs);
    if (this.stopped) return;
    const request: Parameters<DeviceModel["reload"]>[0] = { reason: plan.reason };
    if (plan.saveConfig) request.saveConfig = true;
    if (plan.eraseConfig) request.eraseConfig = true;
    let result: ReloadResult;
    try {
      result = this.model.reload(request);
    } finally {
      this.model.setOnline(true);
    }
    try {
      await this.agent.restart();
      if (this.stopped) {
        await this.agent.stop();
        return;
      }
    } catch (err) {
      // The agent's own reconnection (when enabled) keeps trying; report it.
      this.emit("reload-error", err instanceof Error ? err : new Error(String(err)));
      return;
    }
    this.emit("back", result);
  }

  /** The simulated reboot time: a real timer, cancelled by stop(). */
  private bootDelay(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wakeBoot = () => {
        this.wakeBoot = undefined;
        resolve();
      };
      this.bootTimer = setTimeout(() => this.wakeBoot?.(), ms);
    });
  }
}

export type { PnpAnswer };

type RedirectTarget = Omit<RequestOf<"redirection">, "service" | "correlator">;
