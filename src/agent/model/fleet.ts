// Builds a fleet of DeviceModels from a validated topology and cables them together, so each device's
// CDP neighbours are the other simulated devices (live: hostname changes and shut ports show up).

import { connectDevices, DeviceModel, type DeviceProfile, derivedSerial } from "./device.js";
import { getPlatform } from "./platforms.js";
import { formatTopologyErrors, parseTopology, type Topology } from "./topology.js";

export interface FleetOptions {
  /** Profile fields applied to every device (pnpServer, clock, location…). */
  defaults?: Omit<Partial<DeviceProfile>, "pid" | "serial" | "variant" | "members" | "neighbors">;
}

/** Creates one device per topology entry (serial derived from the name when absent) and cables the links. */
export function buildFleet(topology: Topology, opts: FleetOptions = {}): Map<string, DeviceModel> {
  const fleet = new Map<string, DeviceModel>();
  for (const d of topology.devices) {
    const platform = getPlatform(d.pid)!;
    const profile: DeviceProfile = {
      ...opts.defaults,
      pid: d.pid,
      serial: d.serial ?? derivedSerial(platform, `fleet|${d.name}`),
      variant: d.variant,
    };
    if (d.variant === "stack") profile.members = d.members;
    if (d.hostname !== undefined) profile.hostname = d.hostname;
    if (d.mgmtIp !== undefined) profile.mgmtIp = d.mgmtIp;
    fleet.set(d.name, new DeviceModel(profile));
  }
  for (const l of topology.links) {
    connectDevices(fleet.get(l.a.device)!, l.a.interface, fleet.get(l.b.device)!, l.b.interface);
  }
  return fleet;
}

/** Parses, validates and builds in one step; throws with every validation error listed. */
export function fleetFromTopology(input: string | object, opts: FleetOptions = {}): Map<string, DeviceModel> {
  const parsed = parseTopology(input);
  if (!parsed.ok) throw new Error(`invalid topology:\n${formatTopologyErrors(parsed.errors)}`);
  return buildFleet(parsed.topology, opts);
}
