import { describe, expect, it } from "vitest";
import {
  getPlatform,
  listPlatforms,
  syntheticImageMd5,
  versionFromFileName,
} from "../../../../src/agent/model/index.js";
import {
  interfaceCatalog,
  resolveInterface,
  shortInterfaceName,
} from "../../../../src/agent/model/interfaces.js";

describe("platform catalogue", () => {
  it("has the required platforms with images, file systems and memory", () => {
    const pids = listPlatforms().map((p) => p.pid);
    expect(pids).toEqual(
      expect.arrayContaining(["C9300-24P", "ISR4451-X/K9", "CISCO2901/K9", "CSR1000V", "C1000-24P-4G-L"]),
    );
    for (const p of listPlatforms()) {
      expect(p.image.md5).toMatch(/^[0-9a-f]{32}$/);
      expect(p.image.size).toBeGreaterThan(1_000_000);
      expect(p.fileSystems.some((f) => f.name === p.imageFs)).toBe(true);
      expect(p.fileSystems.some((f) => f.type === "nvram")).toBe(true);
      expect(p.mainMemBytes).toBeGreaterThan(0);
    }
  });

  it("describes real file-system layouts", () => {
    expect(getPlatform("C9300-24P")!.fileSystems.map((f) => f.name)).toEqual(["flash", "crashinfo", "nvram"]);
    expect(getPlatform("CISCO2901/K9")!.imageFs).toBe("flash0");
    expect(getPlatform("CSR1000V")!.fileSystems.map((f) => f.name)).toEqual([
      "bootflash",
      "cloudfs",
      "webui",
      "nvram",
    ]);
    expect(getPlatform("CSR1000V")!.fileSystems[0]!.size).toBeGreaterThan(2 ** 32);
  });

  it("looks PIDs up case-insensitively and rejects unknown ones", () => {
    expect(getPlatform("isr4451-x/k9")?.pid).toBe("ISR4451-X/K9");
    expect(getPlatform("WS-C9999")).toBeUndefined();
  });

  it("derives synthetic image checksums deterministically", () => {
    expect(syntheticImageMd5("a.bin", 10)).toBe(syntheticImageMd5("a.bin", 10));
    expect(syntheticImageMd5("a.bin", 10)).not.toBe(syntheticImageMd5("a.bin", 11));
  });

  it("reads versions from IOS and IOS-XE image names", () => {
    expect(versionFromFileName("cat9k_iosxe.17.09.04a.SPA.bin")).toBe("17.9.4a");
    expect(versionFromFileName("isr4400-universalk9.17.12.04.SPA.bin")).toBe("17.12.4");
    expect(versionFromFileName("c2900-universalk9-mz.SPA.157-3.M8.bin")).toBe("15.7(3)M8");
    expect(versionFromFileName("c1000-universalk9-mz.152-7.E9.bin")).toBe("15.2(7)E9");
    expect(versionFromFileName("packages.conf")).toBeUndefined();
  });
});

describe("interface names", () => {
  const cat = interfaceCatalog(getPlatform("C9300-24P")!, [1, 2]);

  it("expands IOS abbreviations and checks the port exists", () => {
    expect(resolveInterface(cat, "gi1/0/1")).toEqual({
      ok: true,
      name: "GigabitEthernet1/0/1",
      logical: false,
    });
    expect(resolveInterface(cat, "Te2/1/8")).toEqual({
      ok: true,
      name: "TenGigabitEthernet2/1/8",
      logical: false,
    });
    expect(resolveInterface(cat, "gi3/0/1")).toEqual({ ok: false, reason: "absent" });
    expect(resolveInterface(cat, "gi1/0/25")).toEqual({ ok: false, reason: "absent" });
    expect(resolveInterface(cat, "T1/1/1")).toEqual({ ok: false, reason: "ambiguous" });
    expect(resolveInterface(cat, "vlan 4095".replace(" ", ""))).toEqual({ ok: false, reason: "invalid" });
    expect(resolveInterface(cat, "po10")).toEqual({ ok: true, name: "Port-channel10", logical: true });
  });

  it("shortens names like IOS", () => {
    expect(shortInterfaceName("TwentyFiveGigE1/1/2")).toBe("Twe1/1/2");
    expect(shortInterfaceName("GigabitEthernet0/0/0")).toBe("Gi0/0/0");
  });
});
