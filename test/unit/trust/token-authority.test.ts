// The token signing authority on disk: created or imported, keys 0600, reloaded, never silently replaced.

import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRootCa, issueServerCertificate } from "../../../src/trust/ca.js";
import {
  createTokenSigningCertificate,
  initSigningAuthority,
  loadSigningAuthority,
  tokenCaDir,
} from "../../../src/trust/signing-authority.js";
import { signToken, TOKEN_SIGNING_OID, verifyToken } from "../../../src/trust/token.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "token-ca-"));
  dirs.push(dir);
  return join(dir, "token-ca");
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe("token signing authority", () => {
  it("defaults to <dataDir>/token-ca unless tokenCaDir is set", () => {
    expect(tokenCaDir({ dataDir: "/var/lib/pnp" })).toBe("/var/lib/pnp/token-ca");
    expect(tokenCaDir({ dataDir: "/var/lib/pnp", tokenCaDir: "/etc/pnp/ca" })).toBe("/etc/pnp/ca");
  });

  it("creates a root and a token-signing certificate, keys 0600, and signs tokens its root verifies", () => {
    const dir = tempDir();
    const authority = initSigningAuthority({ dir, deploymentId: "dep-1" });
    const p = authority.paths;
    expect(mode(p.dir)).toBe(0o700);
    expect(mode(p.rootKeyPath)).toBe(0o600);
    expect(mode(p.signerKeyPath)).toBe(0o600);
    expect(mode(p.rootCertPath)).toBe(0o644);
    expect(mode(p.signerCertPath)).toBe(0o644);
    expect(JSON.parse(readFileSync(p.metaPath, "utf8"))).toMatchObject({
      deploymentId: "dep-1",
      signingOid: TOKEN_SIGNING_OID,
      imported: false,
    });
    const eku = authority.signer.cert.getExtension("extKeyUsage") as Record<string, unknown>;
    expect(eku[TOKEN_SIGNING_OID]).toBe(true);

    const reloaded = loadSigningAuthority(dir);
    expect(reloaded.meta.deploymentId).toBe("dep-1");
    const { jws } = signToken(reloaded.signer, {
      deployment: "dep-1",
      serverJid: "pnpserver.example.net",
      notBefore: new Date(Date.now() - 1000),
      notAfter: new Date(Date.now() + 86_400_000),
    });
    const verdict = verifyToken(jws, {
      trustAnchors: readFileSync(p.rootCertPath, "utf8"),
      deploymentId: "dep-1",
      expect: { serverJid: "pnpserver.example.net" },
    });
    expect(verdict.ok).toBe(true);
  });

  it("refuses to replace an existing authority unless forced", () => {
    const dir = tempDir();
    const first = initSigningAuthority({ dir, deploymentId: "dep-1" });
    expect(() => initSigningAuthority({ dir, deploymentId: "dep-2" })).toThrow(/already exists.*--force/);
    expect(loadSigningAuthority(dir).rootPem).toBe(first.rootPem);
    const second = initSigningAuthority({ dir, deploymentId: "dep-2", force: true });
    expect(second.rootPem).not.toBe(first.rootPem);
    expect(second.meta.deploymentId).toBe("dep-2");
  });

  it("imports an existing root and signer (without the root's key), checking the signer's purpose", () => {
    const root = createRootCa({ commonName: "Corporate Root", validityDays: 100 });
    const signer = createTokenSigningCertificate(root, {
      commonName: "Corporate Token Signer",
      validityDays: 50,
    });
    const dir = tempDir();
    const authority = initSigningAuthority({
      dir,
      deploymentId: "corp",
      import: { rootCertPem: root.certPem, signerCertPem: signer.chainPem, signerKeyPem: signer.keyPem },
    });
    expect(authority.meta.imported).toBe(true);
    expect(authority.rootPem).toBe(root.certPem);
    expect(() => statSync(authority.paths.rootKeyPath)).toThrow();
    // The root at the end of the signer's chain is not kept in signer.pem (x5c does not need it).
    expect(readFileSync(authority.paths.signerCertPath, "utf8")).toBe(signer.certPem);

    const tls = issueServerCertificate(root, { dnsNames: ["pnp.example.net"] });
    expect(() =>
      initSigningAuthority({
        dir: tempDir(),
        import: { rootCertPem: root.certPem, signerCertPem: tls.certPem, signerKeyPem: tls.keyPem },
      }),
    ).toThrow(/not allowed to sign tokens/);
    const stranger = createRootCa({ commonName: "Stranger" });
    expect(() =>
      initSigningAuthority({
        dir: tempDir(),
        import: { rootCertPem: stranger.certPem, signerCertPem: signer.certPem, signerKeyPem: signer.keyPem },
      }),
    ).toThrow(/not trusted/);
    expect(() =>
      initSigningAuthority({
        dir: tempDir(),
        import: { rootCertPem: root.certPem, signerCertPem: signer.certPem, signerKeyPem: tls.keyPem },
      }),
    ).toThrow(/does not match/);
  });

  it("says how to create one when the directory holds none", () => {
    expect(() => loadSigningAuthority(tempDir())).toThrow(/pnpctl token ca-init/);
  });
});
