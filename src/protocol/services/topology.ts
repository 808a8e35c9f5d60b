// topology (urn:cisco:pnp:topology), §2.12: an empty request; the response is CDP neighbour data,
// topology/element+/(local/(interface, shortInterface, macAddress), remote/(interface, shortInterface,
// macAddress, deviceName, platform, version)). No errorInfo is defined. A device without neighbours
// answers `<topology/>` (the XSD wants one element or more, but there is nothing else to send).

import type { Element } from "ltx";
import { type BuildChild, element, leaf } from "../build.js";
import type { NamespaceReader } from "../read.js";
import type { ServiceCodec } from "./common.js";

// biome-ignore lint/complexity/noBannedTypes: the topology request has no body at all.
export type TopologyRequest = {};

export interface TopologyLocalPort {
  interface: string;
  shortInterface: string;
  macAddress: string;
}

export interface TopologyRemotePort extends TopologyLocalPort {
  deviceName: string;
  platform: string;
  version: string;
}

export interface TopologyNeighbor {
  local: TopologyLocalPort;
  remote: TopologyRemotePort;
}

export interface TopologyResponse {
  neighbors: TopologyNeighbor[];
}

const LOCAL_FIELDS = ["interface", "shortInterface", "macAddress"] as const;
const REMOTE_FIELDS = [...LOCAL_FIELDS, "deviceName", "platform", "version"] as const;

export const topologyCodec: ServiceCodec<TopologyRequest, TopologyResponse> = {
  errorInfo: "none",

  buildRequest(): BuildChild[] {
    return [];
  },

  parseRequest(): TopologyRequest {
    return {};
  },

  buildResponse(response: TopologyResponse): BuildChild[] {
    return [
      element(
        "topology",
        {},
        ...response.neighbors.map((neighbor) =>
          element(
            "element",
            {},
            element("local", {}, ...LOCAL_FIELDS.map((field) => leaf(field, neighbor.local[field]))),
            element("remote", {}, ...REMOTE_FIELDS.map((field) => leaf(field, neighbor.remote[field]))),
          ),
        ),
      ),
    ];
  },

  parseResponse(response: Element, reader: NamespaceReader): TopologyResponse {
    const topology = reader.child(response, "topology");
    if (topology === undefined) return { neighbors: [] };
    return {
      neighbors: reader.children(topology, "element").map((entry) => {
        const local = reader.requireChild(entry, "local");
        const remote = reader.requireChild(entry, "remote");
        const localPort = {} as TopologyLocalPort;
        for (const field of LOCAL_FIELDS) localPort[field] = reader.textOrEmpty(local, field);
        const remotePort = {} as TopologyRemotePort;
        for (const field of REMOTE_FIELDS) remotePort[field] = reader.textOrEmpty(remote, field);
        return { local: localPort, remote: remotePort };
      }),
    };
  },
};
