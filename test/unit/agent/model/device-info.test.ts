import { describe, expect, it } from "vitest";
import { createDevice, PnpErrorCode } from "../../../../src/agent/model/index.js";
import type { DeviceInfoData } from "../../../../src/protocol/device-info-types.js";
import { device, imageFetch, NEW_XE, NEW_XE_SIZE } from "./helpers.js";

function data(r: ReturnType<ReturnType<typeof device>["deviceInfo"]>): DeviceInfoData {
  if (!r.success) throw new Error(`device-info failed: ${r.error.code}`);
  return r.data;
}

describe("device-info", () => {
  it("returns every section for type all", () => {
    const d = device({ location: "Building 1, rack 4" });
    const info = data(d.deviceInfo("all"));
    expect(Object.keys(info)).toEqual(["udi", "imageInfo", "hardwareInfo", "fileSystemList", "profileInfo"]);
    expect(info.udi).toEqual({ primaryChassis: "PID:C9300-24P,VID:V02,SN:FOC2345X0AB" });
    expect(info.imageInfo).toMatchObject({
      versionString: "17.9.4a",
      imageFile: "flash:cat9k_iosxe.17.09.04a.SPA.bin",
      bootVariable: "flash:cat9k_iosxe.17.09.04a.SPA.bin;",
      returnToRomReason: "power-on",
      configReg: "0x102",
    });
    expect(info.imageInfo!.imageHash).toBe(d.platform.image.md5);
    expect(info.hardwareInfo).toMatchObject({
      hostname: "Switch",
      vendor: "Cisco",
      platformName: "C9300-24P",
      processorType: "X86",
      boardId: "FOC2345X0AB",
      location: "Building 1, rack 4",
    });
    expect(info.profileInfo).toEqual([
      {
        profileName: "pnp-zero-touch",
        discoveryCreated: true,
        createdBy: "PnP-DHCP",
        primaryServer: { protocol: "http", address: { kind: "ipv4", value: "10.0.0.1" }, port: 80 },
      },
    ]);
  });

  it("returns only the requested section", () => {
    const d = device();
    expect(Object.keys(data(d.deviceInfo("image")))).toEqual(["imageInfo"]);
    expect(Object.keys(data(d.deviceInfo("hardware")))).toEqual(["hardwareInfo"]);
    expect(Object.keys(data(d.deviceInfo("filesystem")))).toEqual(["fileSystemList"]);
    expect(Object.keys(data(d.deviceInfo("udi")))).toEqual(["udi"]);
    expect(Object.keys(data(d.deviceInfo("profile")))).toEqual(["profileInfo"]);
  });

  it("rejects an unknown type with 1611", () => {
    const r = device().deviceInfo("ALL");
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.error.code).toBe(PnpErrorCode.DEVICE_INFO_INVALID_REQUEST);
      expect(r.error.severity).toBe("XSVC_ERROR");
    }
  });

  it("reports mainMemSize as a signed 32-bit value on big boxes and positive on small ones", () => {
    expect(data(device().deviceInfo("hardware")).hardwareInfo!.mainMemSize).toBeLessThan(0);
    const csr = createDevice({ pid: "CSR1000V", serial: "9ABCDEFGHIJ" });
    expect(data(csr.deviceInfo("hardware")).hardwareInfo!.mainMemSize).toBeLessThan(0);
    const isr = createDevice({ pid: "CISCO2901/K9", serial: "FTX1503AH3V" });
    expect(data(isr.deviceInfo("hardware")).hardwareInfo!.mainMemSize).toBeGreaterThan(0);
  });

  it("reproduces the CSR1000V quirks: no boardId, empty deviceType, lower-case vendor, DHCP created-by", () => {
    const csr = createDevice({
      pid: "CSR1000V",
      serial: "9ABCDEFGHIJ",
      pnpServer: { protocol: "https", address: "pnp.example.com" },
    });
    const info = data(csr.deviceInfo("all"));
    expect(info.hardwareInfo).not.toHaveProperty("boardId");
    expect(info.hardwareInfo!.deviceType).toBe("");
    expect(info.hardwareInfo!.vendor).toBe("cisco");
    expect(info.udi!.primaryChassis).toBe("PID:CSR1000V,VID:,SN:9ABCDEFGHIJ");
    expect(info.profileInfo![0]).toMatchObject({
      createdBy: "DHCP",
      primaryServer: { protocol: "https", address: { kind: "host", value: "pnp.example.com" }, port: 443 },
    });
    expect(info.fileSystemList!.map((f) => f.name)).toEqual(["bootflash", "cloudfs", "webui", "nvram"]);
    expect(info.fileSystemList![0]!.size).toBe(6_286_540_800);
    expect(info.fileSystemList!.find((f) => f.name === "webui")!.writable).toBe(false);
  });

  it("lists stack member and HA standby UDIs", () => {
    const stack = device({ variant: "stack", members: [{}, { serial: "FOC0000002B" }] });
    expect(data(stack.deviceInfo("udi")).udi).toEqual({
      primaryChassis: "PID:C9300-24P,VID:V02,SN:FOC2345X0AB",
      stackMembers: [
        { slot: 1, udi: "PID:C9300-24P,VID:V02,SN:FOC2345X0AB" },
        { slot: 2, udi: "PID:C9300-24P,VID:V02,SN:FOC0000002B" },
      ],
    });
    const ha = createDevice({
      pid: "C9500-24Y4C",
      serial: "FDO1111A1AA",
      variant: "ha",
      standby: { serial: "FDO2222B2BB" },
    });
    expect(data(ha.deviceInfo("udi")).udi).toEqual({
      primaryChassis: "PID:C9500-24Y4C,VID:V03,SN:FDO1111A1AA",
      standbyUdis: ["PID:C9500-24Y4C,VID:V03,SN:FDO2222B2BB"],
    });
  });

  it("fails filesystem with 1609 when the quirk is set", () => {
    const d = device({ quirks: { filesystemInfoUnavailable: true } });
    const r = d.deviceInfo("filesystem");
    expect(r.success ? 0 : r.error.code).toBe(1609);
    expect(d.deviceInfo("udi").success).toBe(true);
  });

  it("reflects free space, hostname and boot variable changes", () => {
    const d = device();
    const before = data(d.deviceInfo("filesystem")).fileSystemList!.find(
      (f) => f.name === "flash",
    )!.freespace;
    expect(d.installImage({ source: `http://s/${NEW_XE}` }, imageFetch(NEW_XE, NEW_XE_SIZE)).success).toBe(
      true,
    );
    d.applyConfig(["hostname core-sw"]);
    const info = data(d.deviceInfo("all"));
    expect(info.fileSystemList!.find((f) => f.name === "flash")!.freespace).toBe(before - NEW_XE_SIZE);
    expect(info.hardwareInfo!.hostname).toBe("core-sw");
    expect(info.imageInfo!.bootVariable).toBe(`flash:${NEW_XE};`);
  });
});
