import { describe, expect, it } from "vitest";
import {
  type ApplyMode,
  type PresenceApplyResult,
  type PresenceChange,
  type PresenceRecord,
  type PresenceStore,
  reconcilePresence,
} from "../../../src/core/presence.js";

/** In-memory store with the same rules as the Lua script (pure logic test; Redis is tested elsewhere). */
class MemoryPresence implements PresenceStore {
  clock = 1000;
  records = new Map<string, PresenceRecord>();
  async apply(change: PresenceChange, mode: ApplyMode = { mode: "live" }): Promise<PresenceApplyResult> {
    const at = ++this.clock;
    const current = this.records.get(change.device);
    if (mode.mode === "reconcile" && (current?.updatedAt ?? 0) >= mode.snapshotAt)
      return { changed: false, why: "newer-live-change", at };
    if (change.state === "up") {
      if (current?.state === "up" && current.resource === change.resource)
        return { changed: false, why: "already-up", at };
      this.records.set(change.device, {
        device: change.device,
        state: "up",
        resource: change.resource,
        since: at,
        updatedAt: at,
        transport: change.transport,
      });
      return { changed: true, why: "up", at };
    }
    if (current?.state !== "up") return { changed: false, why: "already-down", at };
    if (change.resource && current.resource !== change.resource)
      return { changed: false, why: "stale-resource", at };
    this.records.set(change.device, { ...current, state: "down", since: at, updatedAt: at });
    return { changed: true, why: "down", at };
  }
  async get(device: string) {
    return this.records.get(device);
  }
  async listUp() {
    return [...this.records.values()]
      .filter((r) => r.state === "up")
      .map((r) => ({ device: r.device, since: r.since }));
  }
  async now() {
    return this.clock;
  }
}

describe("presence reconciliation", () => {
  it("marks sessions up, missing devices down, and leaves HTTP devices alone", async () => {
    const store = new MemoryPresence();
    await store.apply({ device: "gone@d", state: "up", resource: "r", reason: "t", transport: "xmpp" });
    await store.apply({ device: "stays@d", state: "up", resource: "r", reason: "t", transport: "xmpp" });
    await store.apply({ device: "http@d", state: "up", resource: "", reason: "t", transport: "http" });
    const report = await reconcilePresence(store, async () => [
      { device: "stays@d", resource: "r" },
      { device: "new@d", resource: "x" },
    ]);
    expect(report.markedUp).toEqual(["new@d"]);
    expect(report.markedDown).toEqual(["gone@d"]);
    expect((await store.get("http@d"))?.state).toBe("up");
  });

  it("lets a live change made during the snapshot win over the snapshot", async () => {
    const store = new MemoryPresence();
    await store.apply({ device: "racer@d", state: "up", resource: "r", reason: "t", transport: "xmpp" });
    const report = await reconcilePresence(store, async () => {
      // The device leaves (live presence) after the snapshot time was taken but before we apply it.
      await store.apply({
        device: "racer@d",
        state: "down",
        resource: "r",
        reason: "unavailable",
        transport: "xmpp",
      });
      return [{ device: "racer@d", resource: "r" }];
    });
    expect(report.markedUp).toEqual([]);
    expect((await store.get("racer@d"))?.state).toBe("down");
  });
});
