import { describe, expect, it } from "vitest";
import { createDevice, DeviceProfileError } from "../../../../src/agent/model/index.js";
import { device, testClock } from "./helpers.js";

describe("DeviceModel profiles", () => {
  it("starts as a new box: factory hostname, no startup-config, default image booted", () => {
    const d = device();
    expect(d.hostname).toBe("Switch");
    expect(d.startupConfig()).toBeUndefined();
    expect(d.showStartupConfig()).toBe("startup-config is not present\n");
    expect(d.runningImage.path).toBe("flash:cat9k_iosxe.17.09.04a.SPA.bin");
    expect(d.udi).toBe("PID:C9300-24P,VID:V02,SN:FOC2345X0AB");
    expect(d.reloadCount).toBe(0);
  });

  it("applies a profile hostname and a saved startup-config", () => {
    const d = device({ hostname: "acc-sw-01", startupConfig: "saved" });
    expect(d.hostname).toBe("acc-sw-01");
    expect(d.startupConfig()).toContain("hostname acc-sw-01");
  });

  it("rejects impossible profiles with clear errors", () => {
    expect(() => createDevice({ pid: "NOPE", serial: "X1" })).toThrow(/unknown PID "NOPE"/);
    expect(() => createDevice({ pid: "C9300-24P", serial: "bad serial" })).toThrow(DeviceProfileError);
    expect(() => createDevice({ pid: "ISR4451-X/K9", serial: "FOC1", variant: "stack" })).toThrow(
      /cannot be stacked/,
    );
    expect(() => createDevice({ pid: "C9300-24P", serial: "FOC1", variant: "ha" })).toThrow(
      /high-availability/,
    );
    expect(() => createDevice({ pid: "C9300-24P", serial: "FOC1", variant: "stack", members: 9 })).toThrow(
      /2\.\.8/,
    );
    expect(() => createDevice({ pid: "C9300-24P", serial: "FOC1", mac: "zz" })).toThrow(/invalid MAC/);
    expect(() => createDevice({ pid: "C9300-24P", serial: "FOC1", hostname: "bad name" })).toThrow(
      /invalid hostname/,
    );
  });

  it("builds stack members and HA standbys with their own serials", () => {
    const stack = device({ variant: "stack", members: [{}, { serial: "FOC0000002B" }, {}] });
    expect(stack.units.map((u) => [u.slot, u.role, u.serial])).toEqual([
      [1, "active", "FOC2345X0AB"],
      [2, "standby", "FOC0000002B"],
      [3, "member", expect.stringMatching(/^FOC[0-9A-Z]{8}$/)],
    ]);
    const ha = createDevice({
      pid: "C9500-24Y4C",
      serial: "FDO1111A1AA",
      variant: "ha",
      standby: { serial: "FDO2222B2BB" },
    });
    expect(ha.units.map((u) => u.role)).toEqual(["active", "standby"]);
    expect(ha.interfaceName("Twe2/0/1")).toBe("TwentyFiveGigE2/0/1");
  });

  it("reports uptime from the injected clock", () => {
    const clock = testClock();
    const d = device({}, clock);
    clock.advance(90_061_000);
    expect(d.uptimeMs).toBe(90_061_000);
    expect(d.exec("show version").output).toContain("Switch uptime is 1 day, 1 hour, 1 minute");
  });
});
