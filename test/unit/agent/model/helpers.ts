// Shared fixtures for the device-model tests: a controllable clock and small device factories.

import type { FetchResult } from "../../../../src/agent/model/index.js";
import {
  createDevice,
  type DeviceModel,
  type DeviceProfile,
  syntheticImageMd5,
} from "../../../../src/agent/model/index.js";

export const T0 = Date.UTC(2025, 2, 4, 10, 0, 0);

export interface TestClock {
  now: number;
  clock: () => number;
  advance(ms: number): void;
}

export function testClock(start = T0): TestClock {
  const c: TestClock = {
    now: start,
    clock: () => c.now,
    advance(ms: number) {
      c.now += ms;
    },
  };
  return c;
}

export function device(profile: Partial<DeviceProfile> = {}, clock: TestClock = testClock()): DeviceModel {
  return createDevice({
    pid: "C9300-24P",
    serial: "FOC2345X0AB",
    clock: clock.clock,
    pnpServer: { protocol: "http", address: "10.0.0.1" },
    mgmtIp: "10.0.0.21",
    ...profile,
  });
}

/** A successful image fetch whose MD5 is the synthetic one for this name and size. */
export function imageFetch(file: string, size: number): FetchResult & { ok: true } {
  return { ok: true, size, md5: syntheticImageMd5(file, size) };
}

export const NEW_XE = "cat9k_iosxe.17.12.04.SPA.bin";
export const NEW_XE_SIZE = 1_310_720_000;
