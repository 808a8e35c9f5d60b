import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, createServer } from "node:tls";
import forge from "node-forge";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRootCa, splitPemCertificates } from "../../../src/trust/ca.js";
import { type DevCertsOptions, type DevCertsResult, ensureDevCerts } from "../../../src/trust/dev-certs.js";

const FILES = ["ca.pem", "ca.key", "server.pem", "server.key", "ejabberd.pem"] as const;

let dir: string;
let base: DevCertsOptions;

beforeEach(() => {
  const root = mkdtempSync(join(tmpdir(), "pnp-trust-"));
  dir = join(root, "nested", "certs"); // does not exist yet
  base = { dir, xmppDomain: "pnp.local", componentDomain: "pnp.pnp.local" };
});

afterEach(() => {
  rmSync(join(dir, "..", ".."), { recursive: true, force: true });
});

function read(name: string): string {
  return readFileSync(join(dir, name), "utf8");
}

/** Content plus inode and nanosecond mtime: an atomic rewrite changes the inode even within one tick. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of FILES) {
    const st = statSync(join(dir, f), { bigint: true });
    out[f] = `${st.ino}:${st.mtimeNs}:${read(f)}`;
  }
  return out;
}

function serverX509(): X509Certificate {
  return new X509Certificate(read("server.pem"));
}

function caX509(): X509Certificate {
  return new X509Certificate(read("ca.pem"));
}

function forgeChainVerifies(chainPem: string, caPem: string): boolean {
  const store = forge.pki.createCaStore([caPem]);
  const chain = splitPemCertificates(chainPem).map((p) => forge.pki.certificateFromPem(p));
  return forge.pki.verifyCertificateChain(store, chain);
}

describe("ensureDevCerts", () => {
  it("creates the directory, the CA and the server files on first use", () => {
    expect(existsSync(dir)).toBe(false);
    const result = ensureDevCerts(base);
    expect(result).toMatchObject({
      caCreated: true,
      serverIssued: true,
      serverIssueReason: "missing",
      changed: true,
      caCertPath: join(dir, "ca.pem"),
      caKeyPath: join(dir, "ca.key"),
      serverCertPath: join(dir, "server.pem"),
      serverKeyPath: join(dir, "server.key"),
      ejabberdPemPath: join(dir, "ejabberd.pem"),
      dnsNames: ["pnp.local", "pnp.pnp.local", "localhost"],
      ipAddresses: ["127.0.0.1"],
    });
    for (const f of FILES) expect(existsSync(join(dir, f))).toBe(true);
    expect(caX509().ca).toBe(true);
    expect(result.serverNotAfter.getTime()).toBe(new Date(serverX509().validTo).getTime());
  });

  it("writes private key files with mode 0600 and certificates readable", () => {
    ensureDevCerts(base);
    for (const f of ["ca.key", "server.key", "ejabberd.pem"]) {
      expect((statSync(join(dir, f)).mode & 0o777).toString(8)).toBe("600");
    }
    for (const f of ["ca.pem", "server.pem"]) {
      expect((statSync(join(dir, f)).mode & 0o777).toString(8)).toBe("644");
    }
  });

  it("issues a server certificate that verifies against the CA and covers every SAN", () => {
    ensureDevCerts({ ...base, extraNames: ["Extra.Example"], extraIps: ["10.0.0.1", "::1"] });
    const server = serverX509();
    expect(server.verify(caX509().publicKey)).toBe(true);
    expect(server.checkIssued(caX509())).toBe(true);
    for (const name of ["pnp.local", "pnp.pnp.local", "localhost", "extra.example"]) {
      expect(server.checkHost(name, { subject: "never" })).toBe(name);
    }
    expect(server.checkHost("other.local", { subject: "never" })).toBeUndefined();
    for (const ip of ["127.0.0.1", "10.0.0.1", "::1"]) expect(server.checkIP(ip)).toBe(ip);
    expect(server.checkIP("10.0.0.2")).toBeUndefined();
    expect(server.keyUsage).toEqual(expect.arrayContaining(["1.3.6.1.5.5.7.3.1"])); // serverAuth
    expect(forgeChainVerifies(read("server.pem"), read("ca.pem"))).toBe(true);
  });

  it("lays out server.pem as the chain and ejabberd.pem as cert + key + CA", () => {
    ensureDevCerts(base);
    const chain = splitPemCertificates(read("server.pem"));
    expect(chain).toHaveLength(2);
    expect(chain[1]).toBe(read("ca.pem"));
    expect(read("ejabberd.pem")).toBe(`${chain[0]}${read("server.key")}${read("ca.pem")}`);
    const key = forge.pki.privateKeyFromPem(read("server.key"));
    const pub = forge.pki.certificateFromPem(chain[0]!).publicKey as forge.pki.rsa.PublicKey;
    expect(pub.n.equals(key.n)).toBe(true);
  });

  it("serves TLS that a client trusting only ca.pem accepts for the component domain", async () => {
    ensureDevCerts(base);
    const server = createServer({ cert: read("server.pem"), key: read("server.key") }, (s) => s.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const attempt = (ca: string, servername: string) =>
        new Promise<string>((resolve) => {
          const socket = connect({ host: "127.0.0.1", port, ca, servername }, () => {
            resolve(socket.authorized ? "authorized" : String(socket.authorizationError));
            socket.destroy();
          });
          socket.on("error", (err) => resolve(err.message));
        });
      expect(await attempt(read("ca.pem"), "pnp.pnp.local")).toBe("authorized");
      expect(await attempt(read("ca.pem"), "wrong.local")).toMatch(/altnames|does not match/i);
      expect(await attempt(createRootCa().certPem, "pnp.pnp.local")).not.toBe("authorized");
    } finally {
      server.close();
    }
  });

  it("is idempotent: a second call changes nothing", () => {
    ensureDevCerts({ ...base, extraNames: ["a.example"], extraIps: ["10.0.0.1"] });
    const before = snapshot();
    const second = ensureDevCerts({ ...base, extraNames: ["a.example"], extraIps: ["10.0.0.1"] });
    expect(second).toMatchObject({ caCreated: false, serverIssued: false, changed: false });
    expect(second.serverIssueReason).toBeUndefined();
    expect(snapshot()).toEqual(before);
    // asking for a subset of the covered names (or the same names spelled differently) changes nothing
    const third = ensureDevCerts({ ...base, xmppDomain: "PNP.local", extraIps: ["10.0.0.1", "127.0.0.1"] });
    expect(third.changed).toBe(false);
    expect(snapshot()).toEqual(before);
  });

  it("reissues with the same CA when a DNS name or IP address is added", () => {
    ensureDevCerts(base);
    const caPem = read("ca.pem");
    const caKey = read("ca.key");
    const firstServer = read("server.pem");
    const firstKey = read("server.key");

    const withName = ensureDevCerts({ ...base, extraNames: ["new.example"] });
    expect(withName).toMatchObject({ caCreated: false, serverIssued: true, serverIssueReason: "names" });
    expect(read("ca.pem")).toBe(caPem);
    expect(read("ca.key")).toBe(caKey);
    expect(read("server.pem")).not.toBe(firstServer);
    expect(read("server.key")).not.toBe(firstKey);
    expect(serverX509().verify(new X509Certificate(caPem).publicKey)).toBe(true);
    expect(serverX509().checkHost("new.example", { subject: "never" })).toBe("new.example");
    expect(serverX509().checkHost("pnp.pnp.local", { subject: "never" })).toBe("pnp.pnp.local");

    const withIp = ensureDevCerts({ ...base, extraNames: ["new.example"], extraIps: ["192.168.7.7"] });
    expect(withIp).toMatchObject({ serverIssued: true, serverIssueReason: "names" });
    expect(serverX509().checkIP("192.168.7.7")).toBe("192.168.7.7");
    expect(read("ca.pem")).toBe(caPem);
    expect(ensureDevCerts({ ...base, extraNames: ["new.example"], extraIps: ["192.168.7.7"] }).changed).toBe(
      false,
    );
  });

  it("reissues a server certificate that expires within 30 days", () => {
    ensureDevCerts({ ...base, serverValidityDays: 20 });
    const caPem = read("ca.pem");
    const again = ensureDevCerts(base);
    expect(again).toMatchObject({ serverIssued: true, serverIssueReason: "expiring", caCreated: false });
    expect(again.serverNotAfter.getTime() - Date.now()).toBeGreaterThan(800 * 24 * 3600 * 1000);
    expect(read("ca.pem")).toBe(caPem);
    expect(ensureDevCerts(base).changed).toBe(false);
  });

  it("reissues when the CA was replaced, a key does not match, or a file is missing", () => {
    ensureDevCerts(base);
    rmSync(join(dir, "ca.pem"));
    rmSync(join(dir, "ca.key"));
    const newCa = ensureDevCerts(base);
    expect(newCa).toMatchObject({ caCreated: true, serverIssued: true, serverIssueReason: "issuer" });
    expect(serverX509().verify(caX509().publicKey)).toBe(true);

    writeFileSync(join(dir, "server.key"), createRootCa().keyPem, { mode: 0o600 });
    expect(ensureDevCerts(base)).toMatchObject({ serverIssued: true, serverIssueReason: "inconsistent" });

    rmSync(join(dir, "ejabberd.pem"));
    expect(ensureDevCerts(base)).toMatchObject({ serverIssued: true, serverIssueReason: "missing" });
    expect(existsSync(join(dir, "ejabberd.pem"))).toBe(true);
    expect(ensureDevCerts(base).changed).toBe(false);
  });

  it("refuses to replace half a CA", () => {
    ensureDevCerts(base);
    const caPem = read("ca.pem");
    rmSync(join(dir, "ca.key"));
    expect(() => ensureDevCerts(base)).toThrow(/incomplete.*ca\.key/);
    expect(read("ca.pem")).toBe(caPem);
    expect(existsSync(join(dir, "ca.key"))).toBe(false);
  });

  it("rejects an invalid extra name or IP address before writing anything", () => {
    expect(() => ensureDevCerts({ ...base, extraIps: ["not-an-ip"] })).toThrow(/not an IP address/);
    expect(() => ensureDevCerts({ ...base, extraNames: ["bad name"] })).toThrow(/not a DNS name/);
    expect(existsSync(dir)).toBe(false);
  });

  it("is quick", () => {
    const t0 = performance.now();
    const result: DevCertsResult = ensureDevCerts(base);
    const created = performance.now() - t0;
    const t1 = performance.now();
    ensureDevCerts(base);
    const checked = performance.now() - t1;
    expect(result.changed).toBe(true);
    // two RSA-2048 key pairs natively plus two forge signatures; pure-JS forge keygen alone takes ~1-10 s
    expect(created).toBeLessThan(3000);
    expect(checked).toBeLessThan(500);
  });
});
