// Namespace URIs of the PnP protocol. Dispatch always compares (namespace URI, local name); prefixes
// are never looked at (pnp-wire-format.md §6 item 2).

export const NS_PNP = "urn:cisco:pnp";
/** Work request (device → server, `info/deviceId`) and bye (server → device, `info/workInfo/bye`). */
export const NS_WORK_INFO = "urn:cisco:pnp:work-info";
/** Faults sent by the agent when it cannot handle a request (§1.5). */
export const NS_FAULT = "urn:cisco:pnp:fault";
/** Namespace of `XSVC-ERR:error` / `XSVC-ERR:details` inside a fault's `detail`. */
export const NS_ERROR = "urn:cisco:pnp:error";
/** Syslog notifications pushed by the agent as `pnp/event` (§2.16). */
export const NS_SYSLOG = "urn:cisco:pnp:syslog";

const SERVICE_NS_PREFIX = "urn:cisco:pnp:";

/**
 * The request/response services this codec implements, named by their namespace suffix. The names are
 * the real Cisco ones (`licensing`, `script`, `cli-config`…, §6 item 4); `tag` is ours (TAGGING.md).
 */
export const SERVICE_NAMES = [
  "backoff",
  "capability",
  "certificate-install",
  "cli-config",
  "cli-exec",
  "config-upgrade",
  "device-info",
  "file-transfer",
  "image-install",
  "licensing",
  "redirection",
  "reload",
  "script",
  "tag",
  "topology",
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

const SERVICE_NAME_SET: ReadonlySet<string> = new Set(SERVICE_NAMES);

export function isServiceName(value: string): value is ServiceName {
  return SERVICE_NAME_SET.has(value);
}

export function serviceNamespace(service: ServiceName): string {
  return SERVICE_NS_PREFIX + service;
}

/** The suffix of any `urn:cisco:pnp:<x>` namespace, known or not; undefined for other namespaces. */
export function pnpNamespaceSuffix(namespace: string | undefined): string | undefined {
  if (namespace === undefined || !namespace.startsWith(SERVICE_NS_PREFIX)) return undefined;
  const suffix = namespace.slice(SERVICE_NS_PREFIX.length);
  return suffix === "" ? undefined : suffix;
}

/** The implemented service a namespace belongs to, or undefined. */
export function serviceFromNamespace(namespace: string | undefined): ServiceName | undefined {
  const suffix = pnpNamespaceSuffix(namespace);
  return suffix !== undefined && isServiceName(suffix) ? suffix : undefined;
}

/** Capability strings in a capability response carry no `urn:` (§2.4): `cisco:pnp:<svc>`. */
export function capabilityName(service: string): string {
  return `cisco:pnp:${service}`;
}
