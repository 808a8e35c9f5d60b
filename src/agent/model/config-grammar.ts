// The IOS configuration commands the model understands, per configuration mode. This is a deliberately
// small subset: enough for day-0 templates (hostname, users, AAA, interfaces, VLANs, routing, lines,
// banners, PnP profile, licensing) and for the factory configurations. Anything else is rejected with
// "% Invalid input detected", as a device would for a command it does not have.

import { c, compileGrammar, type GrammarLiteral, type KwNode, type ModeName } from "./config-parser.js";

const ALL = { key: "all" } as const;
const LIST = c("LINE", ALL);
const LIST_NO = c("LINE", { key: "all", negStored: true });
const GENERIC = (spec: string) => c(spec, { enters: "generic" });

const GLOBAL: GrammarLiteral = {
  version: c("REST", { special: "version" }),
  service: LIST_NO,
  platform: LIST,
  hostname: c("WORD", { effect: "hostname" }),
  "boot-start-marker": c(""),
  "boot-end-marker": c(""),
  boot: { system: c("LINE", { key: "all", effect: "boot" }) },
  enable: { secret: c("LINE"), password: c("LINE") },
  username: c("WORD LINE", { key: 1 }),
  aaa: LIST_NO,
  clock: { timezone: c("LINE"), "summer-time": c("LINE") },
  ip: {
    domain: { name: c("WORD"), lookup: c("REST", { negStored: true, defaultOn: true }) },
    "domain-name": c("WORD"),
    "domain-lookup": c("REST", { negStored: true, defaultOn: true }),
    "name-server": LIST,
    "default-gateway": c("IP"),
    route: LIST,
    routing: c("REST", { negStored: true }),
    http: LIST_NO,
    "forward-protocol": LIST,
    ssh: LIST,
    scp: LIST_NO,
    tftp: LIST,
    ftp: LIST,
    dhcp: { pool: GENERIC("WORD"), _: LIST_NO },
    "access-list": GENERIC("standard|extended WORD"),
    vrf: GENERIC("WORD"),
    cef: c("REST", { negStored: true }),
    "multicast-routing": c("REST", { negStored: true }),
    nat: LIST,
    igmp: LIST_NO,
    pim: LIST,
    "source-route": c("REST", { negStored: true, defaultOn: true }),
    bootp: LIST_NO,
    tcp: LIST,
    "prefix-list": LIST,
    "community-list": LIST,
    "as-path": LIST,
    host: LIST,
    radius: LIST,
    tacacs: LIST,
    device: LIST,
    arp: LIST,
    classless: c("REST", { negStored: true }),
    "subnet-zero": c("REST", { negStored: true }),
  },
  ipv6: LIST_NO,
  vtp: {
    mode: c("server|client|transparent|off"),
    domain: c("WORD"),
    version: c("INT:1-3"),
    password: c("LINE"),
  },
  "spanning-tree": { mode: c("pvst|rapid-pvst|mst"), _: LIST_NO },
  vlan: { internal: c("LINE"), _: c("INT:1-4094", { enters: "vlan" }) },
  interface: { range: c("LINE", { special: "interface-range" }), _: c("IFACE", { enters: "interface" }) },
  line: c("console|vty|aux INT INT?", { enters: "line" }),
  router: c("ospf|bgp|eigrp|rip|isis REST", { enters: "router" }),
  banner: c("motd|login|exec|incoming REST", { special: "banner" }),
  pnp: { profile: c("WORD", { enters: "pnp" }), tag: c("WORD", { effect: "tag", special: "not-stored" }) },
  license: {
    boot: { level: c("LINE", { effect: "license" }), module: c("LINE", { effect: "license" }) },
    _: LIST,
  },
  switch: c("INT:1-16 provision|priority|renumber WORD", { key: 2 }),
  redundancy: GENERIC(""),
  "control-plane": GENERIC("REST"),
  archive: GENERIC(""),
  vrf: { definition: GENERIC("WORD") },
  "class-map": GENERIC("LINE"),
  "policy-map": GENERIC("LINE"),
  "call-home": GENERIC(""),
  crypto: {
    pki: {
      trustpoint: GENERIC("WORD"),
      certificate: { chain: GENERIC("WORD"), _: LIST },
      _: LIST,
    },
    key: c("LINE", { special: "not-stored" }),
    _: LIST,
  },
  login: LIST,
  logging: LIST_NO,
  "snmp-server": LIST_NO,
  ntp: LIST,
  "access-list": LIST,
  cdp: { run: c("", { negStored: true, defaultOn: true }), _: LIST_NO },
  lldp: LIST_NO,
  errdisable: LIST,
  diagnostic: LIST,
  memory: LIST,
  system: LIST,
  transceiver: LIST,
  subscriber: LIST,
  multilink: LIST,
  scheduler: LIST,
  alias: LIST,
  mac: LIST,
  "port-channel": LIST,
  udld: LIST,
  "device-tracking": LIST,
  radius: { server: GENERIC("WORD"), _: LIST },
  tacacs: { server: GENERIC("WORD"), _: LIST },
  event: LIST,
  track: GENERIC("LINE"),
  key: { chain: GENERIC("WORD") },
  power: LIST,
};

const INTERFACE_COMMON: GrammarLiteral = {
  description: c("LINE"),
  ip: {
    address: {
      dhcp: c("REST", { keyText: "ip address", special: "ip-address" }),
      _: c("IP IP secondary?", { keyText: "ip address", special: "ip-address", negStored: true }),
    },
    "helper-address": c("IP", ALL),
    "access-group": c("WORD in|out", { key: "all" }),
    ospf: LIST,
    nat: c("inside|outside"),
    pim: c("sparse-mode|dense-mode|sparse-dense-mode|passive"),
    igmp: c("join-group|version|query-interval|static-group LINE", { key: 2 }),
    mtu: c("INT:68-9216"),
    tcp: { "adjust-mss": c("INT:500-1460") },
    "proxy-arp": c("", { negStored: true, defaultOn: true }),
    redirects: c("", { negStored: true, defaultOn: true }),
    unreachables: c("", { negStored: true, defaultOn: true }),
    "route-cache": c("cef|same-interface|flow?", { negStored: true, defaultOn: true }),
    vrf: { forwarding: c("WORD") },
    dhcp: { snooping: LIST, relay: LIST, client: LIST },
    flow: { monitor: LIST, ingress: c(""), egress: c("") },
    policy: c("LINE"),
    "virtual-reassembly": c("REST"),
    verify: LIST,
    "directed-broadcast": c("", { negStored: true }),
  },
  ipv6: {
    address: LIST_NO,
    enable: c("", { negStored: true }),
    nd: LIST,
    ospf: LIST,
    dhcp: LIST,
    mtu: c("INT:1280-9216"),
    "traffic-filter": c("WORD in|out", { key: "all" }),
  },
  vrf: { forwarding: c("WORD") },
  shutdown: c(""),
  speed: c("WORD"),
  duplex: c("auto|full|half"),
  mtu: c("INT:1500-9216"),
  bandwidth: c("INT:1-100000000"),
  "channel-group": c("INT:1-128 mode active|passive|on|auto|desirable"),
  negotiation: c("auto", { negStored: true }),
  "load-interval": c("INT:30-600"),
  cdp: { enable: c("", { negStored: true, defaultOn: true }) },
  lldp: c("transmit|receive|med-tlv-select REST", { key: 1, negStored: true }),
  "service-policy": c("input|output WORD", { key: 1 }),
  standby: LIST,
  vrrp: LIST,
  "media-type": c("WORD"),
  logging: { event: c("LINE", { key: "all", negStored: true }) },
  keepalive: c("INT? INT?", { negStored: true }),
  "carrier-delay": c("LINE"),
  source: LIST,
  macro: LIST,
  "hold-queue": c("INT in|out", { key: 1 }),
};

const INTERFACE_SWITCH: GrammarLiteral = {
  ...INTERFACE_COMMON,
  switchport: {
    $: c("", { negStored: true, defaultOn: true }),
    mode: c("access|trunk|dynamic|private-vlan REST"),
    access: { vlan: c("INT:1-4094") },
    trunk: {
      allowed: { vlan: c("LINE") },
      native: { vlan: c("INT:1-4094") },
      encapsulation: c("dot1q|isl|negotiate"),
      pruning: c("LINE"),
    },
    voice: { vlan: c("WORD") },
    nonegotiate: c(""),
    "port-security": LIST,
    host: c(""),
    block: LIST,
  },
  "spanning-tree": {
    portfast: c("edge|network|disable|trunk?"),
    bpduguard: c("enable|disable"),
    bpdufilter: c("enable|disable"),
    "link-type": c("point-to-point|shared"),
    guard: c("loop|root|none"),
    cost: c("INT:1-200000000"),
    "port-priority": c("INT:0-240"),
  },
  power: { inline: c("LINE") },
  "storm-control": LIST,
  authentication: LIST,
  dot1x: LIST,
  mab: c("REST", ALL),
  "access-session": LIST,
  "device-tracking": c("attach-policy WORD REST"),
  udld: c("port REST"),
  auto: LIST,
};

const INTERFACE_ROUTER: GrammarLiteral = {
  ...INTERFACE_COMMON,
  encapsulation: c("dot1Q INT:1-4094 REST"),
  tunnel: LIST,
};

const LINE_MODE: GrammarLiteral = {
  login: {
    $: c("", { keyText: "login", negStored: true }),
    local: c("", { keyText: "login" }),
    authentication: c("WORD", { keyText: "login" }),
  },
  password: c("LINE"),
  transport: { input: c("LINE"), output: c("LINE"), preferred: c("WORD") },
  "exec-timeout": c("INT INT?"),
  logging: { synchronous: c("REST") },
  privilege: { level: c("INT:0-15") },
  stopbits: c("1|1.5|2"),
  "access-class": c("WORD in|out REST", { key: "all" }),
  length: c("INT:0-512"),
  width: c("INT:0-512"),
  "session-timeout": c("INT REST"),
  history: c("LINE"),
  speed: c("INT"),
  "escape-character": c("WORD"),
  exec: c("REST", { negStored: true }),
  authorization: LIST,
  accounting: LIST,
  ipv6: { "access-class": c("WORD in|out", { key: "all" }) },
  "absolute-timeout": c("INT"),
  modem: LIST,
  flowcontrol: c("WORD"),
  databits: c("INT"),
  parity: c("WORD"),
};

const ROUTER_MODE: GrammarLiteral = {
  network: LIST,
  "router-id": c("IP"),
  "passive-interface": LIST_NO,
  redistribute: LIST,
  neighbor: LIST,
  "default-information": c("LINE"),
  area: LIST,
  "log-adjacency-changes": c("REST"),
  bgp: LIST_NO,
  "address-family": LIST,
  "exit-address-family": c("", ALL),
  "maximum-paths": c("INT:1-32"),
  "auto-summary": c("", { negStored: true }),
  version: c("INT:1-2"),
  distance: c("LINE"),
  timers: LIST,
  "default-metric": c("LINE"),
  eigrp: LIST,
  metric: LIST,
  synchronization: c("", { negStored: true }),
  "distribute-list": LIST,
  "summary-address": LIST,
};

const VLAN_MODE: GrammarLiteral = {
  name: c("WORD"),
  state: c("active|suspend"),
  shutdown: c(""),
  "remote-span": c(""),
  "private-vlan": c("LINE"),
};

const PNP_MODE: GrammarLiteral = {
  transport: c("http|https ipv4|ipv6|host WORD REST"),
  backup: c("LINE"),
  reconnect: c("INT:0-2000000"),
  device: c("LINE"),
};

export interface ModeGrammars {
  readonly global: KwNode;
  readonly interface: KwNode;
  readonly line: KwNode;
  readonly router: KwNode;
  readonly vlan: KwNode;
  readonly pnp: KwNode;
}

const SWITCH_GRAMMARS: ModeGrammars = Object.freeze({
  global: compileGrammar(GLOBAL),
  interface: compileGrammar(INTERFACE_SWITCH),
  line: compileGrammar(LINE_MODE),
  router: compileGrammar(ROUTER_MODE),
  vlan: compileGrammar(VLAN_MODE),
  pnp: compileGrammar(PNP_MODE),
});

const ROUTER_GRAMMARS: ModeGrammars = Object.freeze({
  ...SWITCH_GRAMMARS,
  global: compileGrammar(
    Object.fromEntries(Object.entries(GLOBAL).filter(([k]) => k !== "vlan" && k !== "vtp")),
  ),
  interface: compileGrammar(INTERFACE_ROUTER),
});

export function grammarsFor(kind: "switch" | "router"): ModeGrammars {
  return kind === "switch" ? SWITCH_GRAMMARS : ROUTER_GRAMMARS;
}

export function grammarOf(g: ModeGrammars, mode: Exclude<ModeName, "generic">): KwNode {
  return g[mode];
}

/** Child-line order inside a block, so new lines land where IOS would print them. */
export function childRank(mode: ModeName, line: string): number {
  const l = line.startsWith("no ") ? line.slice(3) : line;
  if (mode === "interface") {
    if (l.startsWith("description")) return 0;
    if (l.startsWith("vrf ") || l.startsWith("encapsulation ")) return 1;
    if (l.startsWith("switchport access")) return 2;
    if (l.startsWith("switchport trunk native")) return 2.1;
    if (l.startsWith("switchport trunk")) return 2.2;
    if (l.startsWith("switchport mode")) return 2.3;
    if (l.startsWith("switchport")) return 2.4;
    if (l.startsWith("ip address")) return 3;
    if (l.startsWith("ip ")) return 4;
    if (l === "shutdown") return 8;
    if (/^(negotiation|duplex|speed|media-type)\b/.test(l)) return 9;
    return 5;
  }
  if (mode === "line") {
    if (/^(session-timeout|exec-timeout)/.test(l)) return 0;
    if (/^(privilege|password)/.test(l)) return 1;
    if (/^(logging|login)/.test(l)) return 2;
    if (/^(stopbits|transport)/.test(l)) return 9;
    return 5;
  }
  return 5;
}
