import { describe, expect, it } from "vitest";
import {
  buildOption43,
  detectAddressType,
  PnpProtocolError,
  parseOption43,
} from "../../../src/protocol/index.js";

describe("option 43", () => {
  it("builds the classic HTTP form", () => {
    expect(buildOption43({ address: "172.19.45.222" })).toBe("5A1N;B2;K4;I172.19.45.222;J80");
  });

  it("uses B1 for host names, B3 for IPv6, D for debug, and K1..K5 with their default ports", () => {
    expect(buildOption43({ address: "pnpserver.example.net", transport: "https" })).toBe(
      "5A1N;B1;K5;Ipnpserver.example.net;J443",
    );
    expect(buildOption43({ address: "2001:db8::10", transport: "xmpp-starttls", debug: true })).toBe(
      "5A1D;B3;K1;I2001:db8::10;J5222",
    );
    expect(buildOption43({ address: "192.0.2.1", transport: "xmpp-socket" })).toBe(
      "5A1N;B2;K2;I192.0.2.1;J5222",
    );
    expect(buildOption43({ address: "192.0.2.1", transport: "xmpp-tls" })).toBe(
      "5A1N;B2;K3;I192.0.2.1;J5223",
    );
    expect(buildOption43({ address: "192.0.2.1", transport: "http", port: 8080 })).toBe(
      "5A1N;B2;K4;I192.0.2.1;J8080",
    );
  });

  it("appends the trustpool (T) and NTP (Z) tokens when given", () => {
    expect(
      buildOption43({
        address: "192.0.2.1",
        transport: "https",
        trustpoolUrl: "http://192.0.2.1/ca/trustpool",
        ntpServer: "192.0.2.123",
      }),
    ).toBe("5A1N;B2;K5;I192.0.2.1;J443;Thttp://192.0.2.1/ca/trustpool;Z192.0.2.123");
  });

  it("refuses bad input with PNP_OPTION43_INVALID", () => {
    for (const options of [
      { address: "not a host!" },
      { address: "192.0.2.1;J99" },
      { address: "192.0.2.1", port: 0 },
      { address: "192.0.2.1", port: 65536 },
      { address: "192.0.2.1", addressType: "ipv6" as const },
      { address: "192.0.2.1", ntpServer: "a;b" },
    ]) {
      let caught: unknown;
      try {
        buildOption43(options);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(options)).toBeInstanceOf(PnpProtocolError);
      expect((caught as PnpProtocolError).code).toBe("PNP_OPTION43_INVALID");
    }
  });

  it("parses any token order and the shortened header, filling defaults", () => {
    expect(parseOption43("5A1D;K4;B2;I192.168.10.15;J8080")).toEqual({
      address: "192.168.10.15",
      addressType: "ipv4",
      transport: "http",
      port: 8080,
      debug: true,
    });
    expect(parseOption43("5A;B2;K5;I10.2.3.4")).toEqual({
      address: "10.2.3.4",
      addressType: "ipv4",
      transport: "https",
      port: 443,
      debug: false,
    });
  });

  it("round-trips what it builds", () => {
    const options = {
      address: "pnp.example.net",
      addressType: "host" as const,
      transport: "https" as const,
      port: 8443,
      debug: false,
      trustpoolUrl: "http://pnp.example.net/ca/trustpool",
      ntpServer: "192.0.2.123",
    };
    expect(parseOption43(buildOption43(options))).toEqual(options);
  });

  it("refuses strings that are not PnP option 43", () => {
    expect(() => parseOption43("6A1N;B2;I1.2.3.4")).toThrow(PnpProtocolError);
    expect(() => parseOption43("5A1N;B2;K4;J80")).toThrow(/I<address>/);
    expect(() => parseOption43("5A1N;B9;I1.2.3.4")).toThrow(/address type/);
  });

  it("detects address types", () => {
    expect(detectAddressType("10.0.0.1")).toBe("ipv4");
    expect(detectAddressType("fe80::1")).toBe("ipv6");
    expect(detectAddressType("::ffff:192.0.2.1")).toBe("ipv6");
    expect(detectAddressType("1:2:3:4:5:6:7:8")).toBe("ipv6");
    expect(detectAddressType("1::2::3")).toBeUndefined();
    expect(detectAddressType("256.1.1.1")).toBe("host");
    expect(detectAddressType("pnpserver")).toBe("host");
    expect(detectAddressType("bad_host")).toBeUndefined();
  });
});
