// The development certificates on disk: one long-lived development CA and a TLS server certificate it
// signs for ejabberd (client-to-server and component-facing TLS) and the PnP HTTPS transport.
//
// Layout of `dir`:
//   ca.pem        the development CA certificate (give it to clients: NODE_EXTRA_CA_CERTS, trust stores)
//   ca.key        its private key                                                            (0600)
//   server.pem    the server certificate followed by the CA certificate (the chain a server sends)
//   server.key    the server private key                                                     (0600)
//   ejabberd.pem  server certificate + server key + CA certificate, the form ejabberd's `certfiles`
//                 reads                                                                      (0600)
//
// ensureDevCerts is idempotent: the CA is created only when both of its files are missing (it is never
// replaced, since clients may already trust it), and the server files are written only when missing,
// inconsistent, not signed by the CA, not covering the requested names, or expiring soon.

import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import {
  type Certificate,
  canonicalDnsName,
  canonicalIp,
  certificateFromPem,
  certificateNames,
  createRootCa,
  type IssuedCertificate,
  issueServerCertificate,
  keyMatchesCertificate,
  loadCa,
  privateKeyFromPem,
  splitPemCertificates,
} from "./ca.js";

export interface DevCertsOptions {
  /** Directory for the files; created (with parents) if missing. */
  dir: string;
  /** The XMPP service domain served by ejabberd, e.g. `pnp.local`. */
  xmppDomain: string;
  /** The external component's domain, e.g. `pnp.pnp.local`. */
  componentDomain: string;
  /** More DNS names for the server certificate. */
  extraNames?: readonly string[];
  /** More IP addresses for the server certificate. */
  extraIps?: readonly string[];
  /** RSA modulus length for new keys; default 2048. */
  keySize?: number;
  /** Validity of a newly issued server certificate; default 825 days. */
  serverValidityDays?: number;
  /** Reissue the server certificate when it expires within this many days; default 30. */
  renewWithinDays?: number;
  /** Common name for a newly created CA; default names the host and date, so CAs are told apart. */
  caCommonName?: string;
}

/** Why the server certificate was (re)issued. */
export type ServerIssueReason =
  | "missing" // a server file does not exist
  | "unreadable" // a server file cannot be parsed
  | "inconsistent" // key or ejabberd.pem does not belong to server.pem
  | "issuer" // not signed by the current CA (e.g. the CA was recreated)
  | "names" // does not cover every requested name
  | "expiring"; // expires within renewWithinDays

export interface DevCertsResult {
  dir: string;
  caCertPath: string;
  caKeyPath: string;
  serverCertPath: string;
  serverKeyPath: string;
  ejabberdPemPath: string;
  caCreated: boolean;
  serverIssued: boolean;
  /** Set when serverIssued. */
  serverIssueReason?: ServerIssueReason;
  /** Whether any file was written. */
  changed: boolean;
  /** The names the server certificate on disk now covers. */
  dnsNames: string[];
  ipAddresses: string[];
  caNotAfter: Date;
  serverNotAfter: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const PRIVATE_MODE = 0o600;
const PUBLIC_MODE = 0o644;

/** Creates or refreshes the development CA and server certificate in `options.dir`; see the file header. */
export function ensureDevCerts(options: DevCertsOptions): DevCertsResult {
  const { dir } = options;
  const renewWithinMs = (options.renewWithinDays ?? 30) * DAY_MS;
  const paths = {
    caCertPath: join(dir, "ca.pem"),
    caKeyPath: join(dir, "ca.key"),
    serverCertPath: join(dir, "server.pem"),
    serverKeyPath: join(dir, "server.key"),
    ejabberdPemPath: join(dir, "ejabberd.pem"),
  };
  const { dnsNames, ipAddresses } = requestedNames(options);
  mkdirSync(dir, { recursive: true });

  // --- the CA
  const caCertExists = existsSync(paths.caCertPath);
  const caKeyExists = existsSync(paths.caKeyPath);
  let ca: IssuedCertificate;
  let caCreated = false;
  if (!caCertExists && !caKeyExists) {
    ca = createRootCa({
      commonName: options.caCommonName ?? defaultCaName(),
      organizationName: "Open PnP Server (development)",
      keySize: options.keySize,
    });
    writeFileAtomic(paths.caKeyPath, ca.keyPem, PRIVATE_MODE);
    writeFileAtomic(paths.caCertPath, ca.certPem, PUBLIC_MODE);
    caCreated = true;
  } else if (caCertExists !== caKeyExists) {
    // Never replace half a CA: clients may trust ca.pem, and ca.key may be the only copy of the key.
    const missing = caCertExists ? paths.caKeyPath : paths.caCertPath;
    throw new Error(
      `development CA is incomplete: ${missing} is missing. Restore it, or delete both ca.pem and ca.key ` +
        "to create a new CA (clients that trusted the old one must then trust the new ca.pem).",
    );
  } else {
    ca = loadCa(readFileSync(paths.caCertPath, "utf8"), readFileSync(paths.caKeyPath, "utf8"));
  }
  if (ca.cert.validity.notAfter.getTime() - Date.now() < renewWithinMs) {
    throw new Error(
      `development CA ${paths.caCertPath} expires ${ca.cert.validity.notAfter.toISOString()}; ` +
        "delete ca.pem and ca.key to create a new one (and trust the new ca.pem in clients).",
    );
  }

  // --- the server certificate
  const check = checkServerFiles(paths, ca, dnsNames, ipAddresses, renewWithinMs);
  let serverCert: Certificate;
  let serverIssueReason: ServerIssueReason | undefined;
  if (check.ok) {
    serverCert = check.cert;
  } else {
    serverIssueReason = check.reason;
    const server = issueServerCertificate(ca, {
      dnsNames,
      ipAddresses,
      // clientAuth too: ejabberd presents its certfile when it connects out as a TLS client (s2s).
      clientAuth: true,
      validityDays: options.serverValidityDays,
      keySize: options.keySize,
    });
    writeFileAtomic(paths.serverKeyPath, server.keyPem, PRIVATE_MODE);
    writeFileAtomic(paths.serverCertPath, server.chainPem, PUBLIC_MODE);
    writeFileAtomic(paths.ejabberdPemPath, ejabberdPem(server.chainPem, server.keyPem), PRIVATE_MODE);
    serverCert = server.cert;
  }

  const names = certificateNames(serverCert);
  return {
    dir,
    ...paths,
    caCreated,
    serverIssued: serverIssueReason !== undefined,
    ...(serverIssueReason !== undefined ? { serverIssueReason } : {}),
    changed: caCreated || serverIssueReason !== undefined,
    dnsNames: names.dnsNames,
    ipAddresses: names.ipAddresses,
    caNotAfter: ca.cert.validity.notAfter,
    serverNotAfter: serverCert.validity.notAfter,
  };
}

/** The names the server certificate must cover: domains, localhost, 127.0.0.1 and extras, deduplicated. */
function requestedNames(options: DevCertsOptions): { dnsNames: string[]; ipAddresses: string[] } {
  if (!options.xmppDomain.trim() || !options.componentDomain.trim()) {
    throw new Error("xmppDomain and componentDomain are required");
  }
  const dns = [options.xmppDomain, options.componentDomain, "localhost", ...(options.extraNames ?? [])];
  const ips = ["127.0.0.1", ...(options.extraIps ?? [])];
  const dnsNames = [...new Set(dns.map(canonicalDnsName))]; // throws on a non-name
  const seen = new Set<string>();
  const ipAddresses: string[] = [];
  for (const raw of ips) {
    const ip = raw.trim();
    const canonical = canonicalIp(ip); // throws on a non-address
    if (seen.has(canonical)) continue;
    seen.add(canonical);
    ipAddresses.push(ip);
  }
  return { dnsNames, ipAddresses };
}

type ServerCheck = { ok: true; cert: Certificate } | { ok: false; reason: ServerIssueReason };

function checkServerFiles(
  paths: { serverCertPath: string; serverKeyPath: string; ejabberdPemPath: string },
  ca: IssuedCertificate,
  dnsNames: readonly string[],
  ipAddresses: readonly string[],
  renewWithinMs: number,
): ServerCheck {
  const files = [paths.serverCertPath, paths.serverKeyPath, paths.ejabberdPemPath];
  if (!files.every((f) => existsSync(f))) return { ok: false, reason: "missing" };

  let chainPem: string;
  let cert: Certificate;
  let keyPem: string;
  try {
    chainPem = readFileSync(paths.serverCertPath, "utf8");
    keyPem = readFileSync(paths.serverKeyPath, "utf8");
    cert = certificateFromPem(chainPem);
    if (!keyMatchesCertificate(cert, privateKeyFromPem(keyPem))) return { ok: false, reason: "inconsistent" };
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  if (readFileSync(paths.ejabberdPemPath, "utf8") !== ejabberdPem(chainPem, keyPem)) {
    return { ok: false, reason: "inconsistent" };
  }
  const chain = splitPemCertificates(chainPem);
  const chainEndsAtCa = chain[chain.length - 1] === ca.certPem;
  if (!chainEndsAtCa || !signedBy(cert, ca.cert)) return { ok: false, reason: "issuer" };

  const have = certificateNames(cert);
  const haveIps = new Set(have.ipAddresses.map(canonicalIp));
  const coversNames = dnsNames.every((n) => have.dnsNames.includes(n));
  const coversIps = ipAddresses.every((ip) => haveIps.has(canonicalIp(ip)));
  if (!coversNames || !coversIps) return { ok: false, reason: "names" };

  if (cert.validity.notAfter.getTime() - Date.now() < renewWithinMs) return { ok: false, reason: "expiring" };
  return { ok: true, cert };
}

function signedBy(cert: Certificate, caCert: Certificate): boolean {
  try {
    return caCert.verify(cert); // throws when the issuer name does not match the CA's subject
  } catch {
    return false;
  }
}

/** Certificate, key, then the rest of the chain: ejabberd (fast_tls) sorts out the parts itself. */
function ejabberdPem(chainPem: string, keyPem: string): string {
  const [leaf, ...rest] = splitPemCertificates(chainPem);
  return [leaf ?? "", keyPem, ...rest].join("");
}

function defaultCaName(): string {
  const host = hostname()
    .replace(/[^A-Za-z0-9.-]/g, "")
    .slice(0, 32);
  return `Open PnP Development CA on ${host || "localhost"} ${new Date().toISOString().slice(0, 10)}`;
}

/** Writes via a temporary file and rename, so readers never see a half-written file; then sets `mode`. */
function writeFileAtomic(path: string, data: string, mode: number): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, data, { mode });
    chmodSync(tmp, mode); // the creation mode is filtered by the umask; make it exact
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
