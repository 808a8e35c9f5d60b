import { describe, expect, it } from "vitest";
import { isServerCorrelator, newCorrelator } from "../../../src/protocol/index.js";

describe("correlators", () => {
  it("makes readable, prefixed correlators that carry the service and time", () => {
    const correlator = newCorrelator({ service: "device-info", now: 1_700_000_000_000 });
    expect(correlator).toMatch(/^PnPServer-1\.0-device-info-[0-9a-z]+-[0-9a-f]{12}$/);
    expect(correlator).toContain(`-${(1_700_000_000_000).toString(36)}-`);
    expect(newCorrelator()).toMatch(/^PnPServer-1\.0-[0-9a-z]+-[0-9a-f]{12}$/);
  });

  it("never repeats, even within one millisecond", () => {
    const made = new Set(Array.from({ length: 10_000 }, () => newCorrelator({ now: 0 })));
    expect(made.size).toBe(10_000);
  });

  it("tells server-made correlators from agent-made ones, which are echoed verbatim", () => {
    expect(isServerCorrelator(newCorrelator())).toBe(true);
    expect(isServerCorrelator("CiscoPnP-1.0-R35.201014-I10-P379-T226299-8")).toBe(false);
  });
});
