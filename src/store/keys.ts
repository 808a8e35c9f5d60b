import type { LifecycleState } from "../core/inventory.js";

/**
 * Every Redis key the project uses, built in one place. The prefix is wrapped in a hash tag ({pnp}) so that
 * Redis Cluster keeps all our keys in one slot and multi-key Lua scripts stay legal.
 */
export function createKeys(prefix: string) {
  const p = `{${prefix}}`;
  return {
    prefix: p,
    /** Hash: state (up|down), resource, since, updatedAt, instance, transport. */
    presence: (deviceJid: string) => `${p}:presence:${deviceJid}`,
    /** Sorted set of devices that are up, scored by the time they came up. */
    presenceUp: () => `${p}:presence:up`,
    /** Stream of events (presence up/down, task results) for the API, the dashboard and webhooks. */
    events: () => `${p}:events`,
    /** Hash: what we know of a device (UDI, last device-info). */
    device: (deviceJid: string) => `${p}:device:${deviceJid}`,
    /** Hash of one task, keyed by its correlator. */
    task: (correlator: string) => `${p}:task:${correlator}`,
    /** List that receives one entry when the task finishes, for waiters (CLI) to block on. */
    taskDone: (correlator: string) => `${p}:task:${correlator}:done`,
    /** Sorted set of a device's queued tasks, by creation time: delivered when the device is up. */
    deviceQueue: (deviceJid: string) => `${p}:queue:${deviceJid}`,
    /** Sorted set of retried tasks by the time they may go again. */
    taskRetries: () => `${p}:tasks:retry`,
    /** Hash of one job: its request, rollout settings, state and counters. */
    job: (jobId: string) => `${p}:job:${jobId}`,
    /** List of a job's task correlators, in target order. */
    jobTasks: (jobId: string) => `${p}:job:${jobId}:tasks`,
    /** List of a job's tasks not yet released (rollout window). */
    jobPending: (jobId: string) => `${p}:job:${jobId}:pending`,
    /** Sorted set of job ids by creation time. */
    jobs: () => `${p}:jobs`,
    /** Sorted set of sent tasks by their deadline, swept by any instance. */
    taskDeadlines: () => `${p}:tasks:deadlines`,
    /** Stream that wakes dispatchers when a task is queued; read through a consumer group. */
    dispatch: () => `${p}:dispatch`,
    /** Stream of rejected or suspicious input (spoofed answers, unknown correlators) for security review. */
    audit: () => `${p}:audit`,
    /** Set of live component instances' ids (for operators; nothing depends on it for correctness). */
    instances: () => `${p}:instances`,
    /** Hash: a device's login credential (salt and SHA-256 of its password, never the password). */
    credential: (deviceId: string) => `${p}:cred:${deviceId}`,
  };
}

export type Keys = ReturnType<typeof createKeys>;

/**
 * The inventory's keys, all derived from the hash-tagged prefix (`{pnp}`), so they live in the same
 * Redis Cluster slot as every other key. (To be merged into keys.ts by its owner.) The Lua script builds
 * the index keys from `base` the same way: keep the two in step.
 */
export function inventoryKeys(keys: Keys) {
  const base = `${keys.prefix}:inv:`;
  return {
    /** Prefix of every inventory key; the Lua script receives it to build index keys. */
    base,
    /** Hash: one device (see DeviceRecord; tags comma-joined, variables JSON). */
    device: (id: string) => `${base}dev:${id}`,
    /** Sorted set (all scores 0) of every device id: lexicographic pages. */
    ids: () => `${base}ids`,
    /** Set of the ids of devices with this tag. */
    tag: (tag: string) => `${base}tag:${tag}`,
    /** Set of the tags some device has. */
    tags: () => `${base}tags`,
    /** Set of the ids of devices with this PID. */
    pid: (pid: string) => `${base}pid:${pid}`,
    /** Set of the PIDs some device has (PID globs are matched against it). */
    pids: () => `${base}pids`,
    /** Set of the ids of devices at this location path or below it (one set per path prefix). */
    location: (path: string) => `${base}loc:${path}`,
    /** Set of the ids of devices in this lifecycle state. */
    state: (state: LifecycleState) => `${base}state:${state}`,
    /** Hash: saved group name → JSON {selector, createdAt, updatedAt}. */
    groups: () => `${base}groups`,
    /** The shared audit stream (claim, unclaim, delete entries: kind, id, reason, from, to, ts). */
    audit: () => `${keys.prefix}:audit`,
    /** The shared event stream (type=inventory entries: id, change, state, from, ts). */
    events: () => keys.events(),
  };
}

/**
 * The server authorization tokens' keys (store/token-store.ts), all under the hash-tagged prefix.
 * Server JIDs and serial numbers in key names are lower-/upper-cased by the store.
 */
export function tokenKeys(keys: Keys) {
  const base = `${keys.prefix}:token:`;
  return {
    /** Hash: one token (jws, id, deployment, serverJid, httpsHost, udis JSON, times in ms, revokedAt, revokeReason). */
    token: (id: string) => `${base}t:${id}`,
    /** Sorted set of every token id by issue time (ms). */
    all: () => `${base}all`,
    /** Sorted set of the ids of a server's general tokens (no UDI list), by notAfter (ms). */
    general: (serverJid: string) => `${base}general:${serverJid}`,
    /** Sorted set of the ids of a server's tokens listing a UDI with this serial number, by notAfter (ms). */
    serial: (serverJid: string, serial: string) => `${base}sn:${serverJid}:${serial}`,
    /** Hash: revoked token id → JSON {at, reason}. */
    revoked: () => `${base}revoked`,
    /** String: the newest signed revocation list (compact JWS) the component hands out. */
    revocationList: () => `${base}revocations`,
  };
}
