import { describe, expect, it } from "vitest";
import { createDevice, PnpErrorCode } from "../../../../src/agent/model/index.js";
import { device } from "./helpers.js";

const lic = (md5: string) => ({ ok: true as const, size: 1200, md5 });

describe("licensing", () => {
  it("sets the boot level for the next reload and writes it to the configuration", () => {
    const d = device();
    const r = d.licensing({ eulaAccepted: true, level: "network-essentials", reload: { reason: "license" } });
    expect(r).toMatchObject({ success: true, info: { total: 1, successful: 1, failed: 0, existing: 0 } });
    expect(r.reload).toMatchObject({ reason: "license" });
    expect(d.licenses()).toMatchObject({ level: "network-advantage", nextLevel: "network-essentials" });
    expect(d.exec("show run | include ^license boot").output).toBe(
      "license boot level network-essentials addon dna-advantage\n",
    );
    d.reload();
    expect(d.exec("show license summary").output).toMatch(/network-essentials .* IN USE/);
  });

  it("counts installed, existing and failed licence files", () => {
    const d = device();
    const r = d.licensing({
      eulaAccepted: true,
      copies: [
        { source: "http://s/lic/FOC1.lic", fetched: lic("a".repeat(32)) },
        { source: "http://s/lic/FOC1-copy.lic", fetched: lic("a".repeat(32)) },
        { source: "http://s/lic/missing.lic", fetched: { ok: false, reason: "not-found" } },
      ],
    });
    expect(r).toMatchObject({ success: true, info: { total: 3, successful: 1, existing: 1, failed: 1 } });
    expect(d.licenses().files.map((f) => f.name)).toEqual(["FOC1.lic"]);
  });

  it("refuses an unsupported level with 1901 and an unaccepted EULA with 1900", () => {
    const d = device();
    const bad = d.licensing({ eulaAccepted: true, level: "securityk9" });
    expect(bad.success).toBe(false);
    expect(!bad.success && bad.error).toMatchObject({
      code: PnpErrorCode.LICENSING_UNSUPPORTED,
      severity: "XSVC_ERROR_LCSG_INSTALL",
    });
    expect(d.licenses().nextLevel).toBe("network-advantage");
    const eula = d.licensing({ eulaAccepted: false, level: "network-essentials" });
    expect(!eula.success && eula.error.code).toBe(PnpErrorCode.LICENSING_INTERNAL);
  });

  it("fails with 1900 when every operation failed", () => {
    const d = device();
    const r = d.licensing({ eulaAccepted: true, apply: ["no-such-feature"], delete: ["not-installed"] });
    expect(r.success).toBe(false);
    expect(r.info).toEqual({ total: 2, successful: 0, failed: 2, existing: 0 });
  });

  it("activates IOS 15 technology packages", () => {
    const r = createDevice({ pid: "CISCO2901/K9", serial: "FTX1" });
    const res = r.licensing({ eulaAccepted: true, level: "securityk9", apply: ["uck9", "ipbasek9"] });
    expect(res.info).toEqual({ total: 3, successful: 2, failed: 0, existing: 1 });
    expect(r.exec("show run | include ^license").output).toBe(
      "license boot module c2900 technology-package securityk9\n",
    );
    expect(r.exec("show license").output).toMatch(/Index 3 Feature: uck9\n\tPeriod left: 8 {2}weeks/);
  });
});

describe("script", () => {
  it("records an inline Tcl script and returns what it prints", () => {
    const d = device();
    const r = d.runScript({ source: { kind: "inline", text: 'puts "hello"\nputs "world"\n' }, args: "-v" });
    expect(r).toMatchObject({ success: true, resultData: "hello\nworld" });
    expect(r.serviceLog).toContain('Running tcl script inline with arguments "-v"');
    expect(d.scriptHistory()).toEqual([
      expect.objectContaining({ source: "inline", stype: "tcl", args: "-v", success: true }),
    ]);
  });

  it("runs a fetched Python script and writes the result file", () => {
    const d = device();
    const r = d.runScript({
      source: {
        kind: "uri",
        value: "http://s/scripts/setup.py",
        fetched: { ok: true, size: 20, md5: "x", content: 'print("done")\n' },
      },
      stype: "python",
      resultFile: "setup.out",
    });
    expect(r.resultData).toBe("done");
    expect(d.files("flash:")!.find((f) => f.name === "setup.out")?.size).toBe(4);
  });

  it("maps script failures to their codes", () => {
    const d = device();
    const code = (r: { error?: { code: number } }) => r.error?.code;
    expect(code(d.runScript({ source: { kind: "inline", text: "  " } }))).toBe(PnpErrorCode.SCRIPT_EMPTY);
    expect(
      code(
        d.runScript({
          source: { kind: "location", value: "http://s/x.tcl", fetched: { ok: false, reason: "not-found" } },
        }),
      ),
    ).toBe(PnpErrorCode.SCRIPT_FILE_OPEN_FAILED);
    expect(
      code(
        d.runScript({
          source: { kind: "location", value: "http://s/x.py", fetched: { ok: true, size: 1, md5: "" } },
        }),
      ),
    ).toBe(PnpErrorCode.SCRIPT_UNEXPECTED_FILE_TYPE);
    expect(code(d.runScript({ source: { kind: "inline", text: 'puts "x"\nexit 3' } }))).toBe(
      PnpErrorCode.SCRIPT_EXEC_FAILED,
    );
    const ios = createDevice({ pid: "C1000-24P-4G-L", serial: "FOC1" });
    expect(code(ios.runScript({ source: { kind: "inline", text: "print('x')" }, stype: "python" }))).toBe(
      PnpErrorCode.SCRIPT_UNSUPPORTED,
    );
  });

  it("keeps a short history", () => {
    const d = device();
    for (let i = 0; i < 8; i++) d.runScript({ source: { kind: "inline", text: `puts "${i}"` } });
    expect(d.scriptHistory().map((s) => s.resultData)).toEqual(["3", "4", "5", "6", "7"]);
  });
});

describe("tags", () => {
  it("a tag set by the server cannot be changed or removed by the device", () => {
    const d = device();
    expect(d.setTag("site-12", "server")).toEqual({ success: true, changed: true });
    expect(d.removeTag("site-12", "device").success).toBe(false);
    expect(d.setTag("other", "device")).toMatchObject({
      success: false,
      message: expect.stringContaining("PnP server"),
    });
    expect(d.tags()).toEqual([{ name: "site-12", origin: "server" }]);
    // Through the CLI (`pnp tag`) the device is refused as well.
    const r = d.applyConfig(["pnp tag local-1"]);
    expect(r.lines[0]).toMatchObject({ outcome: "failure" });
    expect(d.tags()).toEqual([{ name: "site-12", origin: "server" }]);
  });

  it("the server may replace and remove its tags; the device manages its own", () => {
    const d = device();
    expect(d.applyConfig(["pnp tag lab"]).lines[0]!.outcome).toBe("success");
    expect(d.tags()).toEqual([{ name: "lab", origin: "device" }]);
    expect(d.applyConfig(["no pnp tag lab"]).lines[0]!.outcome).toBe("success");
    expect(d.tags()).toEqual([]);
    d.setTag("a", "server");
    expect(d.removeTag("a", "server")).toEqual({ success: true, changed: true });
    expect(d.setTag("bad tag!", "server").success).toBe(false);
  });
});
