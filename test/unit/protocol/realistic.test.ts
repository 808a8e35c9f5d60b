// Hand-written fixtures in the shape real agents send (quirks included): each parses into the expected typed
// message, and building that message and parsing it again gives the same message.

import { describe, expect, it } from "vitest";
import { buildPnp, type PnpMessage, parsePnp, parseUdi, serializePnp } from "../../../src/protocol/index.js";
import { fixtureText } from "./fixture-files.js";

const CSR_UDI = "PID:CSR1000V,VID:,SN:9K3ZTRWX5QA";
const CSR_CORRELATOR = "CiscoPnP-1.0-R33.201930-I1-P592-T43891-2";
const SWITCH_UDI = "PID:C9300-24P,VID:V02,SN:FOC2233X0AB";

const REALISTIC: { file: string; expected: PnpMessage }[] = [
  {
    file: "work-info/work-request-csr1000v-reload-reason.xml",
    expected: {
      kind: "work-request",
      envelope: { udi: CSR_UDI, version: "1.0" },
      workRequest: {
        correlator: CSR_CORRELATOR,
        deviceId: {
          udi: CSR_UDI,
          hostname: "Router",
          authRequired: false,
          viaProxy: false,
          securityAdvise: "Password in clear text in unsecured transport",
        },
        reloadReason: {
          message: "factory-reset",
          code: "PnP Service Info 2408",
          startupConfigPresent: false,
        },
      },
    },
  },
  {
    file: "work-info/work-request-prefixed-no-declaration.xml",
    expected: {
      kind: "work-request",
      envelope: { udi: "PID:ISR4451-X/K9,VID:,SN:FOC1234X0YZ", version: "1.0" },
      workRequest: {
        correlator: "CiscoPnP-1.0-40830",
        deviceId: {
          udi: "PID:ISR4451-X/K9,VID:,SN:FOC1234X0YZ",
          sudi: "PID:ISR4451-X/K9,SN:FOC1234X0YZ",
          macAddress: "00:1e:be:2f:4a:10",
          hostname: "ISR4451",
          authRequired: true,
        },
      },
    },
  },
  {
    file: "device-info/response-all-csr1000v.xml",
    expected: {
      kind: "response",
      envelope: { udi: CSR_UDI, version: "1.0" },
      response: {
        service: "device-info",
        correlator: CSR_CORRELATOR,
        success: true,
        deviceInfo: {
          udi: { primaryChassis: CSR_UDI },
          imageInfo: {
            versionString: "17.3.4a",
            imageFile: "bootflash:packages.conf",
            imageHash: "",
            returnToRomReason: "reload",
            bootVariable: "",
            bootLdrVariable: "",
            configVariable: "",
            configReg: "0x2102",
            configRegNext: "0x2102",
          },
          hardwareInfo: {
            hostname: "Router",
            vendor: "cisco",
            platformName: "CSR1000V",
            processorType: "VXE",
            hwRevision: "",
            mainMemSize: -1612736212,
            ioMemSize: 6291456,
            boardId: "9K3ZTRWX5QA",
            boardReworkId: "",
            processorRev: "",
            midplaneVersion: "",
            location: "",
            deviceType: "",
          },
          fileSystemList: [
            {
              name: "bootflash",
              type: "disk",
              size: 6286540800,
              freespace: 5164371968,
              readable: true,
              writable: true,
            },
            {
              name: "cloudfs",
              type: "disk",
              size: 1000000000,
              freespace: 999999488,
              readable: true,
              writable: true,
            },
            { name: "webui", type: "disk", size: 0, freespace: 0, readable: true, writable: false },
            {
              name: "crashinfo",
              type: "disk",
              size: 1651314688,
              freespace: 1626853376,
              readable: true,
              writable: true,
            },
            {
              name: "nvram",
              type: "nvram",
              size: 33554432,
              freespace: 33537024,
              readable: true,
              writable: true,
            },
          ],
          profileInfo: [
            {
              profileName: "pnp-zero-touch",
              discoveryCreated: true,
              createdBy: "DHCP",
              primaryServer: {
                protocol: "http",
                address: { kind: "ipv4", value: "198.51.100.20" },
                port: 80,
              },
            },
          ],
        },
      },
    },
  },
  {
    file: "device-info/response-filesystem-xsd-order-prefixed.xml",
    expected: {
      kind: "response",
      envelope: { udi: "PID:CISCO2901/K9,VID:V06,SN:FTX1503AH3V", version: "1.0" },
      response: {
        service: "device-info",
        correlator: "CiscoPnP-1.0-1465-25A1212C",
        success: true,
        deviceInfo: {
          udi: {
            primaryChassis: "PID:CISCO2901/K9,VID:V06,SN:FTX1503AH3V",
            standbyUdis: ["PID:CISCO2901/K9,VID:V06,SN:FTX1503AH4W"],
          },
          hardwareInfo: {
            hostname: "branch-rtr",
            vendor: "Cisco",
            platformName: "CISCO2901/K9",
            mainMemSize: 487424000,
            ioMemSize: 49152000,
            location: "rack 4",
          },
          fileSystemList: [
            {
              name: "flash0",
              type: "flash",
              size: 255744000,
              freespace: 135127040,
              readable: true,
              writable: true,
            },
            { name: "nvram", type: "nvram", size: 262136, freespace: 253517, readable: true, writable: true },
          ],
        },
      },
    },
  },
  {
    file: "fault/fault-uppercase-prefix.xml",
    expected: {
      kind: "fault",
      envelope: { udi: SWITCH_UDI, version: "1.0" },
      fault: {
        faultCode: "XSVC:Client",
        faultString: "An unknown XML tag has been received",
        details: "tagging",
      },
    },
  },
  {
    file: "fault/fault-lowercase-prefix.xml",
    expected: {
      kind: "fault",
      envelope: { udi: "PID:CISCO2901/K9,VID:V06,SN:FTX1503AH3V", version: "1.0", sid: "42" },
      fault: {
        faultCode: "XSVC:Client",
        faultString: "An unknown XML tag has been received",
        details: "struct",
      },
    },
  },
  {
    file: "cli-exec/response-success-cdata-comment.xml",
    expected: {
      kind: "response",
      envelope: { udi: SWITCH_UDI, version: "1.0" },
      response: {
        service: "cli-exec",
        correlator: "CiscoPnP-1.0-R17.9-I12-P411-T50212-4",
        success: true,
        execLog: {
          dialogueLogs: [
            {
              sent: "show running-config | include ^ip http",
              // CDATA, then a comment, then text with character references: ltx alone would lose the tail.
              received:
                "ip http server\nip http authentication local <users & admins>\n ip http secure-server & more\n",
            },
          ],
        },
      },
    },
  },
  {
    file: "image-install/response-error-already-running.xml",
    expected: {
      kind: "response",
      envelope: { udi: SWITCH_UDI, version: "1.0" },
      response: {
        service: "image-install",
        correlator: "CiscoPnP-1.0-R17.9-I12-P411-T50212-5",
        success: false,
        errorInfo: {
          severity: "XSVC_ERROR",
          code: "PnP Service Error 1817",
          message: "Image already installed: running image has the same checksum",
        },
      },
    },
  },
  {
    file: "backoff/response-success-agent.xml",
    expected: {
      kind: "response",
      envelope: { udi: SWITCH_UDI, version: "1.0" },
      response: { service: "backoff", correlator: "CiscoPnP-1.0-R17.9-I12-P411-T50212-6", success: true },
    },
  },
];

describe.each(REALISTIC.map((entry) => [entry.file, entry] as const))(
  "realistic fixture %s",
  (file, entry) => {
    const text = fixtureText(file);

    it("parses into the expected typed message", () => {
      expect(parsePnp(text)).toEqual(entry.expected);
    });

    it("survives build → parse unchanged", () => {
      const parsed = parsePnp(text);
      if (parsed.kind === "unknown") throw new Error("parsed as unknown");
      expect(parsePnp(serializePnp(parsed, { declaration: true }))).toEqual(parsed);
      expect(parsePnp(buildPnp(parsed))).toEqual(parsed);
    });
  },
);

describe("real-world quirks", () => {
  it("keeps the CSR1000V's 33-bit bootflash size and negative mainMemSize as numbers", () => {
    const message = parsePnp(fixtureText("device-info/response-all-csr1000v.xml"));
    if (message.kind !== "response" || message.response.service !== "device-info")
      throw new Error(message.kind);
    const bootflash = message.response.deviceInfo.fileSystemList?.find((fs) => fs.name === "bootflash");
    expect(bootflash?.size).toBe(6286540800);
    expect(bootflash?.size).toBeGreaterThan(2 ** 32);
    expect(message.response.deviceInfo.hardwareInfo?.mainMemSize).toBeLessThan(0);
  });

  it("ignores the CSR1000V's extra elements (thisProfileName, stackInfo, deviceModeInfo) when rebuilding", () => {
    const message = parsePnp(fixtureText("device-info/response-all-csr1000v.xml"));
    if (message.kind === "unknown") throw new Error("unknown");
    const rebuilt = serializePnp(message);
    expect(rebuilt).not.toContain("thisProfileName");
    expect(rebuilt).not.toContain("stackInfo");
    expect(rebuilt).toContain("<deviceType/>");
    expect(rebuilt).toContain('name="cloudfs"');
  });

  it("reads a UDI with an empty VID and a PID holding / and -", () => {
    const message = parsePnp(fixtureText("work-info/work-request-prefixed-no-declaration.xml"));
    if (message.kind !== "work-request") throw new Error(message.kind);
    expect(parseUdi(message.workRequest.deviceId.udi)).toEqual({
      pid: "ISR4451-X/K9",
      vid: "",
      sn: "FOC1234X0YZ",
    });
  });
});
