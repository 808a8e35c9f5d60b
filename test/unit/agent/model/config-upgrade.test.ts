import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDevice, type FetchResult, PnpErrorCode } from "../../../../src/agent/model/index.js";
import { device } from "./helpers.js";

const md5 = (s: string) => createHash("md5").update(s).digest("hex");
const file = (content: string): FetchResult => ({
  ok: true,
  size: Buffer.byteLength(content),
  md5: md5(content),
  content,
});

const DAY0 = [
  "hostname branch-7",
  "ip domain name example.com",
  "username admin privilege 15 secret 0 s3cret",
  "interface GigabitEthernet1/0/1",
  " description uplink",
  " switchport mode trunk",
  "!",
  "end",
].join("\n");

describe("config-upgrade", () => {
  it("copies to startup-config by default; running-config changes only after reload", () => {
    const d = device();
    const r = d.configUpgrade({
      source: "http://10.0.0.1/configs/branch-7.cfg",
      fetched: file(DAY0),
      checksum: md5(DAY0),
    });
    expect(r.success).toBe(true);
    expect(r.appliedTo).toBe("startup");
    expect(r.reload).toBeNull();
    expect(r.serviceLog).toContain("Destination filename [startup-config]?");
    expect(d.startupConfig()).toBe(DAY0);
    expect(d.hostname).toBe("Switch");
    expect(d.reload().success).toBe(true);
    expect(d.hostname).toBe("branch-7");
    expect(d.exec("show run | section ^interface GigabitEthernet1/0/1$").output).toBe(
      "interface GigabitEthernet1/0/1\n description uplink\n switchport mode trunk\n",
    );
    // Factory lines not in the file are still there (the file is merged over the defaults at boot).
    expect(d.exec("show run | include ^spanning-tree mode").output).toBe("spanning-tree mode rapid-pvst\n");
  });

  it("applies to running-config at once and returns a reload plan when asked", () => {
    const d = device();
    const r = d.configUpgrade({
      source: "http://s/c.cfg",
      fetched: file(DAY0),
      applyTo: "running",
      reload: { reason: "apply day0", delaySeconds: 15, saveConfig: true },
    });
    expect(r.success).toBe(true);
    expect(d.hostname).toBe("branch-7");
    expect(d.startupConfig()).toBeUndefined();
    expect(r.reload).toEqual({
      delaySeconds: 15,
      reason: "apply day0",
      saveConfig: true,
      eraseConfig: false,
    });
  });

  it("rejects a checksum mismatch with 1403 and changes nothing", () => {
    const d = device();
    const r = d.configUpgrade({ source: "http://s/c.cfg", fetched: file(DAY0), checksum: "0".repeat(32) });
    expect(r.success).toBe(false);
    expect(r.error).toMatchObject({ code: PnpErrorCode.CONFIG_HASH_FAILED, severity: "XSVC_ERROR" });
    expect(d.startupConfig()).toBeUndefined();
    expect(r.reload).toBeNull();
  });

  it("abortOnSyntaxFault: a bad line fails with 1410 before anything is written", () => {
    const d = device();
    const bad = `${DAY0}\nfrobnicate all the things\n`;
    for (const applyTo of ["startup", "running"] as const) {
      const r = d.configUpgrade({
        source: "http://s/bad.cfg",
        fetched: file(bad),
        applyTo,
        abortOnSyntaxFault: true,
      });
      expect(r.error?.code).toBe(PnpErrorCode.CONFIG_SYNTAX_ERROR);
      expect(r.invalidLines).toEqual([
        {
          lineNumber: 9,
          cliString: "frobnicate all the things",
          text: "% Invalid input detected at '^' marker.",
        },
      ]);
    }
    expect(d.startupConfig()).toBeUndefined();
    expect(d.hostname).toBe("Switch");
  });

  it("without abortOnSyntaxFault: running applies the valid lines and reports 1413", () => {
    const d = device();
    const r = d.configUpgrade({
      source: "http://s/bad.cfg",
      fetched: file(`hostname half-done\nfrobnicate\n`),
      applyTo: "running",
      reload: { reason: "x" },
    });
    expect(r.success).toBe(false);
    expect(r.error?.code).toBe(PnpErrorCode.CONFIG_INVALID_INPUT);
    expect(r.reload).toBeNull();
    expect(d.hostname).toBe("half-done");
    expect(r.serviceLog).toContain("% Invalid input detected at '^' marker.");
  });

  it("without abortOnSyntaxFault: startup takes the file as is and drops bad lines at boot", () => {
    const d = device();
    const text = "hostname keep-me\nfrobnicate\n";
    const r = d.configUpgrade({ source: "http://s/c.cfg", fetched: file(text) });
    expect(r.success).toBe(true);
    expect(r.invalidLines?.length).toBe(1);
    expect(d.startupConfig()).toBe(text);
    d.reload();
    expect(d.hostname).toBe("keep-me");
    expect(d.exec("show run | include frobnicate").output).toBe("\n");
  });

  it("maps fetch and file problems to config-upgrade codes", () => {
    const d = device();
    expect(
      d.configUpgrade({ source: "http://s/missing.cfg", fetched: { ok: false, reason: "not-found" } }).error
        ?.code,
    ).toBe(PnpErrorCode.CONFIG_COPY_FAILED);
    expect(d.configUpgrade({ source: "http://s/e.cfg", fetched: file("   \n") }).error?.code).toBe(
      PnpErrorCode.CONFIG_INVALID_SOURCE_FILE,
    );
    expect(
      d.configUpgrade({ source: "http://s/c.cfg", fetched: file(DAY0), applyTo: "AP" }).error?.code,
    ).toBe(PnpErrorCode.CONFIG_UPGRADE_UNSUPPORTED);
  });

  it("refuses a startup-config larger than NVRAM with 1407", () => {
    const r2901 = createDevice({ pid: "CISCO2901/K9", serial: "FTX1" });
    const big = Array.from(
      { length: 9000 },
      (_, i) => `ip route 10.${i >> 8}.${i & 255}.0 255.255.255.0 192.0.2.1`,
    ).join("\n");
    const r = r2901.configUpgrade({ source: "http://s/big.cfg", fetched: file(big) });
    expect(r.error?.code).toBe(PnpErrorCode.CONFIG_STARTUP_COPY_FAILED);
    expect(r2901.startupConfig()).toBeUndefined();
  });
});
