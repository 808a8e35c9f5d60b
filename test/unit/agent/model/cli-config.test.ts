import { describe, expect, it } from "vitest";
import { createDevice, listPlatforms, PnpErrorCode } from "../../../../src/agent/model/index.js";
import { device } from "./helpers.js";

const run = (d: ReturnType<typeof device>) => d.exec("show running-config").output;

describe("cli-config configApply", () => {
  it("applies hostname, interface blocks, no-forms and end with per-line results", () => {
    const d = device();
    const r = d.applyConfig([
      "hostname acc-01",
      "interface GigabitEthernet1/0/5",
      " description AP uplink",
      " switchport mode access",
      " switchport access vlan 20",
      " shutdown",
      " no shutdown",
      "end",
    ]);
    expect(r.success).toBe(true);
    expect(r.changed).toBe(true);
    expect(r.lines.map((l) => [l.lineNumber, l.outcome, l.change])).toEqual([
      [1, "success", "CHANGE"],
      [2, "success", "NO_CHANGE"],
      [3, "success", "CHANGE"],
      [4, "success", "CHANGE"],
      [5, "success", "CHANGE"],
      [6, "success", "CHANGE"],
      [7, "success", "CHANGE"],
      [8, "success", "NO_CHANGE"],
    ]);
    expect(d.hostname).toBe("acc-01");
    expect(run(d)).toContain(
      "interface GigabitEthernet1/0/5\n description AP uplink\n switchport access vlan 20\n switchport mode access\n!",
    );
    expect(run(d)).toContain("! Last configuration change at 10:00:00 UTC Tue Mar 4 2025");
  });

  it("accepts IOS abbreviations and stores the canonical form", () => {
    const d = device();
    d.applyConfig(["int gi1/0/7", " desc x", " shut", "ho core", "no ip domain look"]);
    const text = run(d);
    expect(text).toContain("interface GigabitEthernet1/0/7\n description x\n shutdown\n");
    expect(text).toContain("hostname core\n");
    expect(text).toContain("no ip domain lookup\n");
  });

  it("replaces single-valued commands and keeps multi-valued ones", () => {
    const d = device();
    d.applyConfig([
      "interface Vlan10",
      " ip address 10.1.1.1 255.255.255.0",
      " ip address 10.2.2.2 255.255.255.0",
      " ip helper-address 10.9.9.1",
      " ip helper-address 10.9.9.2",
      "ip route 0.0.0.0 0.0.0.0 10.1.1.254",
      "ip route 10.0.0.0 255.0.0.0 10.1.1.253",
    ]);
    const text = run(d);
    expect(text).toContain(
      "interface Vlan10\n ip address 10.2.2.2 255.255.255.0\n ip helper-address 10.9.9.1\n ip helper-address 10.9.9.2\n",
    );
    expect(text).toContain("ip route 0.0.0.0 0.0.0.0 10.1.1.254\nip route 10.0.0.0 255.0.0.0 10.1.1.253\n");
    d.applyConfig(["no ip route 10.0.0.0 255.0.0.0 10.1.1.253", "interface Vlan10", " no ip address"]);
    expect(run(d)).not.toContain("ip route 10.0.0.0");
    expect(run(d)).toContain("interface Vlan10\n no ip address\n");
  });

  it("creates and removes logical interfaces, refuses to remove physical ones", () => {
    const d = device();
    d.applyConfig(["interface Loopback0", " ip address 192.0.2.1 255.255.255.255"]);
    expect(run(d)).toContain("interface Loopback0\n ip address 192.0.2.1 255.255.255.255\n");
    // Loopback sorts before the physical ports.
    expect(run(d).indexOf("interface Loopback0")).toBeLessThan(
      run(d).indexOf("interface GigabitEthernet0/0"),
    );
    const r = d.applyConfig(["no interface Loopback0", "no interface GigabitEthernet1/0/1"]);
    expect(run(d)).not.toContain("Loopback0");
    expect(r.lines[1]).toMatchObject({
      outcome: "failure",
      text: "% Physical interfaces cannot be removed.",
    });
  });

  it("configures interface ranges", () => {
    const d = device();
    d.applyConfig(["interface range Gi1/0/10 - 12, Gi1/0/20", " switchport access vlan 30"]);
    const text = run(d);
    for (const n of [10, 11, 12, 20]) {
      expect(text).toContain(`interface GigabitEthernet1/0/${n}\n switchport access vlan 30\n`);
    }
    expect(text).not.toContain("interface GigabitEthernet1/0/13\n switchport");
    expect(d.applyConfig(["interface range Gi1/0/20 - 30"]).lines[0]!.outcome).toBe("invalid");
  });

  it("leaves a submode for a global command, as IOS does", () => {
    const d = device();
    d.applyConfig(["interface Gi1/0/2", " description a", "hostname sw9", " description b"]);
    expect(d.hostname).toBe("sw9");
    // After falling back to global, "description" is no longer valid.
    expect(run(d)).toContain("interface GigabitEthernet1/0/2\n description a\n");
  });

  it("handles single-line and multi-line banners", () => {
    const d = device();
    d.applyConfig(["banner login #Authorized access only#"]);
    expect(run(d)).toContain("banner login ^CAuthorized access only^C\n");
    const r = d.applyConfig(["banner motd ^C", "Welcome", "to site 7", "^C"]);
    expect(r.lines.every((l) => l.outcome === "success")).toBe(true);
    expect(run(d)).toContain("banner motd ^C\nWelcome\nto site 7\n^C\n");
    d.applyConfig(["no banner motd"]);
    expect(run(d)).not.toContain("banner motd");
    const open = d.applyConfig(["banner exec %", "never closed"]);
    expect(open.lines[0]).toMatchObject({ outcome: "failure" });
  });

  it("reports IOS errors for invalid, incomplete and ambiguous lines", () => {
    const d = device();
    const r = d.applyConfig([
      "hostnam",
      "interface Gi1/0/99",
      "s",
      "ip address 1.2.3.4",
      "hostname bad_name!",
    ]);
    expect(r.lines.map((l) => [l.outcome, l.text])).toEqual([
      ["invalid", "% Incomplete command."],
      ["invalid", "% Invalid input detected at '^' marker."],
      ["invalid", '% Ambiguous command:  "s"'],
      ["invalid", "% Invalid input detected at '^' marker."],
      ["failure", "% Hostname contains one or more illegal characters."],
    ]);
    expect(r.lines[1]!.caret).toBe(10);
    expect(r.success).toBe(true);
    expect(r.transcript).toContain(
      "(config)#interface Gi1/0/99\n                   ^\n% Invalid input detected at '^' marker.",
    );
  });

  it("refuses an IP address on an L2 switch port until it is routed", () => {
    const d = device();
    const r = d.applyConfig(["interface Gi1/0/4", " ip address 10.0.0.1 255.255.255.0"]);
    expect(r.lines[1]).toMatchObject({
      outcome: "failure",
      text: "% IP addresses may not be configured on L2 links.",
    });
    const ok = d.applyConfig(["interface Gi1/0/4", " no switchport", " ip address 10.0.0.1 255.255.255.0"]);
    expect(ok.lines.every((l) => l.outcome === "success")).toBe(true);
    expect(run(d)).toContain(
      "interface GigabitEthernet1/0/4\n no switchport\n ip address 10.0.0.1 255.255.255.0\n",
    );
  });

  it("rejects switch-only commands on routers", () => {
    const r = createDevice({ pid: "ISR4451-X/K9", serial: "FOC1" });
    const res = r.applyConfig([
      "interface Gi0/0/1",
      " switchport mode access",
      " ip address 10.0.0.1 255.255.255.0",
    ]);
    expect(res.lines.map((l) => l.outcome)).toEqual(["success", "invalid", "success"]);
  });

  it("validates the licence boot level and records it for the next reload", () => {
    const d = device();
    const bad = d.applyConfig(["license boot level network-premier"]);
    expect(bad.lines[0]!.outcome).toBe("invalid");
    d.applyConfig(["license boot level network-essentials"]);
    expect(d.licenses()).toMatchObject({ level: "network-advantage", nextLevel: "network-essentials" });
    expect(d.licenses().nextAddon).toBeUndefined();
  });

  it("runs exec commands with do", () => {
    const d = device();
    const r = d.applyConfig(["hostname x1", "do write memory", "do show nonsense"]);
    expect(r.lines[1]).toMatchObject({ outcome: "success", text: "Building configuration...\n[OK]\n" });
    expect(r.lines[2]!.outcome).toBe("failure");
    expect(d.startupConfig()).toContain("hostname x1");
  });

  it("stored no-forms are replaced by the positive command", () => {
    const d = device();
    d.applyConfig(["no service call-home", "no cdp run", "no ip http server"]);
    expect(run(d)).toContain("no service call-home\n");
    expect(run(d)).toContain("no cdp run\n");
    expect(run(d)).toContain("no ip http server\n");
    d.applyConfig(["service call-home", "cdp run", "ip http server"]);
    expect(run(d)).not.toMatch(/no (service call-home|cdp run|ip http server)/);
    expect(run(d)).toContain("service call-home\n");
    expect(run(d)).toContain("ip http server\n");
  });

  it("a global command typed in a submode is applied globally even when a submode keyword shares its prefix", () => {
    const d = device();
    d.applyConfig([
      "interface Gi1/0/1",
      "logging host 10.0.0.5",
      "spanning-tree mode mst",
      "ip route 0.0.0.0 0.0.0.0 10.0.0.1",
    ]);
    expect(run(d)).toContain("interface GigabitEthernet1/0/1\n!");
    expect(run(d)).toContain("logging host 10.0.0.5\n");
    expect(run(d)).toContain("spanning-tree mode mst\n");
    expect(run(d)).toContain("ip route 0.0.0.0 0.0.0.0 10.0.0.1\n");
    d.applyConfig(["line vty 0 4", " login local", "login on-success log"]);
    expect(run(d)).toContain("line vty 0 4\n login local\n");
  });

  it("ignores comments, blank lines and the version line", () => {
    const d = device();
    const before = run(d);
    const r = d.applyConfig(["!", "", "version 17.6", "! comment"]);
    expect(r.changed).toBe(false);
    expect(run(d)).toBe(before);
  });
});

describe("cli-config action-on-fail", () => {
  const lines = ["hostname step1", "bogus command", "interface Gi1/0/9", " description after"];

  it("continue: applies every valid line and still succeeds", () => {
    const d = device();
    const r = d.applyConfig(lines, { actionOnFail: "continue" });
    expect(r.success).toBe(true);
    expect(r.lines.map((l) => l.outcome)).toEqual(["success", "invalid", "success", "success"]);
    expect(d.hostname).toBe("step1");
    expect(run(d)).toContain(" description after");
  });

  it("stop: keeps lines before the failure, skips the rest, fails with 1200", () => {
    const d = device();
    const r = d.applyConfig(lines, { actionOnFail: "stop" });
    expect(r.success).toBe(false);
    expect(r.error?.code).toBe(PnpErrorCode.CLI_CONFIG_INTERNAL);
    expect(r.error?.message).toContain('Line 2 "bogus command"');
    expect(r.lines.map((l) => l.outcome)).toEqual(["success", "invalid", "notExecuted", "notExecuted"]);
    expect(d.hostname).toBe("step1");
    expect(run(d)).not.toContain(" description after");
  });

  it("rollback: restores the configuration as it was", () => {
    const d = device();
    const before = run(d);
    const r = d.applyConfig(lines, { actionOnFail: "rollback" });
    expect(r.success).toBe(false);
    expect(r.rolledBack).toBe(true);
    expect(r.changed).toBe(false);
    expect(r.error?.message).toContain("rolled back");
    expect(d.hostname).toBe("Switch");
    expect(run(d)).toBe(before);
  });
});

describe("cli-config configTest and configPersist", () => {
  it("configTest checks syntax only and changes nothing", () => {
    const d = device();
    const before = run(d);
    const r = d.configTest(["hostname test1", "interface Gi1/0/1", " description x", " bogus"]);
    expect(r.valid).toBe(false);
    expect(r.lines.map((l) => [l.outcome, l.mode])).toEqual([
      ["success", "TEST"],
      ["success", "TEST"],
      ["success", "TEST"],
      ["invalid", "TEST"],
    ]);
    expect(run(d)).toBe(before);
    expect(d.hostname).toBe("Switch");
    expect(d.configTest("hostname ok\ninterface Vlan5").valid).toBe(true);
  });

  it("configPersist copies running-config to startup-config", () => {
    const d = device();
    d.applyConfig(["hostname saved-1"]);
    const r = d.configPersist();
    expect(r.success).toBe(true);
    expect(d.startupConfig()).toContain("hostname saved-1");
    d.applyConfig(["hostname unsaved"]);
    expect(d.startupConfig()).toContain("hostname saved-1");
    expect(d.startupConfig()).not.toContain("unsaved");
  });

  it("every platform's factory configuration parses and re-applies without change", () => {
    for (const p of listPlatforms()) {
      const d = createDevice({
        pid: p.pid,
        serial: "ABC123",
        pnpServer: { protocol: "http", address: "10.0.0.1" },
      });
      const body = d.exec("show running-config").output.split("\n").slice(3);
      const r = d.applyConfig(body);
      expect(r.lines.filter((l) => l.outcome !== "success")).toEqual([]);
      expect(r.changed).toBe(false);
    }
  });
});
