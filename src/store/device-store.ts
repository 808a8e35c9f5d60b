import type { DeviceInfoData } from "../protocol/device-info-types.js";
import type { Keys } from "./keys.js";
import type { PnpRedis } from "./redis.js";

export interface DeviceRecord {
  device: string;
  udi?: string;
  deviceInfo?: DeviceInfoData;
  deviceInfoAt?: number;
}

/** What we know of each device. The full inventory (issue 4) grows from this hash. */
export class RedisDeviceStore {
  constructor(
    private readonly redis: PnpRedis,
    private readonly keys: Keys,
  ) {}

  async recordDeviceInfo(device: string, info: DeviceInfoData, at: number): Promise<void> {
    const fields: Record<string, string> = { deviceInfo: JSON.stringify(info), deviceInfoAt: String(at) };
    if (info.udi?.primaryChassis) fields.udi = info.udi.primaryChassis;
    await this.redis.hset(this.keys.device(device), fields);
  }

  async get(device: string): Promise<DeviceRecord | undefined> {
    const hash = await this.redis.hgetall(this.keys.device(device));
    if (Object.keys(hash).length === 0) return undefined;
    const record: DeviceRecord = { device };
    if (hash.udi) record.udi = hash.udi;
    if (hash.deviceInfo) record.deviceInfo = JSON.parse(hash.deviceInfo) as DeviceInfoData;
    if (hash.deviceInfoAt) record.deviceInfoAt = Number(hash.deviceInfoAt);
    return record;
  }
}
