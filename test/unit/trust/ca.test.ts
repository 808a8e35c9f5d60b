import { X509Certificate } from "node:crypto";
import forge from "node-forge";
import { beforeAll, describe, expect, it } from "vitest";
import {
  certificateFromPem,
  certificateNames,
  createIntermediateCa,
  createRootCa,
  generateRsaKeyPair,
  type IssuedCertificate,
  isCaCertificate,
  issueCertificate,
  issueServerCertificate,
  keyMatchesCertificate,
  loadCa,
  privateKeyFromPem,
  splitPemCertificates,
} from "../../../src/trust/ca.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** forge.pki.verifyCertificateChain throws on failure; turn that into a value the test can compare. */
function forgeVerify(trusted: readonly string[], chainPem: string): true | string {
  const store = forge.pki.createCaStore([...trusted]);
  const chain = splitPemCertificates(chainPem).map((pem) => forge.pki.certificateFromPem(pem));
  try {
    return forge.pki.verifyCertificateChain(store, chain) ? true : "returned false";
  } catch (err) {
    return (err as { message?: string }).message ?? String(err);
  }
}

/** An extension as decoded from the certificate's DER (what a verifier sees, not what was passed in). */
function extension<T>(cert: forge.pki.Certificate, name: string): T | undefined {
  const parsed = forge.pki.certificateFromPem(forge.pki.certificateToPem(cert));
  return (parsed.getExtension(name) as T | null) ?? undefined;
}

describe("createRootCa", () => {
  let root: IssuedCertificate;
  beforeAll(() => {
    root = createRootCa({ commonName: "Test Root", organizationName: "Tests", validityDays: 100 });
  });

  it("is a self-signed CA with critical basicConstraints and keyCertSign/cRLSign", () => {
    expect(isCaCertificate(root.cert)).toBe(true);
    const bc = extension<{ cA: boolean; critical: boolean }>(root.cert, "basicConstraints");
    expect(bc).toMatchObject({ cA: true, critical: true });
    const ku = extension<Record<string, boolean>>(root.cert, "keyUsage");
    expect(ku).toMatchObject({ critical: true, keyCertSign: true, cRLSign: true, keyEncipherment: false });
    expect(root.cert.verifySubjectKeyIdentifier()).toBe(true);
    expect(root.cert.verify(root.cert)).toBe(true);
    expect(root.cert.siginfo.algorithmOid).toBe(forge.pki.oids.sha256WithRSAEncryption);

    const x509 = new X509Certificate(root.certPem);
    expect(x509.ca).toBe(true);
    expect(x509.subject).toContain("CN=Test Root");
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(forgeVerify([root.certPem], root.certPem)).toBe(true);
  });

  it("honours validityDays and keySize", () => {
    const span = root.cert.validity.notAfter.getTime() - root.cert.validity.notBefore.getTime();
    expect(span).toBe(100 * DAY_MS);
    expect(root.cert.validity.notBefore.getTime()).toBeLessThanOrEqual(Date.now());
    expect((root.cert.publicKey as forge.pki.rsa.PublicKey).n.bitLength()).toBe(2048);

    const big = createRootCa({ keySize: 3072, validityDays: 1 });
    expect((big.cert.publicKey as forge.pki.rsa.PublicKey).n.bitLength()).toBe(3072);
    expect(new X509Certificate(big.certPem).publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
  });

  it("returns matching PEM and parsed forms, the key as PKCS#8", () => {
    expect(root.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(root.chainPem).toBe(root.certPem);
    expect(keyMatchesCertificate(certificateFromPem(root.certPem), privateKeyFromPem(root.keyPem))).toBe(
      true,
    );
  });
});

describe("issueServerCertificate", () => {
  let root: IssuedCertificate;
  let server: IssuedCertificate;
  const dnsNames = ["pnp.local", "pnp.pnp.local", "localhost", "*.wild.example"];
  const ipAddresses = ["127.0.0.1", "10.1.2.3", "::1"];

  beforeAll(() => {
    root = createRootCa({ commonName: "Server Test Root" });
    server = issueServerCertificate(root, { dnsNames, ipAddresses });
  });

  it("verifies against the CA with node-forge", () => {
    expect(forgeVerify([root.certPem], server.certPem)).toBe(true);
    expect(forgeVerify([root.certPem], server.chainPem)).toBe(true);
    const stranger = createRootCa({ commonName: "Server Test Root" }); // same name, other key
    expect(forgeVerify([stranger.certPem], server.certPem)).not.toBe(true);
  });

  it("verifies against the CA with node:crypto and matches every SAN", () => {
    const x509 = new X509Certificate(server.certPem);
    const ca = new X509Certificate(root.certPem);
    expect(x509.verify(ca.publicKey)).toBe(true);
    expect(x509.checkIssued(ca)).toBe(true);
    expect(x509.ca).toBe(false);
    for (const name of ["pnp.local", "pnp.pnp.local", "localhost"]) {
      expect(x509.checkHost(name, { subject: "never" })).toBe(name);
    }
    expect(x509.checkHost("a.wild.example", { subject: "never" })).toBe("*.wild.example");
    expect(x509.checkHost("other.local", { subject: "never" })).toBeUndefined();
    for (const ip of ipAddresses) expect(x509.checkIP(ip)).toBe(ip);
    expect(x509.checkIP("10.1.2.4")).toBeUndefined();
    expect(x509.subjectAltName).toBe(
      "DNS:pnp.local, DNS:pnp.pnp.local, DNS:localhost, DNS:*.wild.example, " +
        "IP Address:127.0.0.1, IP Address:10.1.2.3, IP Address:0:0:0:0:0:0:0:1",
    );
    expect(certificateNames(server.cert)).toEqual({
      dnsNames,
      ipAddresses: ["127.0.0.1", "10.1.2.3", "::1"],
    });
  });

  it("is a serverAuth leaf with the CA's key identifier, clientAuth only on request", () => {
    expect(extension(server.cert, "basicConstraints")).toMatchObject({ cA: false });
    expect(extension(server.cert, "keyUsage")).toMatchObject({ digitalSignature: true, keyCertSign: false });
    const eku = extension<Record<string, boolean>>(server.cert, "extKeyUsage");
    expect(eku).toMatchObject({ serverAuth: true });
    expect(eku?.clientAuth).toBeUndefined();
    const rootSki = extension<{ subjectKeyIdentifier: string }>(root.cert, "subjectKeyIdentifier");
    expect(rootSki?.subjectKeyIdentifier).toMatch(/^[0-9a-f]{40}$/);
    expect(authorityKeyId(server.certPem)).toBe(rootSki?.subjectKeyIdentifier);
    expect(server.cert.verifySubjectKeyIdentifier()).toBe(true);

    const both = issueServerCertificate(root, { dnsNames: ["x.local"], clientAuth: true });
    expect(extension(both.cert, "extKeyUsage")).toMatchObject({ serverAuth: true, clientAuth: true });
  });

  it("uses random positive 16-byte serial numbers", () => {
    const serials = new Set<string>();
    const keyPair = generateRsaKeyPair(); // the serial does not depend on the key; save four key pairs
    for (let i = 0; i < 5; i++) {
      const cert = issueServerCertificate(root, { dnsNames: ["s.local"], keyPair }).cert;
      expect(cert.serialNumber).toMatch(/^[0-7][0-9a-f]{31}$/);
      expect(cert.serialNumber.slice(0, 2)).not.toBe("00");
      serials.add(cert.serialNumber);
    }
    expect(serials.size).toBe(5);
    expect(new X509Certificate(server.certPem).serialNumber).toBe(server.cert.serialNumber.toUpperCase());
  });

  it("never outlives its issuer", () => {
    const shortCa = createRootCa({ validityDays: 30 });
    const leaf = issueServerCertificate(shortCa, { dnsNames: ["x.local"], validityDays: 825 });
    expect(leaf.cert.validity.notAfter.getTime()).toBe(shortCa.cert.validity.notAfter.getTime());
  });

  it("rejects bad names and a non-CA issuer", () => {
    expect(() => issueServerCertificate(root, { dnsNames: ["bad name"] })).toThrow(/not a DNS name/);
    expect(() => issueServerCertificate(root, { dnsNames: ["a..b"] })).toThrow(/not a DNS name/);
    expect(() => issueServerCertificate(root, { ipAddresses: ["300.1.1.1"] })).toThrow(/not an IP address/);
    expect(() => issueServerCertificate(root, {})).toThrow(/at least one/);
    expect(() => issueServerCertificate(server, { dnsNames: ["x.local"] })).toThrow(/not a CA/);
  });
});

describe("createIntermediateCa and issueCertificate", () => {
  let root: IssuedCertificate;
  let intermediate: IssuedCertificate;
  beforeAll(() => {
    root = createRootCa({ commonName: "Chain Root" });
    intermediate = createIntermediateCa(root, { commonName: "Chain Issuing CA" });
  });

  it("builds a chain leaf -> intermediate -> root that both verifiers accept", () => {
    expect(isCaCertificate(intermediate.cert)).toBe(true);
    expect(extension(intermediate.cert, "basicConstraints")).toMatchObject({
      cA: true,
      pathLenConstraint: 0,
    });
    expect(splitPemCertificates(intermediate.chainPem)).toEqual([intermediate.certPem, root.certPem]);

    const leaf = issueServerCertificate(intermediate, { dnsNames: ["leaf.local"] });
    expect(splitPemCertificates(leaf.chainPem)).toEqual([leaf.certPem, intermediate.certPem, root.certPem]);
    expect(forgeVerify([root.certPem], leaf.chainPem)).toBe(true);
    // without the intermediate the leaf cannot be tied to the root
    expect(forgeVerify([root.certPem], leaf.certPem)).not.toBe(true);

    const x509 = new X509Certificate(leaf.certPem);
    expect(x509.verify(new X509Certificate(intermediate.certPem).publicKey)).toBe(true);
    expect(x509.verify(new X509Certificate(root.certPem).publicKey)).toBe(false);
  });

  it("refuses to sign a CA below pathLength 0", () => {
    expect(() => createIntermediateCa(intermediate)).toThrow(/pathLenConstraint 0/);
  });

  it("issues general certificates with chosen key usages and purposes", () => {
    const signer = issueCertificate({
      subject: { commonName: "token signer", organizationName: "Tests", countryName: "DE" },
      issuer: intermediate,
      keyUsage: ["digitalSignature"],
      extKeyUsage: ["1.3.6.1.4.1.99999.1"],
      validityDays: 7,
    });
    const ku = extension<Record<string, boolean>>(signer.cert, "keyUsage");
    expect(ku).toMatchObject({ digitalSignature: true, keyEncipherment: false, keyCertSign: false });
    expect(new X509Certificate(signer.certPem).keyUsage).toEqual(["1.3.6.1.4.1.99999.1"]);
    expect(extension(signer.cert, "subjectAltName")).toBeUndefined();
    expect(new X509Certificate(signer.certPem).subject).toBe("C=DE\nO=Tests\nCN=token signer");
    expect(forgeVerify([root.certPem], signer.chainPem)).toBe(true);
  });
});

describe("loadCa", () => {
  let root: IssuedCertificate;
  beforeAll(() => {
    root = createRootCa();
  });

  it("loads a CA whose key matches, and can issue with it", () => {
    const loaded = loadCa(root.certPem, root.keyPem);
    expect(loaded.cert.serialNumber).toBe(root.cert.serialNumber);
    expect(loaded.certPem).toBe(root.certPem);
    const leaf = issueServerCertificate(loaded, { dnsNames: ["loaded.local"] });
    expect(forgeVerify([root.certPem], leaf.certPem)).toBe(true);
    // PKCS#1 keys (BEGIN RSA PRIVATE KEY) are read too
    expect(() => loadCa(root.certPem, forge.pki.privateKeyToPem(root.key))).not.toThrow();
  });

  it("keeps the issuer name byte-identical, also for non-ASCII names of a loaded CA", () => {
    const fancy = createRootCa({ commonName: "Entwicklungs-CA für Tests", organizationName: "Ä, B & C" });
    const loaded = loadCa(fancy.certPem, fancy.keyPem);
    const leaf = issueServerCertificate(loaded, { dnsNames: ["fancy.local"] });
    const x509 = new X509Certificate(leaf.certPem);
    const ca = new X509Certificate(fancy.certPem);
    expect(x509.issuer).toBe(ca.subject);
    expect(x509.checkIssued(ca)).toBe(true);
    expect(x509.issuer).toContain("CN=Entwicklungs-CA für Tests");
  });

  it("rejects a key that does not match the certificate", () => {
    const other = createRootCa();
    expect(() => loadCa(root.certPem, other.keyPem)).toThrow(/does not match/);
  });

  it("rejects a certificate that is not a CA", () => {
    const leaf = issueServerCertificate(root, { dnsNames: ["leaf.local"] });
    expect(() => loadCa(leaf.certPem, leaf.keyPem)).toThrow(/not a CA/);
  });

  it("rejects garbage", () => {
    expect(() => loadCa("nothing here", root.keyPem)).toThrow(/no PEM certificate/);
    expect(() =>
      loadCa(root.certPem, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
    ).toThrow(/cannot parse private key/);
  });
});

/** The keyIdentifier of a certificate's authorityKeyIdentifier, hex, read out of the DER. */
function authorityKeyId(certPem: string): string | undefined {
  const ext = forge.pki.certificateFromPem(certPem).getExtension("authorityKeyIdentifier") as
    | { value: string }
    | undefined;
  if (!ext) return undefined;
  const seq = forge.asn1.fromDer(ext.value);
  const keyId = (seq.value as forge.asn1.Asn1[]).find(
    (v) => v.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && v.type === 0,
  );
  return keyId ? forge.util.bytesToHex(keyId.value as string) : undefined;
}
