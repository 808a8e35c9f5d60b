import { describe, expect, it } from "vitest";
import { createDevice, PnpErrorCode, staticPeer } from "../../../../src/agent/model/index.js";
import { device } from "./helpers.js";

describe("cli-exec: show commands", () => {
  it("show version reflects image, hostname, serial and config register", () => {
    const d = device();
    d.applyConfig(["hostname edge-1"]);
    const out = d.exec("show version").output;
    expect(out).toMatch(/^Cisco IOS XE Software, Version 17\.09\.04a\n/);
    expect(out).toContain("Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a");
    expect(out).toContain('System image file is "flash:cat9k_iosxe.17.09.04a.SPA.bin"');
    expect(out).toContain("edge-1 uptime is 0 minutes");
    expect(out).toContain("Processor board ID FOC2345X0AB");
    expect(out).toContain("Configuration register is 0x102");
  });

  it("show version on IOS 15 has the classic layout", () => {
    const r = createDevice({ pid: "CISCO2901/K9", serial: "FTX1503AH3V" });
    const out = r.exec("sh ver").output;
    expect(out).toMatch(/^Cisco IOS Software, C2900 Software \(C2900-UNIVERSALK9-M\), Version 15\.7\(3\)M8/);
    expect(out).not.toContain("IOS XE");
    expect(out).toContain("Cisco CISCO2901/K9 (revision 1.0) with 483328K/40960K bytes of memory.");
    expect(out).toContain("Technology Package License Information for Module:'c2900'");
  });

  it("show running-config and startup-config", () => {
    const d = device();
    const run = d.exec("show running-config").output;
    expect(run).toMatch(/^Building configuration\.\.\.\n\nCurrent configuration : (\d+) bytes\n!\n/);
    const size = Number(/Current configuration : (\d+) bytes/.exec(run)![1]);
    expect(size).toBe(Buffer.byteLength(run.slice(run.indexOf("!"))));
    expect(run).toContain("hostname Switch\n");
    expect(run).toContain("pnp profile pnp-zero-touch\n transport http ipv4 10.0.0.1 port 80\n");
    expect(run.trimEnd().endsWith("end")).toBe(true);
    expect(d.exec("show startup-config").output).toBe("startup-config is not present\n");
    d.exec("write memory");
    expect(d.exec("show startup-config").output).toMatch(
      /^Using \d+ out of 2097152 bytes\n!\nversion 17\.9\n/,
    );
  });

  it("show running-config interface", () => {
    const d = device();
    d.applyConfig(["interface Gi1/0/3", " description printer"]);
    const out = d.exec("show run interface gi1/0/3").output;
    expect(out).toContain("interface GigabitEthernet1/0/3\n description printer\nend");
  });

  it("show inventory lists chassis, stack members and modules", () => {
    const out = device({ variant: "stack", members: 2 }).exec("show inventory").output;
    expect(out).toContain(
      'NAME: "Switch 1", DESCR: "C9300-24P"\nPID: C9300-24P         , VID: V02  , SN: FOC2345X0AB',
    );
    expect(out).toContain('NAME: "Switch 2", DESCR: "C9300-24P"');
    expect(out).toContain("PWR-C1-715WAC-P");
  });

  it("show cdp neighbors and detail", () => {
    const d = device();
    d.connect(
      "Gi1/0/24",
      staticPeer({ deviceId: "core1", pid: "C9500-24Y4C", address: "10.0.0.1" }),
      "TwentyFiveGigE1/0/7",
    );
    const table = d.exec("show cdp neighbors").output;
    expect(table).toContain("Device ID        Local Intrfce     Holdtme    Capability  Platform  Port ID");
    expect(table).toMatch(/core1\s+Gig 1\/0\/24\s+\d{3}\s+R S I\s+C9500-24Y\s+Twe 1\/0\/7/);
    expect(table).toContain("Total cdp entries displayed : 1");
    const detail = d.exec("show cdp neighbors detail").output;
    expect(detail).toContain("Device ID: core1");
    expect(detail).toContain(
      "Interface: GigabitEthernet1/0/24,  Port ID (outgoing port): TwentyFiveGigE1/0/7",
    );
    expect(detail).toContain("  IP address: 10.0.0.1");
    d.applyConfig(["no cdp run"]);
    expect(d.exec("show cdp neighbors").output).toBe("% CDP is not enabled\n");
  });

  it("show pnp profile, license summary, clock, boot, file systems, switch", () => {
    const d = device();
    expect(d.exec("show pnp profile").output).toContain("Primary transport: http to ipv4 10.0.0.1, port 80");
    expect(d.exec("show license summary").output).toMatch(/network-advantage .* IN USE/);
    expect(d.exec("show clock").output).toBe("*10:00:00.000 UTC Tue Mar 4 2025\n");
    expect(d.exec("show boot").output).toContain("BOOT variable = flash:cat9k_iosxe.17.09.04a.SPA.bin;");
    expect(d.exec("show file systems").output).toMatch(/\*\s+11353194496\s+\d+\s+disk\s+rw\s+flash:/);
    expect(d.exec("show switch").output).toMatch(/\*1\s+Active/);
    const isr = createDevice({ pid: "ISR4451-X/K9", serial: "FOC1" });
    expect(isr.exec("show switch").success).toBe(false);
    expect(isr.exec("show bootvar").output).toContain(
      "BOOT variable = bootflash:isr4400-universalk9.17.06.05.SPA.bin,12;",
    );
  });

  it("dir and show <fs>: list files with sizes and free space", () => {
    const d = device();
    const out = d.exec("dir flash:").output;
    expect(out).toMatch(/^Directory of flash:\/\n\n/);
    expect(out).toMatch(
      /-rw-\s+1229502213\s+Jan 15 2024 08:30:00 \+00:00\s+cat9k_iosxe\.17\.09\.04a\.SPA\.bin/,
    );
    expect(out).toMatch(/11353194496 bytes total \(\d+ bytes free\)/);
    expect(d.exec("show flash:").output).toBe(out);
    expect(d.exec("dir").output).toBe(out);
    expect(d.exec("dir bogus:").success).toBe(false);
  });

  it("show ip interface brief shows DHCP lease, admin-down and linked ports", () => {
    const d = device();
    d.connect("Gi1/0/1", staticPeer({ deviceId: "up", pid: "C9500-24Y4C" }), "TwentyFiveGigE1/0/1");
    d.applyConfig([
      "interface Gi1/0/2",
      " shutdown",
      "interface Loopback0",
      " ip address 192.0.2.1 255.255.255.255",
    ]);
    const out = d.exec("show ip interface brief").output;
    expect(out).toMatch(/^Interface\s+IP-Address\s+OK\? Method Status\s+Protocol/);
    expect(out).toMatch(/Vlan1\s+10\.0\.0\.21\s+YES DHCP\s+up\s+up/);
    expect(out).toMatch(/GigabitEthernet1\/0\/1\s+unassigned\s+YES unset\s+up\s+up/);
    expect(out).toMatch(/GigabitEthernet1\/0\/2\s+unassigned\s+YES unset\s+administratively down\s+down/);
    expect(out).toMatch(/GigabitEthernet1\/0\/3\s+unassigned\s+YES unset\s+down\s+down/);
    expect(out).toMatch(/Loopback0\s+192\.0\.2\.1\s+YES manual\s+up\s+up/);
  });
});

describe("cli-exec: parsing and errors", () => {
  it("answers unknown commands with the IOS caret and error 1304", () => {
    const r = device().exec("show bogus");
    expect(r.success).toBe(false);
    expect(r.error).toEqual({
      code: PnpErrorCode.CLI_EXEC_INVALID_CLI,
      message: "% Invalid input detected at '^' marker.",
    });
    expect(r.output).toBe("     ^\n% Invalid input detected at '^' marker.\n");
    expect(r.log).toEqual([{ sent: "show bogus", received: r.output }]);
  });

  it("reports ambiguous and incomplete commands", () => {
    const d = device();
    expect(d.exec("sh c").output).toBe('% Ambiguous command:  "sh c"\n');
    expect(d.exec("show ip interface").output).toBe("% Incomplete command.\n");
    expect(d.exec("show ip interface").success).toBe(false);
  });

  it("applies | include, exclude, begin, section and count", () => {
    const d = device();
    expect(d.exec("show running-config | include ^hostname").output).toBe("hostname Switch\n");
    expect(d.exec("show run | section pnp profile").output).toBe(
      "pnp profile pnp-zero-touch\n transport http ipv4 10.0.0.1 port 80\n",
    );
    expect(d.exec("show run | begin ^line con").output.startsWith("line con 0")).toBe(true);
    expect(d.exec("show version | exclude a").output).not.toMatch(/a/);
    expect(d.exec("show run | count ^interface").output).toMatch(
      /^Number of lines which match regexp = \d+\n$/,
    );
    expect(d.exec("show run | frobnicate x").success).toBe(false);
  });
});

describe("cli-exec: interactive dialogue", () => {
  it("copy running-config startup-config answers the destination prompt", () => {
    const d = device();
    const r = d.exec("copy running-config startup-config", {
      dialogue: [{ expect: "Destination filename [startup-config]?", reply: "" }],
    });
    expect(r.success).toBe(true);
    expect(r.log).toEqual([
      { sent: "copy running-config startup-config", received: "Destination filename [startup-config]? " },
      { sent: "", received: "\nBuilding configuration...\n[OK]\n" },
    ]);
    expect(d.startupConfig()).toContain("hostname Switch");
  });

  it("fails with 1303 and changes nothing when a prompt is not answered", () => {
    const d = device();
    const r = d.exec("copy run start");
    expect(r.success).toBe(false);
    expect(r.error?.code).toBe(PnpErrorCode.CLI_EXEC_INVALID_DIALOGUE);
    expect(d.startupConfig()).toBeUndefined();
  });

  it("matches prompts by leading/trailing/embedded text and case", () => {
    const d = device();
    const r = d.exec("delete flash:vlan.dat", {
      dialogue: [
        { expect: "delete filename", reply: "", match: "leading", caseSensitive: false },
        { expect: "[confirm]", reply: "y", match: "trailing" },
      ],
    });
    expect(r.success).toBe(true);
    expect(r.log.map((l) => l.sent)).toEqual(["delete flash:vlan.dat", "", "y"]);
    expect(d.files("flash:")!.map((f) => f.name)).not.toContain("vlan.dat");
  });

  it("a declined confirmation keeps the file", () => {
    const d = device();
    d.exec("delete flash:vlan.dat", {
      dialogue: [
        { expect: "Delete filename", reply: "", match: "leading" },
        { expect: "confirm", reply: "n", match: "embedded" },
      ],
    });
    expect(d.files("flash:")!.map((f) => f.name)).toContain("vlan.dat");
  });

  it("reload asks to save a modified configuration, then for confirmation", () => {
    const d = device();
    d.applyConfig(["hostname r1"]);
    const r = d.exec("reload", {
      dialogue: [
        { expect: "System configuration has been modified. Save? [yes/no]:", reply: "yes" },
        { expect: "Proceed with reload? [confirm]", reply: "" },
      ],
    });
    expect(r.success).toBe(true);
    expect(r.reloadRequested).toBe(true);
    expect(d.startupConfig()).toContain("hostname r1");
    expect(d.reloadCount).toBe(0);
  });
});
