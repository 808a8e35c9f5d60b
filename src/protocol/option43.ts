// DHCP option 43 strings that point an agent at the PnP server (§4.2): `5A1N;B2;K4;I10.1.2.3;J80`.
// 5 = PnP sub-option, A = active, 1 = version, N/D = debug off/on; B1/B2/B3 = host/IPv4/IPv6;
// I = address (capital i); J = port; K1..K5 = XMPP-starttls, XMPP-socket, XMPP-tls, HTTP, HTTPS.
// T (trustpool URL) and Z (NTP server) come from one source only (OPS): low confidence, optional here.
// Token order varies in the wild; parsing accepts any order.

import { PnpProtocolError } from "./errors.js";

export const OPTION43_TRANSPORTS = ["xmpp-starttls", "xmpp-socket", "xmpp-tls", "http", "https"] as const;
export type Option43Transport = (typeof OPTION43_TRANSPORTS)[number];
export type Option43AddressType = "host" | "ipv4" | "ipv6";

export interface Option43 {
  address: string;
  /** Detected from the address when omitted. */
  addressType?: Option43AddressType;
  /** Default http (K4). */
  transport?: Option43Transport;
  /** Default 80 for http, 443 for https, 5222 for xmpp-starttls and xmpp-socket, 5223 for xmpp-tls. */
  port?: number;
  /** D instead of N: the agent logs debug output. */
  debug?: boolean;
  trustpoolUrl?: string;
  ntpServer?: string;
}

const ADDRESS_TYPE_CODE: Record<Option43AddressType, string> = { host: "1", ipv4: "2", ipv6: "3" };
const TRANSPORT_CODE: Record<Option43Transport, string> = {
  "xmpp-starttls": "1",
  "xmpp-socket": "2",
  "xmpp-tls": "3",
  http: "4",
  https: "5",
};
const DEFAULT_PORT: Record<Option43Transport, number> = {
  "xmpp-starttls": 5222,
  "xmpp-socket": 5222,
  "xmpp-tls": 5223,
  http: 80,
  https: 443,
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOSTNAME =
  /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

function isIpv6(address: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(address) || !address.includes(":")) return false;
  const doubleColons = address.split("::").length - 1;
  if (doubleColons > 1) return false;
  let groups = address.split(":").filter((group) => group !== "");
  const last = groups.at(-1);
  let extra = 0;
  if (last?.includes(".")) {
    if (!IPV4.test(last)) return false;
    groups = groups.slice(0, -1);
    extra = 2;
  }
  if (!groups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  const count = groups.length + extra;
  return doubleColons === 1 ? count < 8 : count === 8;
}

export function detectAddressType(address: string): Option43AddressType | undefined {
  if (IPV4.test(address)) return "ipv4";
  if (isIpv6(address)) return "ipv6";
  if (HOSTNAME.test(address)) return "host";
  return undefined;
}

function invalid(message: string): PnpProtocolError {
  return new PnpProtocolError("PNP_OPTION43_INVALID", message);
}

/** The option 43 string, e.g. `5A1N;B2;K4;I192.0.2.10;J80`. Throws PNP_OPTION43_INVALID on bad input. */
export function buildOption43(options: Option43): string {
  const detected = detectAddressType(options.address);
  if (detected === undefined) throw invalid(`"${options.address}" is not an IPv4, IPv6 address or host name`);
  const addressType = options.addressType ?? detected;
  if (addressType !== detected) throw invalid(`"${options.address}" is not of address type ${addressType}`);
  const transport = options.transport ?? "http";
  if (!OPTION43_TRANSPORTS.includes(transport)) throw invalid(`unknown transport "${String(transport)}"`);
  const port = options.port ?? DEFAULT_PORT[transport];
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw invalid(`port ${String(port)} is out of range`);
  const tokens = [
    `5A1${options.debug === true ? "D" : "N"}`,
    `B${ADDRESS_TYPE_CODE[addressType]}`,
    `K${TRANSPORT_CODE[transport]}`,
    `I${options.address}`,
    `J${port}`,
  ];
  for (const [letter, value] of [
    ["T", options.trustpoolUrl],
    ["Z", options.ntpServer],
  ] as const) {
    if (value === undefined) continue;
    if (value === "" || /[;\s]/.test(value))
      throw invalid(`${letter} value must be non-empty without ';' or spaces`);
    tokens.push(`${letter}${value}`);
  }
  return tokens.join(";");
}

/** Reads an option 43 string in any token order; defaults are filled in (transport http, default port). */
export function parseOption43(
  text: string,
): Required<Pick<Option43, "address" | "addressType" | "transport" | "port" | "debug">> &
  Pick<Option43, "trustpoolUrl" | "ntpServer"> {
  const tokens = text
    .trim()
    .split(";")
    .map((token) => token.trim());
  const header = tokens.shift() ?? "";
  if (!/^5A(1[ND]?)?$/.test(header)) throw invalid(`"${header}" is not a PnP option 43 header (5A1N)`);
  let address: string | undefined;
  let addressType: Option43AddressType | undefined;
  let transport: Option43Transport = "http";
  let port: number | undefined;
  let trustpoolUrl: string | undefined;
  let ntpServer: string | undefined;
  for (const token of tokens) {
    const letter = token.charAt(0);
    const value = token.slice(1);
    switch (letter) {
      case "B": {
        const type = (Object.keys(ADDRESS_TYPE_CODE) as Option43AddressType[]).find(
          (key) => ADDRESS_TYPE_CODE[key] === value,
        );
        if (type === undefined) throw invalid(`unknown address type token "${token}"`);
        addressType = type;
        break;
      }
      case "K": {
        const found = OPTION43_TRANSPORTS.find((key) => TRANSPORT_CODE[key] === value);
        if (found === undefined) throw invalid(`unknown transport token "${token}"`);
        transport = found;
        break;
      }
      case "I":
        address = value;
        break;
      case "J":
        if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
          throw invalid(`bad port token "${token}"`);
        }
        port = Number(value);
        break;
      case "T":
        trustpoolUrl = value;
        break;
      case "Z":
        ntpServer = value;
        break;
      default:
        // Unknown or empty tokens (a trailing ';') are ignored.
        break;
    }
  }
  if (address === undefined || address === "") throw invalid("no I<address> token");
  const result: ReturnType<typeof parseOption43> = {
    address,
    addressType: addressType ?? detectAddressType(address) ?? "host",
    transport,
    port: port ?? DEFAULT_PORT[transport],
    debug: header.endsWith("D"),
  };
  if (trustpoolUrl !== undefined) result.trustpoolUrl = trustpoolUrl;
  if (ntpServer !== undefined) result.ntpServer = ntpServer;
  return result;
}
