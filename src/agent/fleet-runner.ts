import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { EjabberdApi } from "../transports/xmpp/ejabberd-api.js";
import { createDevice, type DeviceModel, type DeviceProfile } from "./model/index.js";
import {
  createSimulatorShared,
  SimulatedDevice,
  type SimulatorOptions,
  type SimulatorShared,
} from "./simulated-device.js";

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
  /** At most this many logins start per second (0 or absent: no limit beyond `concurrency`). */
  loginsPerSecond?: number;
  onProgress?: (online: number) => void;
  /** Downloads, answered services and reboot timing, shared by every device. */
  simulator?: SimulatorOptions;
  /** Per-device profile additions (hostname, pnpServer, variant…); pid and serial come from the fleet. */
  profile?: (index: number, serial: string) => Partial<DeviceProfile>;
  /** Reconnect after a lost session (default true). */
  reconnect?: boolean;
  /**
   * Prebuilt device models (e.g. from a topology file, so CDP neighbours form a real graph). When
   * given, they replace count/pids/serialPrefix/profile: one device per model, named by its serial.
   */
  models?: DeviceModel[];
}

export { SimulatedDevice };

export interface RunningFleet {
  devices: SimulatedDevice[];
  /** The immutable simulator parts every device shares. */
  shared: SimulatorShared;
  stop(): Promise<void>;
}

const DEFAULT_PIDS = ["C9300-24P", "ISR4451-X/K9", "C9500-24Y4C", "CSR1000V", "CISCO2901/K9"];

/** Starts N simulated PnP devices in this process, each with its own account, model and XMPP session. */
export async function startFleet(options: FleetRunnerOptions): Promise<RunningFleet> {
  const pids = options.pids?.length ? options.pids : DEFAULT_PIDS;
  const prefix = (options.serialPrefix ?? `SIM${randomBytes(2).toString("hex")}`).toUpperCase();
  const shared = createSimulatorShared(options.simulator);
  const devices: SimulatedDevice[] = [];
  const passwords: string[] = [];
  const total = options.models?.length ?? options.count;
  for (let i = 0; i < total; i++) {
    const prebuilt = options.models?.[i];
    const serial = prebuilt?.serial ?? `${prefix}${String(i).padStart(5, "0")}`;
    const username = serial.toLowerCase();
    const model =
      prebuilt ?? createDevice({ pid: pids[i % pids.length]!, ...options.profile?.(i, serial), serial });
    const password = randomBytes(12).toString("base64url");
    const device = new SimulatedDevice({
      model,
      service: options.service,
      domain: options.domain,
      username,
      password,
      serverJid: options.serverJid,
      shared,
      ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
    });
    devices.push(device);
    passwords.push(password);
  }

  const api = options.api;
  const interval =
    options.loginsPerSecond && options.loginsPerSecond > 0 ? 1000 / options.loginsPerSecond : 0;
  let nextSlot = Date.now();
  let online = 0;
  let next = 0;
  const worker = async () => {
    while (next < devices.length) {
      const index = next++;
      const device = devices[index]!;
      if (api) {
        const password = passwords[index]!;
        const registered = await api.register(device.username, options.domain, password);
        if (registered === "exists") await api.changePassword(device.username, options.domain, password);
      }
      if (interval > 0) {
        const wait = nextSlot - Date.now();
        nextSlot = Math.max(nextSlot, Date.now()) + interval;
        if (wait > 0) await sleep(wait);
      }
      await device.start();
      options.onProgress?.(++online);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 32, devices.length) }, worker));
  passwords.length = 0;
  return {
    devices,
    shared,
    async stop() {
      await Promise.all(devices.map((d) => d.stop()));
    },
  };
}
