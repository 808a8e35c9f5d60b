import { randomBytes } from "node:crypto";
import type { EjabberdApi } from "../transports/xmpp/ejabberd-api.js";
import { createDevice, type DeviceModel } from "./model/index.js";
import { createPnpHandler } from "./pnp-handler.js";
import { XmppAgent } from "./xmpp-agent.js";

export interface FleetRunnerOptions {
  /** `xmpp://host:port` (STARTTLS) or `xmpps://host:port` (direct TLS). */
  service: string;
  domain: string;
  serverJid: string;
  /** Used to create the devices' accounts; omit when accounts exist (then pass passwords). */
  api?: EjabberdApi;
  count: number;
  /** Platforms the devices cycle through. */
  pids?: string[];
  /** Serial prefix; serials are <prefix><number>, upper case, and the XMPP username is the serial in lower case. */
  serialPrefix?: string;
  /** Logins in flight at once: paces the fleet so ejabberd's accept queue is not flooded. */
  concurrency?: number;
  onProgress?: (online: number) => void;
}

export interface SimulatedDevice {
  username: string;
  jid: string;
  model: DeviceModel;
  agent: XmppAgent;
}

export interface RunningFleet {
  devices: SimulatedDevice[];
  stop(): Promise<void>;
}

const DEFAULT_PIDS = ["C9300-24P", "ISR4451-X/K9", "C9500-24Y4C", "CSR1000V", "CISCO2901/K9"];

/** Starts N simulated PnP devices in this process, each with its own account, model and XMPP session. */
export async function startFleet(options: FleetRunnerOptions): Promise<RunningFleet> {
  const pids = options.pids?.length ? options.pids : DEFAULT_PIDS;
  const prefix = (options.serialPrefix ?? `SIM${randomBytes(2).toString("hex")}`).toUpperCase();
  const devices: SimulatedDevice[] = [];
  for (let i = 0; i < options.count; i++) {
    const serial = `${prefix}${String(i).padStart(5, "0")}`;
    const username = serial.toLowerCase();
    const model = createDevice({ pid: pids[i % pids.length]!, serial });
    const password = randomBytes(12).toString("base64url");
    const agent = new XmppAgent({
      service: options.service,
      domain: options.domain,
      username,
      password,
      serverJid: options.serverJid,
      handle: createPnpHandler(model),
    });
    devices.push({ username, jid: `${username}@${options.domain}`, model, agent });
    if (options.api) await options.api.register(username, options.domain, password).then((r) => {
      if (r === "exists") return options.api!.changePassword(username, options.domain, password);
    });
  }
  let online = 0;
  let next = 0;
  const worker = async () => {
    while (next < devices.length) {
      const device = devices[next++]!;
      await device.agent.start();
      options.onProgress?.(++online);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 32, devices.length) }, worker));
  return {
    devices,
    async stop() {
      await Promise.all(devices.map((d) => d.agent.stop()));
    },
  };
}
