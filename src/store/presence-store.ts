import type {
  ApplyMode,
  PresenceApplyResult,
  PresenceChange,
  PresenceRecord,
  PresenceStore,
  Transport,
} from "../core/presence.js";
import type { Keys } from "./keys.js";
import { type PnpRedis, redisNow } from "./redis.js";

export class RedisPresenceStore implements PresenceStore {
  constructor(
    private readonly redis: PnpRedis,
    private readonly keys: Keys,
    private readonly instanceId: string,
    private readonly streamMaxLen: number,
  ) {}

  async apply(change: PresenceChange, mode: ApplyMode = { mode: "live" }): Promise<PresenceApplyResult> {
    const [changed, why, at] = await this.redis.presenceUpdate(
      this.keys.presence(change.device),
      this.keys.presenceUp(),
      this.keys.events(),
      change.device,
      change.state,
      change.resource,
      change.reason,
      this.instanceId,
      this.streamMaxLen,
      mode.mode,
      mode.mode === "reconcile" ? mode.snapshotAt : 0,
      change.transport,
    );
    return { changed: changed === 1, why: String(why), at: Number(at) };
  }

  async get(device: string): Promise<PresenceRecord | undefined> {
    const hash = await this.redis.hgetall(this.keys.presence(device));
    if (!hash.state) return undefined;
    return {
      device,
      state: hash.state === "up" ? "up" : "down",
      resource: hash.resource ?? "",
      since: Number(hash.since ?? 0),
      updatedAt: Number(hash.updatedAt ?? 0),
      transport: (hash.transport ?? "xmpp") as Transport,
    };
  }

  async listUp(): Promise<{ device: string; since: number }[]> {
    const flat = await this.redis.zrange(this.keys.presenceUp(), "0", "-1", "WITHSCORES");
    const out: { device: string; since: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ device: flat[i]!, since: Number(flat[i + 1]) });
    return out;
  }

  now(): Promise<number> {
    return redisNow(this.redis);
  }
}
