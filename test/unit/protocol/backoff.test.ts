import { describe, expect, it } from "vitest";
import { backoffDelaySeconds, DEFAULT_CALLBACK_SECONDS } from "../../../src/protocol/index.js";

describe("backoff delay", () => {
  it("adds up callbackAfter parts", () => {
    expect(backoffDelaySeconds({ kind: "callbackAfter", hours: 1, minutes: 2, seconds: 3 })).toBe(3723);
    expect(backoffDelaySeconds({ kind: "callbackAfter", minutes: 5 })).toBe(300);
  });

  it("means 15 minutes when callbackAfter is empty", () => {
    expect(DEFAULT_CALLBACK_SECONDS).toBe(900);
    expect(backoffDelaySeconds({ kind: "callbackAfter" })).toBe(900);
  });

  it("uses defaultMinutes as the new interval and has none for terminate", () => {
    expect(backoffDelaySeconds({ kind: "defaultMinutes", minutes: 60 })).toBe(3600);
    expect(backoffDelaySeconds({ kind: "terminate" })).toBeUndefined();
  });
});
