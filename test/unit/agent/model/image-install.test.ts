import { describe, expect, it } from "vitest";
import {
  createDevice,
  type FetchResult,
  PnpErrorCode,
  syntheticImageMd5,
} from "../../../../src/agent/model/index.js";
import { mutableFiles, resolveFs } from "../../../../src/agent/model/storage.js";
import { device, imageFetch, NEW_XE, NEW_XE_SIZE } from "./helpers.js";

const SRC = `http://10.0.0.1/images/${NEW_XE}`;
const NEW_MD5 = syntheticImageMd5(NEW_XE, NEW_XE_SIZE);

function countingFetch(result: FetchResult) {
  const f = () => {
    f.calls++;
    return result;
  };
  f.calls = 0;
  return f;
}

describe("image-install checksum rules", () => {
  it("rule 1: the running image's checksum → 1817, non-fatal, nothing fetched or changed", () => {
    const d = device();
    const before = d.files("flash:");
    const fetch = countingFetch(imageFetch(NEW_XE, NEW_XE_SIZE));
    const r = d.installImage(
      { source: SRC, checksum: d.platform.image.md5.toUpperCase(), reload: { reason: "x" } },
      fetch,
    );
    expect(r.success).toBe(false);
    expect(r.error).toMatchObject({
      code: PnpErrorCode.IMAGE_ALREADY_RUNNING,
      nonFatal: true,
      severity: "XSVC_ERROR",
    });
    expect(r.error!.message).toContain("already running");
    expect(r.reload).toBeNull();
    expect(fetch.calls).toBe(0);
    expect(d.files("flash:")).toEqual(before);
    expect(d.imageAlreadyRunning(d.platform.image.md5)).toBe(true);
  });

  it("rule 2: different checksum → copy, verify, set the boot variable, plan the reload", () => {
    const d = device();
    const r = d.installImage(
      { source: SRC, checksum: NEW_MD5, reload: { reason: "upgrade", delaySeconds: 30 } },
      imageFetch(NEW_XE, NEW_XE_SIZE),
    );
    expect(r.success).toBe(true);
    expect(r.installed).toEqual({
      path: `flash:${NEW_XE}`,
      size: NEW_XE_SIZE,
      md5: NEW_MD5,
      copiedTo: ["flash:"],
    });
    expect(d.bootVariable).toEqual([`flash:${NEW_XE}`]);
    expect(d.exec("show run | include ^boot system").output).toBe(`boot system flash:${NEW_XE}\n`);
    expect(r.reload).toEqual({ delaySeconds: 30, reason: "upgrade", saveConfig: false, eraseConfig: false });
    // Still running the old image until the reload.
    expect(d.runningImage.version).toBe("17.9.4a");
    d.reload({ reason: "upgrade" });
    expect(d.runningImage).toEqual({
      path: `flash:${NEW_XE}`,
      version: "17.12.4",
      md5: NEW_MD5,
      size: NEW_XE_SIZE,
    });
    expect(d.exec("show version").output).toContain("Cisco IOS XE Software, Version 17.12.04");
  });

  it("rule 2 failure: copied file whose checksum differs → 1816 and the copy is deleted", () => {
    const d = device();
    const r = d.installImage({ source: SRC, checksum: "f".repeat(32) }, imageFetch(NEW_XE, NEW_XE_SIZE));
    expect(r.success).toBe(false);
    expect(r.error?.code).toBe(PnpErrorCode.IMAGE_CHECKSUM_FAILED);
    expect(d.files("flash:")!.map((f) => f.name)).not.toContain(NEW_XE);
    expect(d.bootVariable).toEqual(["flash:cat9k_iosxe.17.09.04a.SPA.bin"]);
  });

  it("without a checksum the copy is not verified", () => {
    const d = device();
    const r = d.installImage(
      { source: SRC },
      { ok: true, size: 1000, md5: "0123456789abcdef0123456789abcdef" },
    );
    expect(r.success).toBe(true);
    expect(d.files("flash:")!.find((f) => f.name === NEW_XE)?.md5).toBe("0123456789abcdef0123456789abcdef");
  });
});

describe("image-install refusals", () => {
  it("not enough space on the destination → 1825, nothing copied", () => {
    const d = createDevice({ pid: "C1000-24P-4G-L", serial: "FOC1" });
    const file = "c1000-universalk9-mz.152-7.E10.bin";
    const free = d.fileSystems().find((f) => f.name === "flash:")!.free;
    const r = d.installImage({ source: `http://s/${file}` }, imageFetch(file, free + 1));
    expect(r.error?.code).toBe(PnpErrorCode.IMAGE_NO_SPACE);
    expect(r.error?.message).toContain(`needs ${free + 1} bytes, ${free} available`);
    expect(d.files("flash:")!.map((f) => f.name)).not.toContain(file);
    expect(d.installImage({ source: `http://s/${file}` }, imageFetch(file, free)).success).toBe(true);
  });

  it("re-copying a file of the same name counts its old size as free", () => {
    const d = createDevice({ pid: "C1000-24P-4G-L", serial: "FOC1" });
    const file = "c1000-universalk9-mz.152-7.E10.bin";
    const free = d.fileSystems().find((f) => f.name === "flash:")!.free;
    expect(d.installImage({ source: `http://s/${file}` }, imageFetch(file, free - 10)).success).toBe(true);
    expect(d.installImage({ source: `http://s/${file}` }, imageFetch(file, free - 5)).success).toBe(true);
  });

  it("packages.conf (or any non-.bin) where a bundle is required → 1806", () => {
    const d = device();
    const fetch = countingFetch(imageFetch("packages.conf", 10_000));
    expect(d.installImage({ source: "http://s/images/packages.conf" }, fetch).error?.code).toBe(
      PnpErrorCode.IMAGE_INVALID_FORMAT,
    );
    expect(d.installImage({ source: SRC, destination: "flash:packages.conf" }, fetch).error?.code).toBe(
      PnpErrorCode.IMAGE_INVALID_FORMAT,
    );
    expect(d.installImage({ source: "http://s/cat9k_iosxe.17.12.04.SPA.pkg" }, fetch).error?.code).toBe(1806);
    expect(fetch.calls).toBe(0);
  });

  it("source not found → 1803; other transfer failures → 1829; no source → 1802", () => {
    const d = device();
    expect(d.installImage({ source: SRC }, { ok: false, reason: "not-found" }).error?.code).toBe(
      PnpErrorCode.IMAGE_SOURCE_NOT_FOUND,
    );
    expect(d.installImage({ source: SRC }, { ok: false, reason: "timeout" }).error?.code).toBe(
      PnpErrorCode.IMAGE_COPY_FAILED,
    );
    expect(d.installImage({ source: "" }, imageFetch(NEW_XE, 1)).error?.code).toBe(
      PnpErrorCode.IMAGE_SOURCE_NOT_PROVIDED,
    );
  });

  it("a destination file system the device does not have → 1824", () => {
    const d = device();
    expect(
      d.installImage({ source: SRC, destination: "bootflash:" }, imageFetch(NEW_XE, 1)).error?.code,
    ).toBe(PnpErrorCode.IMAGE_INVALID_DEST_FS);
    expect(d.installImage({ source: SRC, destination: "nvram:" }, imageFetch(NEW_XE, 1)).error?.code).toBe(
      1824,
    );
  });

  it("honours an explicit destination name", () => {
    const r = createDevice({ pid: "CISCO2901/K9", serial: "FTX1" });
    const file = "c2900-universalk9-mz.SPA.158-3.M9.bin";
    const res = r.installImage(
      { source: `tftp://s/${file}`, destination: "flash0:new.bin" },
      imageFetch(file, 1_000_000),
    );
    expect(res.installed?.path).toBe("flash0:new.bin");
    expect(r.exec("show bootvar").output).toContain("BOOT variable = flash0:new.bin,1;");
  });
});

describe("image-install on HA pairs and stacks", () => {
  it("copies the image to the HA standby too", () => {
    const d = createDevice({
      pid: "C9500-24Y4C",
      serial: "FDO1",
      variant: "ha",
      standby: { serial: "FDO2" },
    });
    const r = d.installImage({ source: SRC, checksum: NEW_MD5 }, imageFetch(NEW_XE, NEW_XE_SIZE));
    expect(r.installed?.copiedTo).toEqual(["flash:", "stby-flash:"]);
    expect(d.files("stby-flash:")!.map((f) => f.name)).toContain(NEW_XE);
  });

  it("fails with 1830 when the standby has no room, leaving both units untouched", () => {
    const d = createDevice({ pid: "C9500-24Y4C", serial: "FDO1", variant: "ha" });
    const stby = resolveFs(d.state, "stby-flash")!;
    mutableFiles(d.state, stby).set("big.log", { size: 10_000_000_000, md5: "", mtime: 0 });
    const r = d.installImage({ source: SRC }, imageFetch(NEW_XE, NEW_XE_SIZE));
    expect(r.error?.code).toBe(PnpErrorCode.IMAGE_COPY_TO_STANDBY_FAILED);
    expect(d.files("flash:")!.map((f) => f.name)).not.toContain(NEW_XE);
  });

  it("copies the image to every stack member", () => {
    const d = device({ variant: "stack", members: 3 });
    const r = d.installImage({ source: SRC, checksum: NEW_MD5 }, imageFetch(NEW_XE, NEW_XE_SIZE));
    expect(r.installed?.copiedTo).toEqual(["flash:", "flash-2:", "flash-3:"]);
    for (const fs of ["flash:", "flash-2:", "flash-3:"]) {
      expect(d.files(fs)!.find((f) => f.name === NEW_XE)).toEqual({
        name: NEW_XE,
        size: NEW_XE_SIZE,
        md5: NEW_MD5,
      });
    }
  });

  it("a stack member without room fails the whole install with 1825", () => {
    const d = device({ variant: "stack", members: 2 });
    mutableFiles(d.state, resolveFs(d.state, "flash-2")!).set("core.dump", {
      size: 10_000_000_000,
      md5: "",
      mtime: 0,
    });
    const r = d.installImage({ source: SRC }, imageFetch(NEW_XE, NEW_XE_SIZE));
    expect(r.error?.code).toBe(PnpErrorCode.IMAGE_NO_SPACE);
    expect(r.error?.message).toContain("flash-2:");
    expect(d.files("flash:")!.map((f) => f.name)).not.toContain(NEW_XE);
  });
});
