import { describe, expect, it } from "vitest";
import {
  buildFleet,
  fleetFromTopology,
  formatTopologyErrors,
  parseTopology,
  type TopologyParseResult,
} from "../../../../src/agent/model/index.js";

const TEXT = `
# campus
device core1 C9500-24Y4C serial=FDO2301A0AA hostname=core1 ip=10.0.0.1
device acc1 C9300-24P variant=stack members=2 hostname=acc1
device acc2 C1000-24P-4G-L
device wan1 ISR4451-X/K9
link core1 Twe1/0/1 acc1 Te1/1/1
link core1:Twe1/0/2 -- acc1:Te2/1/1
link core1 Twe1/0/3 acc2 Gi1/0/28
link wan1 Gi0/0/1 core1 Hu1/0/25
`;

function errors(r: TopologyParseResult): string[] {
  return r.ok ? [] : r.errors.map((e) => formatTopologyErrors([e]));
}

describe("topology parsing", () => {
  it("reads the text format into devices and resolved links", () => {
    const r = parseTopology(TEXT);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.topology.devices.map((d) => [d.name, d.pid, d.variant, d.members])).toEqual([
      ["core1", "C9500-24Y4C", "standalone", 1],
      ["acc1", "C9300-24P", "stack", 2],
      ["acc2", "C1000-24P-4G-L", "standalone", 1],
      ["wan1", "ISR4451-X/K9", "standalone", 1],
    ]);
    expect(r.topology.links[1]).toEqual({
      a: { device: "core1", interface: "TwentyFiveGigE1/0/2" },
      b: { device: "acc1", interface: "TenGigabitEthernet2/1/1" },
    });
    expect(r.topology.neighbors("core1").map((n) => `${n.localInterface}>${n.remoteDevice}`)).toEqual([
      "TwentyFiveGigE1/0/1>acc1",
      "TwentyFiveGigE1/0/2>acc1",
      "TwentyFiveGigE1/0/3>acc2",
      "HundredGigE1/0/25>wan1",
    ]);
  });

  it("reads the JSON format (text or object)", () => {
    const json = {
      devices: [
        { name: "a", pid: "C9300-24P" },
        { name: "b", pid: "CSR1000V", serial: "9XYZ" },
      ],
      links: [{ a: "a Gi1/0/1", b: { device: "b", interface: "GigabitEthernet2" } }],
    };
    for (const input of [json, JSON.stringify(json)]) {
      const r = parseTopology(input);
      expect(r.ok && r.topology.links).toEqual([
        {
          a: { device: "a", interface: "GigabitEthernet1/0/1" },
          b: { device: "b", interface: "GigabitEthernet2" },
        },
      ]);
    }
  });

  it("reports every problem with its line", () => {
    const r = parseTopology(`
device a C9300-24P serial=FOC1
device a C9300-24P
device b WS-C9999
device c C9300-24P serial=FOC1
device d ISR4451-X/K9 variant=stack
device e C9300-24P colour=blue
frobnicate
link a Gi1/0/1 zz Gi1/0/1
link a Gi1/0/99 c Gi1/0/1
link a Gi1/0/2 c Gi1/0/2
link c Gi1/0/2 a Gi1/0/3
link a Gi1/0/4 a Gi1/0/5
link a Vlan1 c Gi1/0/9
link a Gi1/0/6
`);
    expect(errors(r)).toEqual([
      'line 7: unknown device option "colour" (serial, hostname, ip, variant, members)',
      'line 8: unknown statement "frobnicate" (expected "device" or "link")',
      "line 15: link needs two endpoints: link <dev> <if> <dev> <if>",
      'line 3: duplicate device name "a"',
      expect.stringMatching(/^line 4: device "b": unknown PID "WS-C9999" \(known: C9300-24P, /),
      'line 5: device "c": serial FOC1 already used by "a"',
      'line 6: device "d": ISR4451-X/K9 cannot be stacked',
      'line 9: link endpoint "zz Gi1/0/1": unknown device "zz"',
      'line 10: link endpoint "a Gi1/0/99": C9300-24P has no interface "Gi1/0/99"',
      "line 12: c GigabitEthernet1/0/2 is already cabled (line 11)",
      'line 13: link a Gi1/0/4 - a Gi1/0/5 connects "a" to itself',
      'line 14: link endpoint "a Vlan1": "Vlan1" is not a physical port',
    ]);
  });

  it("rejects malformed JSON and wrong shapes", () => {
    expect(errors(parseTopology("{ nope"))[0]).toMatch(/^invalid JSON: /);
    expect(errors(parseTopology({ devices: "x" }))).toEqual(['"devices" must be an array']);
    expect(
      errors(parseTopology({ devices: [{ name: "a", pid: "C9300-24P" }], links: [{ a: "a Gi1/0/1" }] })),
    ).toEqual(['links[0]: link needs "a" and "b" endpoints ("dev iface" or {device, interface})']);
    expect(() => fleetFromTopology("device x NOPE")).toThrow(
      /invalid topology:\nline 1: device "x": unknown PID/,
    );
  });

  it("knows stack member ports only exist on present members", () => {
    expect(
      parseTopology(
        "device s C9300-24P variant=stack members=2\ndevice t C9300-24P\nlink s Gi3/0/1 t Gi1/0/1",
      ).ok,
    ).toBe(false);
  });
});

describe("fleet CDP graph", () => {
  it("devices see each other as CDP neighbours in both directions", () => {
    const fleet = fleetFromTopology(TEXT, { defaults: { clock: () => 0 } });
    const core = fleet.get("core1")!;
    const acc1 = fleet.get("acc1")!;
    expect(
      core.cdpNeighbors().map((n) => [n.deviceId, n.localInterface, n.remoteInterface, n.platform]),
    ).toEqual([
      ["acc1", "TwentyFiveGigE1/0/1", "TenGigabitEthernet1/1/1", "C9300-24P"],
      ["acc1", "TwentyFiveGigE1/0/2", "TenGigabitEthernet2/1/1", "C9300-24P"],
      ["Switch", "TwentyFiveGigE1/0/3", "GigabitEthernet1/0/28", "C1000-24P-4G-L"],
      ["Router", "HundredGigE1/0/25", "GigabitEthernet0/0/1", "ISR4451-X/K9"],
    ]);
    expect(acc1.cdpNeighbors().map((n) => [n.deviceId, n.localInterface, n.address])).toEqual([
      ["core1", "TenGigabitEthernet1/1/1", "10.0.0.1"],
      ["core1", "TenGigabitEthernet2/1/1", "10.0.0.1"],
    ]);
    expect(fleet.get("acc2")!.exec("show cdp neighbors").output).toMatch(
      /core1\s+Gig 1\/0\/28\s+\d+\s+R S I\s+C9500-24Y\s+Twe 1\/0\/3/,
    );
  });

  it("is live: hostname changes, shut ports, disabled CDP and offline peers show at once", () => {
    const fleet = fleetFromTopology(TEXT);
    const core = fleet.get("core1")!;
    const acc2 = fleet.get("acc2")!;
    acc2.applyConfig(["hostname acc2-renamed"]);
    expect(core.cdpNeighbors().map((n) => n.deviceId)).toContain("acc2-renamed");
    acc2.applyConfig(["interface Gi1/0/28", " shutdown"]);
    expect(core.cdpNeighbors().map((n) => n.deviceId)).not.toContain("acc2-renamed");
    acc2.applyConfig(["interface Gi1/0/28", " no shutdown", "no cdp run"]);
    expect(core.cdpNeighbors().map((n) => n.deviceId)).not.toContain("acc2-renamed");
    acc2.applyConfig(["cdp run"]);
    expect(core.cdpNeighbors().map((n) => n.deviceId)).toContain("acc2-renamed");
    fleet.get("wan1")!.setOnline(false);
    expect(core.cdpNeighbors().map((n) => n.deviceId)).not.toContain("Router");
    expect(core.exec("show ip interface brief").output).toMatch(
      /HundredGigE1\/0\/25\s+unassigned\s+YES unset\s+down\s+down/,
    );
  });

  it("answers the topology service with local and remote port data", () => {
    const parsed = parseTopology(
      "device a C9300-24P serial=FOC1AAA\ndevice b ISR4451-X/K9\nlink a Gi1/0/1 b Gi0/0/2",
    );
    if (!parsed.ok) throw new Error("bad fixture");
    const fleet = buildFleet(parsed.topology);
    const [el] = fleet.get("a")!.topology();
    expect(el).toEqual({
      local: {
        interface: "GigabitEthernet1/0/1",
        shortInterface: "Gi1/0/1",
        macAddress: expect.stringMatching(/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/),
      },
      remote: {
        interface: "GigabitEthernet0/0/2",
        shortInterface: "Gi0/0/2",
        macAddress: fleet.get("b")!.cdpInterfaceMac("GigabitEthernet0/0/2"),
        deviceName: "Router",
        platform: "ISR4451-X/K9",
        version: "17.6.5",
      },
    });
    expect(fleet.get("a")!.serial).toBe("FOC1AAA");
    expect(fleet.get("b")!.serial).toMatch(/^FOC[0-9A-Z]{8}$/);
  });
});
