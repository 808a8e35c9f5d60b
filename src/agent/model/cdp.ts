// CDP neighbours as the device sees them, the topology service data, and `show cdp neighbors` output.
// Neighbours are links to peers (other DeviceModels or static descriptions); what is visible is worked
// out at read time, so a peer's hostname change or a shut interface shows up at once.

import { cdpRunning, interfaceCdpEnabled, interfaceMac, interfaceShutdown } from "./facts.js";
import { dottedMac, fnv1a, padRight } from "./format.js";
import { cdpInterfaceName, shortInterfaceName } from "./interfaces.js";
import type { CdpPeer, DeviceState } from "./state.js";

export interface CdpNeighbor {
  deviceId: string;
  localInterface: string;
  remoteInterface: string;
  platform: string;
  capabilities: string;
  holdtime: number;
  versionLine: string;
  version: string;
  address?: string;
  localMac: string;
  remoteMac: string;
}

/** One `topology/element` of the topology service response. */
export interface TopologyElement {
  local: { interface: string; shortInterface: string; macAddress: string };
  remote: {
    interface: string;
    shortInterface: string;
    macAddress: string;
    deviceName: string;
    platform: string;
    version: string;
  };
}

/** Whether this device currently sends CDP out of an interface. */
export function advertises(state: DeviceState, ifname: string): boolean {
  return (
    state.online &&
    cdpRunning(state) &&
    !interfaceShutdown(state, ifname) &&
    interfaceCdpEnabled(state, ifname)
  );
}

export function visibleNeighbors(state: DeviceState): CdpNeighbor[] {
  if (!state.neighbors || !advertisesAnything(state)) return [];
  const out: CdpNeighbor[] = [];
  for (const link of state.neighbors) {
    if (!advertises(state, link.localInterface)) continue;
    const peer = link.peer;
    if (!peer.cdpAdvertises(link.remoteInterface)) continue;
    const n: CdpNeighbor = {
      deviceId: peer.cdpDeviceId(),
      localInterface: link.localInterface,
      remoteInterface: link.remoteInterface,
      platform: peer.cdpPlatform(),
      capabilities: peer.cdpCapabilities(),
      holdtime: 150 + (fnv1a(`${link.localInterface}|${link.remoteInterface}`) % 30),
      versionLine: peer.cdpVersionLine(),
      version: peer.cdpVersion(),
      localMac: interfaceMac(state, link.localInterface),
      remoteMac: peer.cdpInterfaceMac(link.remoteInterface),
    };
    const address = peer.cdpAddress();
    if (address !== undefined) n.address = address;
    out.push(n);
  }
  return out;
}

function advertisesAnything(state: DeviceState): boolean {
  return state.online && cdpRunning(state);
}

export function topologyElements(state: DeviceState): TopologyElement[] {
  return visibleNeighbors(state).map((n) => ({
    local: {
      interface: n.localInterface,
      shortInterface: shortInterfaceName(n.localInterface),
      macAddress: n.localMac,
    },
    remote: {
      interface: n.remoteInterface,
      shortInterface: shortInterfaceName(n.remoteInterface),
      macAddress: n.remoteMac,
      deviceName: n.deviceId,
      platform: n.platform,
      version: n.version,
    },
  }));
}

const CAP_HEADER = [
  "Capability Codes: R - Router, T - Trans Bridge, B - Source Route Bridge",
  "                  S - Switch, H - Host, I - IGMP, r - Repeater, P - Phone, ",
  "                  D - Remote, C - CVTA, M - Two-port Mac Relay ",
  "",
];

const CAP_WORDS: Record<string, string> = {
  R: "Router",
  T: "Trans-Bridge",
  B: "Source-Route-Bridge",
  S: "Switch",
  H: "Host",
  I: "IGMP",
};

export function renderCdpNeighbors(state: DeviceState, detail: boolean): string {
  if (!cdpRunning(state)) return "% CDP is not enabled\n";
  const neighbors = visibleNeighbors(state);
  if (detail) {
    const blocks = neighbors.map((n) =>
      [
        "-------------------------",
        `Device ID: ${n.deviceId}`,
        "Entry address(es): ",
        ...(n.address ? [`  IP address: ${n.address}`] : []),
        `Platform: cisco ${n.platform},  Capabilities: ${n.capabilities
          .split(" ")
          .map((c) => CAP_WORDS[c] ?? c)
          .join(" ")} `,
        `Interface: ${n.localInterface},  Port ID (outgoing port): ${n.remoteInterface}`,
        `Holdtime : ${n.holdtime} sec`,
        "",
        "Version :",
        n.versionLine,
        "Technical Support: http://www.cisco.com/techsupport",
        "",
        "advertisement version: 2",
        "Duplex: full",
        ...(n.address ? ["Management address(es): ", `  IP address: ${n.address}`] : []),
        "",
      ].join("\n"),
    );
    return `${blocks.join("\n")}\nTotal cdp entries displayed : ${neighbors.length}\n`;
  }
  const rows = neighbors.map((n) => {
    const id = n.deviceId.length > 16 ? `${n.deviceId}\n${" ".repeat(17)}` : padRight(n.deviceId, 17);
    return `${id}${padRight(cdpInterfaceName(n.localInterface), 18)}${padRight(String(n.holdtime), 14)}${padRight(n.capabilities, 12)}${padRight(n.platform.slice(0, 9), 10)}${cdpInterfaceName(n.remoteInterface)}`;
  });
  return [
    ...CAP_HEADER,
    "Device ID        Local Intrfce     Holdtme    Capability  Platform  Port ID",
    ...rows,
    "",
    `Total cdp entries displayed : ${neighbors.length}`,
    "",
  ].join("\n");
}

export interface StaticPeerSpec {
  deviceId: string;
  pid: string;
  version?: string;
  versionLine?: string;
  address?: string;
  /** Base MAC; interface MACs are derived from it. */
  mac?: string;
  capabilities?: string;
}

/** A neighbour that is not simulated: a fixed CDP description (e.g. an upstream router). */
export function staticPeer(spec: StaticPeerSpec): CdpPeer {
  const base = fnv1a(spec.deviceId) * 256;
  return {
    cdpDeviceId: () => spec.deviceId,
    cdpPlatform: () => spec.pid,
    cdpCapabilities: () => spec.capabilities ?? "R S I",
    cdpVersionLine: () => spec.versionLine ?? `Cisco IOS Software, Version ${spec.version ?? "17.9.4a"}`,
    cdpVersion: () => spec.version ?? "17.9.4a",
    cdpAddress: () => spec.address,
    cdpInterfaceMac: (ifname: string) =>
      spec.mac ?? dottedMac((base + (fnv1a(ifname) % 256)) % 0xffffffffffff),
    cdpAdvertises: () => true,
  };
}
