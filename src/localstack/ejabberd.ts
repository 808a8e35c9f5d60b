import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type ManagedChild, spawnManaged } from "./child.js";
import { ensureDebianPackage } from "./debian.js";
import { freePorts } from "./ports.js";
import { tcpAccepts, waitUntil } from "./wait.js";

const ERL = "/usr/bin/erl";
const TEMPLATE = resolve(dirname(fileURLToPath(import.meta.url)), "../../ejabberd/ejabberd.yml.template");

export interface EjabberdPorts {
  c2s: number;
  c2sTls: number;
  component: number;
  api: number;
}

export interface LocalEjabberdOptions {
  /** Holds the rendered config, the Mnesia spool and the logs of this instance. */
  dir: string;
  xmppDomain: string;
  componentDomain: string;
  componentSecret: string;
  /** PEM with certificate chain and key (ejabberd's certfiles form). */
  certFile: string;
  ports?: Partial<EjabberdPorts>;
  /** Address the device listeners bind to; loopback unless devices come from the network. */
  c2sBind?: string;
  componentBind?: string;
  pingIntervalSec?: number;
  pingAckTimeoutSec?: number;
  maxStanzaSize?: number;
  /**
   * How many component instances share the domain. With more than one, ejabberd balances by the device's
   * bare JID; its component_number must be exactly this count (see domainBalancingYaml).
   */
  componentInstances?: number;
  /**
   * Devices log in through an external program (ejabberd's extauth: our inventory-backed credentials,
   * src/trust/extauth/) instead of ejabberd's own accounts; see ejabberd/CREDENTIALS.md. Unset (the
   * default) keeps the template's `auth_method: internal`.
   */
  externalAuth?: { program: string; poolSize?: number };
  logLevel?: "none" | "emergency" | "alert" | "critical" | "error" | "warning" | "notice" | "info" | "debug";
}

export interface LocalEjabberd {
  ports: EjabberdPorts;
  apiUrl: string;
  logFile: string;
  /** Stops the VM (SIGTERM, then SIGKILL) and starts it again on the same ports with the same spool. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Fills the ejabberd.yml template; every placeholder must be known, so a typo fails loudly. */
export function renderEjabberdConfig(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`ejabberd.yml template uses {{${name}}}, which has no value`);
    // Values land inside YAML double-quoted strings or as bare numbers: refuse anything that could break out.
    const text = String(value);
    if (/["\\\n\r]/.test(text))
      throw new Error(`ejabberd.yml value for ${name} contains a quote, backslash or newline`);
    return text;
  });
}

/**
 * ejabberd 23.01's domain_balancing: with component_number N the router keeps N route slots and silently
 * drops stanzas whose hash lands on a slot no component fills, and without component_number it crashes
 * the handshake (badkey). So it is only written for several instances, with N equal to their count.
 */
export function domainBalancingYaml(componentDomain: string, instances: number): string {
  if (instances <= 1) return "";
  return `\ndomain_balancing:\n  "${componentDomain}":\n    type: bare_source\n    component_number: ${instances}\n`;
}

/**
 * Switches the device domain to external auth. Appended as a host_config, so the template's global
 * `auth_method: internal` stays the default. `auth_use_cache: false`: with the cache on, ejabberd keeps
 * accepting a password it once verified (for up to auth_cache_life_time) after we revoked or rotated it.
 */
export function externalAuthYaml(xmppDomain: string, auth: LocalEjabberdOptions["externalAuth"]): string {
  if (!auth) return "";
  if (/["\\\n\r]/.test(auth.program))
    throw new Error("extauth program contains a quote, backslash or newline");
  const pool =
    auth.poolSize === undefined ? "" : `    extauth_pool_size: ${Math.max(1, Math.floor(auth.poolSize))}\n`;
  return `\nhost_config:\n  "${xmppDomain}":\n    auth_method: external\n    extauth_program: "${auth.program}"\n${pool}    auth_use_cache: false\n`;
}

/** Where Debian puts ejabberd's Erlang applications (an arch-specific lib folder). */
function ejabberdLibDir(): string {
  for (const base of ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"]) {
    if (existsSync(base) && readdirSync(base).some((name) => /^ejabberd-\d/.test(name))) return base;
  }
  throw new Error(
    "ejabberd's Erlang libraries were not found under /usr/lib: is Debian's ejabberd package installed?",
  );
}

/**
 * Starts a project-local ejabberd 23.01. We run `erl` ourselves instead of Debian's ejabberdctl: ejabberdctl
 * insists on root or the ejabberd user, su's with PAM (which drops the open-files limit to 1024), reads
 * /etc/default/ejabberd over our --config, and needs a named node and the shared epmd. A node without
 * distribution needs none of that; we administer it through its loopback HTTP API instead.
 */
export async function startLocalEjabberd(options: LocalEjabberdOptions): Promise<LocalEjabberd> {
  ensureDebianPackage("ejabberd", "/usr/sbin/ejabberdctl");
  const libDir = ejabberdLibDir();
  const [c2s, c2sTls, component, api] = await freePorts(4);
  const ports: EjabberdPorts = {
    c2s: options.ports?.c2s ?? c2s!,
    c2sTls: options.ports?.c2sTls ?? c2sTls!,
    component: options.ports?.component ?? component!,
    api: options.ports?.api ?? api!,
  };
  const dir = resolve(options.dir);
  const spool = join(dir, "spool");
  const logs = join(dir, "logs");
  mkdirSync(spool, { recursive: true });
  mkdirSync(logs, { recursive: true });
  const configFile = join(dir, "ejabberd.yml");
  writeFileSync(
    configFile,
    renderEjabberdConfig(readFileSync(TEMPLATE, "utf8"), {
      XMPP_DOMAIN: options.xmppDomain,
      COMPONENT_DOMAIN: options.componentDomain,
      COMPONENT_SECRET: options.componentSecret,
      CERT_FILE: resolve(options.certFile),
      C2S_PORT: ports.c2s,
      C2S_TLS_PORT: ports.c2sTls,
      COMPONENT_PORT: ports.component,
      API_PORT: ports.api,
      C2S_BIND: options.c2sBind ?? "127.0.0.1",
      COMPONENT_BIND: options.componentBind ?? "127.0.0.1",
      PING_INTERVAL: options.pingIntervalSec ?? 60,
      PING_ACK_TIMEOUT: options.pingAckTimeoutSec ?? 32,
      MAX_STANZA_SIZE: options.maxStanzaSize ?? 262_144,
      LOG_LEVEL: options.logLevel ?? "info",
    }) +
      domainBalancingYaml(options.componentDomain, options.componentInstances ?? 1) +
      externalAuthYaml(options.xmppDomain, options.externalAuth),
    { mode: 0o600 },
  );
  // Resolve names from /etc/hosts first, as Debian's inetrc does; silences an inet_config warning.
  const inetrc = join(dir, "inetrc");
  writeFileSync(inetrc, '{lookup,["file","native"]}.\n{file, resolv, "/etc/resolv.conf"}.\n');
  const logFile = join(logs, "ejabberd.log");
  const apiUrl = `http://127.0.0.1:${ports.api}/api`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: dir,
    ERL_LIBS: libDir,
    EJABBERD_CONFIG_PATH: configFile,
    EJABBERD_LOG_PATH: logFile,
    ERL_INETRC: inetrc,
    ERL_CRASH_DUMP: join(logs, "erl_crash.dump"),
    ERL_MAX_PORTS: "65536",
    CONTRIB_MODULES_PATH: join(dir, "modules"),
  };
  const erlArgs = [
    "-noinput",
    "+K",
    "true",
    "+P",
    "250000",
    // A bigger scheduler stack: with the default, one device's stanza nested ~3,500 levels deep (25 kB,
    // far below max_stanza_size) segfaults beam.smp and ends every session. 4096 words survive the
    // deepest stanza that fits in 256 KiB (test/integration/hostile-xmpp.test.ts).
    "+sss",
    "4096",
    "-env",
    "ERL_CRASH_DUMP_BYTES",
    "0",
    "-mnesia",
    "dir",
    `"${spool}"`,
    "-s",
    "ejabberd",
  ];
  // Raise the soft open-files limit to the hard one: each device socket is a file descriptor.
  const script = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"';

  let child: ManagedChild | undefined;
  const boot = async () => {
    child = spawnManaged("/bin/sh", ["-c", script, ERL, ...erlArgs], {
      env,
      cwd: dir,
      logFile: join(logs, "console.log"),
    });
    const running = child;
    await waitUntil(
      `ejabberd on ports ${JSON.stringify(ports)}`,
      async () => {
        const status = await fetch(`${apiUrl}/status`, { method: "POST", body: "{}" });
        if (!status.ok) return false;
        return (
          (await tcpAccepts("127.0.0.1", ports.c2s)) &&
          (await tcpAccepts("127.0.0.1", ports.c2sTls)) &&
          (await tcpAccepts("127.0.0.1", ports.component))
        );
      },
      {
        timeoutMs: 60_000,
        failFast: () =>
          running.exited
            ? new Error(`ejabberd exited during start; see ${logFile} and ${join(logs, "console.log")}`)
            : undefined,
      },
    );
  };
  await boot();
  return {
    ports,
    apiUrl,
    logFile,
    async restart() {
      await child?.stop();
      await boot();
    },
    async stop() {
      await child?.stop();
    },
  };
}
