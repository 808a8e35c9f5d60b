import { describe, expect, it } from "vitest";
import { PnpErrorCode } from "../../../../src/agent/model/index.js";
import { device, imageFetch, NEW_XE, NEW_XE_SIZE, testClock } from "./helpers.js";

describe("reload", () => {
  it("running-config comes back from startup-config; unsaved changes are lost", () => {
    const d = device();
    d.applyConfig(["hostname saved"]);
    d.configPersist();
    d.applyConfig(["hostname unsaved", "interface Loopback9"]);
    const r = d.reload();
    expect(r).toMatchObject({ success: true, configSource: "startup-config", reloadCount: 1 });
    expect(d.hostname).toBe("saved");
    expect(d.exec("show run").output).not.toContain("Loopback9");
  });

  it("without startup-config the box comes up with the factory configuration", () => {
    const d = device({ hostname: "named-by-profile" });
    d.applyConfig(["interface Loopback1"]);
    const r = d.reload();
    expect(r).toMatchObject({ success: true, configSource: "factory-default" });
    expect(d.hostname).toBe("Switch");
    expect(d.exec("show run").output).toContain("pnp profile pnp-zero-touch");
    expect(d.exec("show run").output).not.toContain("Loopback1");
  });

  it("boots the image named by the BOOT variable, resets uptime and counts reloads", () => {
    const clock = testClock();
    const d = device({}, clock);
    d.installImage({ source: `http://s/${NEW_XE}` }, imageFetch(NEW_XE, NEW_XE_SIZE));
    clock.advance(3_600_000);
    expect(d.uptimeMs).toBe(3_600_000);
    const r = d.reload({ reason: "PnP upgrade" });
    expect(r).toMatchObject({ success: true, bootedImage: `flash:${NEW_XE}`, reloadCount: 1 });
    expect(d.uptimeMs).toBe(0);
    expect(d.runningImage.version).toBe("17.12.4");
    const info = d.deviceInfo("image");
    expect(info.success && info.data.imageInfo!.returnToRomReason).toBe("PnP upgrade");
    d.reload();
    expect(d.reloadCount).toBe(2);
    // The BOOT variable (ROMMON) survives reloads even without a saved boot system line.
    expect(d.bootVariable).toEqual([`flash:${NEW_XE}`]);
  });

  it("falls back to the first image on flash when the BOOT entry is missing", () => {
    const d = device();
    d.applyConfig(["no boot system", "boot system flash:gone.bin"]);
    expect(d.bootVariable).toEqual(["flash:gone.bin"]);
    expect(d.reload()).toMatchObject({ success: true, bootedImage: "flash:cat9k_iosxe.17.09.04a.SPA.bin" });
  });

  it("fails with 2406 when there is nothing bootable, and changes nothing", () => {
    const d = device();
    d.applyConfig(["hostname still-here"]);
    d.exec("delete /force flash:cat9k_iosxe.17.09.04a.SPA.bin");
    const r = d.reload();
    expect(r.success).toBe(false);
    expect(!r.success && r.error.code).toBe(PnpErrorCode.RELOAD_OPERATION_FAILED);
    expect(d.reloadCount).toBe(0);
    expect(d.hostname).toBe("still-here");
  });

  it("saveConfig writes memory first; eraseConfig reboots to factory defaults", () => {
    const d = device();
    d.applyConfig(["hostname keep"]);
    d.reload({ saveConfig: true });
    expect(d.hostname).toBe("keep");
    expect(d.startupConfig()).toContain("hostname keep");
    d.reload({ eraseConfig: true });
    expect(d.hostname).toBe("Switch");
    expect(d.startupConfig()).toBeUndefined();
  });

  it("rejects saveConfig together with eraseConfig (2400) and bad delays", () => {
    const d = device();
    expect(d.validateReload({ saveConfig: true, eraseConfig: true })?.code).toBe(
      PnpErrorCode.RELOAD_INTERNAL,
    );
    expect(d.validateReload({ delaySeconds: -1 })?.code).toBe(PnpErrorCode.RELOAD_INTERNAL);
    expect(d.validateReload({ delaySeconds: 60 })).toBeUndefined();
    expect(d.reload({ saveConfig: true, eraseConfig: true }).success).toBe(false);
    expect(d.reloadCount).toBe(0);
  });

  it("applies a pending licence level at reload", () => {
    const d = device();
    d.applyConfig(["license boot level network-essentials addon dna-essentials"]);
    expect(d.licenses().level).toBe("network-advantage");
    d.reload();
    expect(d.licenses()).toMatchObject({ level: "network-essentials", addon: "dna-essentials" });
  });
});
