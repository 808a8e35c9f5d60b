import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../../src/transports/xmpp/connection.js";
import { parseTaskIqId, taskIqId } from "../../../src/transports/xmpp/stanza-ids.js";

describe("component reconnect backoff", () => {
  it("doubles per attempt up to the cap, with jitter on the upper half", () => {
    expect(backoffDelay(0, 500, 30_000, () => 0)).toBe(250);
    expect(backoffDelay(0, 500, 30_000, () => 1)).toBe(500);
    expect(backoffDelay(3, 500, 30_000, () => 1)).toBe(4000);
    expect(backoffDelay(3, 500, 30_000, () => 0)).toBe(2000);
    expect(backoffDelay(50, 500, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(50, 500, 30_000, () => 0)).toBe(15_000);
  });
});

describe("task iq ids", () => {
  it("carry the correlator and attempt, including correlators with colons", () => {
    const id = taskIqId("CiscoPnP-1.0-1:2:3", 4);
    expect(parseTaskIqId(id)).toEqual({ correlator: "CiscoPnP-1.0-1:2:3", attempt: 4 });
  });
  it("reject ids that are not ours", () => {
    expect(parseTaskIqId(undefined)).toBeUndefined();
    expect(parseTaskIqId("abc")).toBeUndefined();
    expect(parseTaskIqId("pnp:x:corr")).toBeUndefined();
    expect(parseTaskIqId("pnp:0:corr")).toBeUndefined();
    expect(parseTaskIqId("pnp:1:")).toBeUndefined();
  });
});
