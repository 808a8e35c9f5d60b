import { describe, expect, it } from "vitest";
import { formatUdi, PnpProtocolError, parseUdi, tryParseUdi } from "../../../src/protocol/index.js";

describe("UDI", () => {
  it.each([
    ["PID:C9300-24P,VID:V02,SN:FOC2233X0AB", { pid: "C9300-24P", vid: "V02", sn: "FOC2233X0AB" }],
    ["PID:CISCO2901/K9,VID:V06,SN:FTX1503AH3V", { pid: "CISCO2901/K9", vid: "V06", sn: "FTX1503AH3V" }],
    ["PID:ISR4451-X/K9,VID:,SN:FOC1234X0YZ", { pid: "ISR4451-X/K9", vid: "", sn: "FOC1234X0YZ" }],
    ["PID:7206VXR,VID:,SN:34835437", { pid: "7206VXR", vid: "", sn: "34835437" }],
    // Some wireless agents leave VID out; spaces after commas are tolerated.
    ["PID:AIR-AP2802I-E-K9,SN:FGL2144A0B1", { pid: "AIR-AP2802I-E-K9", vid: "", sn: "FGL2144A0B1" }],
    [" PID:C9500-48Y4C, VID:V01, SN:FDO1234ABCD ", { pid: "C9500-48Y4C", vid: "V01", sn: "FDO1234ABCD" }],
  ])("parses %s", (text, expected) => {
    expect(parseUdi(text)).toEqual(expected);
  });

  it.each([
    "",
    "C9300-24P FOC2233X0AB",
    "PID:,VID:V01,SN:X",
    "PID:X,VID:V01,SN:",
    "SN:X,PID:Y,VID:Z",
    "PID:A,B,VID:,SN:C",
  ])("rejects %j", (text) => {
    expect(tryParseUdi(text)).toBeUndefined();
    expect(() => parseUdi(text)).toThrow(PnpProtocolError);
    try {
      parseUdi(text);
    } catch (error) {
      expect((error as PnpProtocolError).code).toBe("PNP_UDI_INVALID");
    }
  });

  it("formats and round-trips, keeping an empty VID", () => {
    const udi = { pid: "ISR4451-X/K9", vid: "", sn: "FOC1234X0YZ" };
    expect(formatUdi(udi)).toBe("PID:ISR4451-X/K9,VID:,SN:FOC1234X0YZ");
    expect(parseUdi(formatUdi(udi))).toEqual(udi);
  });

  it("refuses to format values that would not parse back", () => {
    expect(() => formatUdi({ pid: "A,B", vid: "", sn: "X" })).toThrow(/PID/);
    expect(() => formatUdi({ pid: "A", vid: "", sn: "X Y" })).toThrow(/SN/);
    expect(() => formatUdi({ pid: "", vid: "", sn: "X" })).toThrow(PnpProtocolError);
  });
});
