// Creates (or refreshes) the development CA and TLS server certificate; see certs/README.md.
//
//   npx tsx certs/generate.ts [--dir certs/out] [--xmpp-domain pnp.local]
//                             [--component-domain pnp.pnp.local] [--name extra.host]... [--ip 10.0.0.1]...
//
// Idempotent: files that are present and still fit are left alone.

import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ensureDevCerts } from "../src/trust/dev-certs.js";

const USAGE = `Usage: npx tsx certs/generate.ts [options]

  --dir <path>               output directory (default: certs/out next to this script)
  --xmpp-domain <domain>     XMPP service domain (default: pnp.local)
  --component-domain <name>  external component domain (default: pnp.pnp.local)
  --name <dns-name>          extra DNS name for the server certificate (repeatable)
  --ip <address>             extra IP address for the server certificate (repeatable)
  -h, --help                 show this help
`;

function main(): number {
  let values: {
    dir?: string;
    "xmpp-domain": string;
    "component-domain": string;
    name?: string[];
    ip?: string[];
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        dir: { type: "string" },
        "xmpp-domain": { type: "string", default: "pnp.local" },
        "component-domain": { type: "string", default: "pnp.pnp.local" },
        name: { type: "string", multiple: true },
        ip: { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const started = performance.now();
  const result = ensureDevCerts({
    // An explicit --dir is relative to the working directory; the default sits next to this script.
    dir: values.dir !== undefined ? resolve(values.dir) : fileURLToPath(new URL("./out", import.meta.url)),
    xmppDomain: values["xmpp-domain"],
    componentDomain: values["component-domain"],
    extraNames: values.name ?? [],
    extraIps: values.ip ?? [],
  });
  const elapsedMs = Math.round(performance.now() - started);

  const state = (created: boolean) => (created ? "created" : "kept   ");
  const lines = [
    `${state(result.caCreated)}  ${result.caCertPath}  (development CA, valid until ${day(result.caNotAfter)})`,
    `${state(result.caCreated)}  ${result.caKeyPath}  (CA private key, mode 0600)`,
    `${state(result.serverIssued)}  ${result.serverCertPath}  (server certificate + CA chain)`,
    `${state(result.serverIssued)}  ${result.serverKeyPath}  (server private key, mode 0600)`,
    `${state(result.serverIssued)}  ${result.ejabberdPemPath}  (certificate + key + CA for ejabberd certfiles, mode 0600)`,
    "",
    `server certificate: valid until ${day(result.serverNotAfter)}` +
      (result.serverIssueReason ? `, issued now (reason: ${result.serverIssueReason})` : ", unchanged"),
    `  DNS names:    ${result.dnsNames.join(", ")}`,
    `  IP addresses: ${result.ipAddresses.join(", ")}`,
    "",
    result.changed ? `done in ${elapsedMs} ms` : `nothing to do (${elapsedMs} ms)`,
    `trust the CA in Node clients with: NODE_EXTRA_CA_CERTS=${result.caCertPath}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(`certs/generate: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
