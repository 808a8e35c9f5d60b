// Device presence: the domain rules, independent of Redis and XMPP. A device is up while it has a session
// that announced itself to us; it is down after that session ends (any way it ends).

export type PresenceState = "up" | "down";
export type Transport = "xmpp" | "http";

export interface PresenceChange {
  /** The device's identity on its transport: the bare JID on XMPP. */
  device: string;
  state: PresenceState;
  /** The session (XMPP resource) the change is about; "" when unknown (then any session matches). */
  resource: string;
  /** Why: "presence", "unavailable", "iq-error", "reconcile", … Kept in the event for operators. */
  reason: string;
  transport: Transport;
}

export interface PresenceRecord {
  device: string;
  state: PresenceState;
  resource: string;
  since: number;
  updatedAt: number;
  transport: Transport;
}

export type ApplyMode = { mode: "live" } | { mode: "reconcile"; snapshotAt: number };

export interface PresenceApplyResult {
  changed: boolean;
  /** Why nothing changed (already-up, already-down, stale-resource, newer-live-change) or the new state. */
  why: string;
  at: number;
}

export interface PresenceStore {
  apply(change: PresenceChange, mode?: ApplyMode): Promise<PresenceApplyResult>;
  get(device: string): Promise<PresenceRecord | undefined>;
  listUp(): Promise<{ device: string; since: number }[]>;
  /** The shared clock (Redis time), so every instance orders changes the same way. */
  now(): Promise<number>;
}

/** One live session as the XMPP server reports it. */
export interface LiveSession {
  device: string;
  resource: string;
}

export interface ReconcileReport {
  markedUp: string[];
  markedDown: string[];
  skipped: number;
}

/**
 * Brings stored presence in line with the sessions the XMPP server has now. Used after the component
 * (re)connects, because presences sent while it was away are lost. A live change that lands after the
 * snapshot was taken wins over the snapshot (the store checks updatedAt against snapshotAt).
 */
export async function reconcilePresence(
  store: PresenceStore,
  listSessions: () => Promise<LiveSession[]>,
  transport: Transport = "xmpp",
): Promise<ReconcileReport> {
  const snapshotAt = await store.now();
  const sessions = await listSessions();
  const live = new Map<string, string>();
  for (const session of sessions) live.set(session.device, session.resource);

  const report: ReconcileReport = { markedUp: [], markedDown: [], skipped: 0 };
  const mode: ApplyMode = { mode: "reconcile", snapshotAt };
  for (const [device, resource] of live) {
    const result = await store.apply({ device, state: "up", resource, reason: "reconcile", transport }, mode);
    if (result.changed) report.markedUp.push(device);
    else report.skipped++;
  }
  for (const { device } of await store.listUp()) {
    if (live.has(device)) continue;
    const record = await store.get(device);
    if (record && record.transport !== transport) continue;
    const result = await store.apply(
      { device, state: "down", resource: "", reason: "reconcile", transport },
      mode,
    );
    if (result.changed) report.markedDown.push(device);
    else report.skipped++;
  }
  return report;
}
