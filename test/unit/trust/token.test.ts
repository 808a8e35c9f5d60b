// Every outcome of verifyToken and verifyRevocationList, one reason at a time, against real certificates.

import { sign } from "node:crypto";
import forge from "node-forge";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createIntermediateCa,
  createRootCa,
  type IssuedCertificate,
  issueCertificate,
  issueServerCertificate,
  privateKeyToPem,
} from "../../../src/trust/ca.js";
import { createTokenSigningCertificate } from "../../../src/trust/signing-authority.js";
import {
  decodeTokenUnverified,
  REVOCATIONS_TYP,
  type RevocationListVerdict,
  signRevocationList,
  signToken,
  TOKEN_FAILURE_TEXT,
  TOKEN_SIGNING_OID,
  TOKEN_TYP,
  type TokenSigner,
  type TokenVerdict,
  udiCovers,
  type VerifyTokenOptions,
  verifyRevocationList,
  verifyToken,
} from "../../../src/trust/token.js";

const DAY = 24 * 60 * 60 * 1000;
const SERVER = "pnpserver.example.net";
const HOST = "pnp.example.net";
const DEPLOYMENT = "dep-a";
const UDI = "PID:C9300-24P,VID:V02,SN:FOC1234X0AB";

function signerOf(cert: IssuedCertificate, intermediates: IssuedCertificate[] = []): TokenSigner {
  return { cert: cert.cert, key: cert.key, intermediates: intermediates.map((i) => i.cert) };
}

/** A JWS built by hand, to produce tokens signToken refuses to make. */
function signRaw(signer: TokenSigner, header: object, payload: object): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${enc(header)}.${enc(payload)}`;
  const sig = sign("sha256", Buffer.from(input), privateKeyToPem(signer.key));
  return `${input}.${sig.toString("base64url")}`;
}

function x5c(signer: TokenSigner): string[] {
  return [signer.cert, ...signer.intermediates].map((c) =>
    Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), "binary").toString("base64"),
  );
}

function expectFailure(verdict: TokenVerdict | RevocationListVerdict, code: string, detail?: RegExp): void {
  if (verdict.ok) throw new Error(`expected ${code}, got a valid token`);
  expect(verdict.code).toBe(code);
  expect(verdict.reason).toBe(TOKEN_FAILURE_TEXT[verdict.code]);
  if (detail) expect(verdict.detail).toMatch(detail);
}

describe("server authorization token", () => {
  let root: IssuedCertificate;
  let signer: TokenSigner;
  let otherRoot: IssuedCertificate;
  let otherSigner: TokenSigner;
  let tlsCert: IssuedCertificate;
  let agent: VerifyTokenOptions;
  const now = Date.now();
  const window = { notBefore: new Date(now - DAY), notAfter: new Date(now + 30 * DAY) };

  beforeAll(() => {
    root = createRootCa({ commonName: "Token Root A", validityDays: 365 });
    signer = signerOf(
      createTokenSigningCertificate(root, { commonName: "Token Signer A", validityDays: 100 }),
    );
    otherRoot = createRootCa({ commonName: "Token Root B", validityDays: 365 });
    otherSigner = signerOf(
      // Same names as A's: only the keys differ.
      createTokenSigningCertificate(otherRoot, { commonName: "Token Signer A", validityDays: 100 }),
    );
    tlsCert = issueServerCertificate(root, { dnsNames: [HOST] });
    agent = {
      trustAnchors: root.certPem,
      deploymentId: DEPLOYMENT,
      expect: { serverJid: SERVER },
      udi: UDI,
      now,
    };
  });

  const general = () =>
    signToken(signer, { deployment: DEPLOYMENT, serverJid: SERVER, httpsHost: HOST, ...window });

  describe("format", () => {
    it("is a compact JWS: RS256, our typ, x5c holding the signer, the documented claims", () => {
      const { jws, claims } = general();
      const { header, claims: decoded } = decodeTokenUnverified(jws);
      expect(jws.split(".")).toHaveLength(3);
      expect(header).toMatchObject({ alg: "RS256", typ: TOKEN_TYP });
      expect(header.x5c).toEqual(x5c(signer));
      expect(decoded).toEqual(claims);
      expect(claims).toMatchObject({
        ver: 1,
        iss: "Token Signer A",
        deployment: DEPLOYMENT,
        server: { jid: SERVER, httpsHost: HOST },
        nbf: Math.floor(window.notBefore.getTime() / 1000),
        exp: Math.floor(window.notAfter.getTime() / 1000),
      });
      expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(claims.udis).toBeUndefined();
    });

    it("puts the token-signing OID in the signer's extKeyUsage, with digitalSignature, not a CA", () => {
      const eku = signer.cert.getExtension("extKeyUsage") as Record<string, unknown>;
      expect(eku[TOKEN_SIGNING_OID]).toBe(true);
      expect((signer.cert.getExtension("keyUsage") as { digitalSignature: boolean }).digitalSignature).toBe(
        true,
      );
      expect((signer.cert.getExtension("basicConstraints") as { cA: boolean }).cA).toBe(false);
    });

    it("refuses to sign a token bound to no server, with an empty UDI list, or with a bad UDI", () => {
      expect(() => signToken(signer, { deployment: DEPLOYMENT, ...window })).toThrow(/bound to a server/);
      expect(() =>
        signToken(signer, { deployment: DEPLOYMENT, serverJid: SERVER, udis: [], ...window }),
      ).toThrow(/at least one UDI/);
      expect(() =>
        signToken(signer, { deployment: DEPLOYMENT, serverJid: SERVER, udis: ["FOC123"], ...window }),
      ).toThrow(/not a UDI/);
    });
  });

  describe("verification outcomes", () => {
    it("valid: a general token bound to this server", () => {
      const { jws, claims } = general();
      const verdict = verifyToken(jws, agent);
      expect(verdict).toMatchObject({ ok: true, claims, signer: { commonName: "Token Signer A" } });
    });

    it("valid over HTTPS: bound to the host the agent talks to (case and brackets aside)", () => {
      const { jws } = general();
      expect(verifyToken(jws, { ...agent, expect: { httpsHost: "PNP.Example.NET" } }).ok).toBe(true);
      const ipToken = signToken(signer, { deployment: DEPLOYMENT, httpsHost: "2001:db8::1", ...window });
      expect(verifyToken(ipToken.jws, { ...agent, expect: { httpsHost: "[2001:DB8:0::1]" } }).ok).toBe(true);
    });

    it("valid: a UDI-scoped token listing this device (an empty listed VID covers any VID)", () => {
      const { jws } = signToken(signer, {
        deployment: DEPLOYMENT,
        serverJid: SERVER,
        udis: ["PID:ISR4451-X/K9,VID:V01,SN:OTHER1", "PID:C9300-24P,VID:,SN:FOC1234X0AB"],
        ...window,
      });
      expect(verifyToken(jws, agent).ok).toBe(true);
    });

    it("valid through an intermediate CA carried in x5c; refused when the intermediate is left out", () => {
      const root2 = createRootCa({ commonName: "Root With Intermediate", validityDays: 365 });
      const intermediate = createIntermediateCa(root2, {
        commonName: "Token Intermediate",
        validityDays: 200,
      });
      const leaf = createTokenSigningCertificate(intermediate, {
        commonName: "Deep Signer",
        validityDays: 100,
      });
      const options = { ...agent, trustAnchors: root2.certPem };
      const withChain = signToken(signerOf(leaf, [intermediate]), {
        deployment: DEPLOYMENT,
        serverJid: SERVER,
        ...window,
      });
      expect(verifyToken(withChain.jws, options).ok).toBe(true);
      const without = signToken(signerOf(leaf), { deployment: DEPLOYMENT, serverJid: SERVER, ...window });
      expectFailure(verifyToken(without.jws, options), "untrusted-signer", /not issued by a trust anchor/);
    });

    it("expired: exp (plus the tolerated skew) is past", () => {
      const { jws } = signToken(signer, {
        deployment: DEPLOYMENT,
        serverJid: SERVER,
        notBefore: new Date(now - 10 * DAY),
        notAfter: new Date(now - DAY),
      });
      expectFailure(verifyToken(jws, agent), "expired", /expired at/);
      expect(TOKEN_FAILURE_TEXT.expired).toBe("server token expired");
    });

    it("tolerates clock skew at the edges, and only up to clockSkewSec", () => {
      const { jws } = signToken(signer, {
        deployment: DEPLOYMENT,
        serverJid: SERVER,
        notBefore: new Date(now - DAY),
        notAfter: new Date(now - 60_000),
      });
      expect(verifyToken(jws, agent).ok).toBe(true); // expired a minute ago, default skew 300 s
      expectFailure(verifyToken(jws, { ...agent, clockSkewSec: 0 }), "expired");
    });

    it("not yet valid: nbf (minus the skew) is ahead", () => {
      const { jws } = signToken(signer, {
        deployment: DEPLOYMENT,
        serverJid: SERVER,
        notBefore: new Date(now + DAY),
        notAfter: new Date(now + 2 * DAY),
      });
      expectFailure(verifyToken(jws, agent), "not-yet-valid", /valid from/);
    });

    it("wrong signer: signed under another root (same names), or by a key the agent does not trust", () => {
      const { jws } = signToken(otherSigner, { deployment: DEPLOYMENT, serverJid: SERVER, ...window });
      expectFailure(verifyToken(jws, agent), "untrusted-signer");
      // ...and trusted when the agent trusts that root instead.
      expect(verifyToken(jws, { ...agent, trustAnchors: otherRoot.certPem }).ok).toBe(true);
    });

    it("wrong signer: x5c names A's certificate but the signature is by B's key", () => {
      const forged: TokenSigner = { ...signer, key: otherSigner.key };
      const { jws } = signToken(forged, { deployment: DEPLOYMENT, serverJid: SERVER, ...window });
      expectFailure(verifyToken(jws, agent), "bad-signature");
    });

    it("signer not allowed: a certificate of the trusted root without the token-signing purpose", () => {
      const tls = signerOf(tlsCert);
      const { jws } = signToken(tls, { deployment: DEPLOYMENT, serverJid: SERVER, ...window });
      expectFailure(
        verifyToken(jws, agent),
        "signer-not-authorized",
        new RegExp(TOKEN_SIGNING_OID.replace(/\./g, "\\.")),
      );
      // Passing the TLS purpose as the required one shows it is the OID that decided.
      expect(verifyToken(jws, { ...agent, signingOid: "serverAuth" }).ok).toBe(true);
    });

    it("signer not allowed: a CA certificate, even with the purpose", () => {
      const caSigner = issueCertificate({
        subject: { commonName: "CA That Signs" },
        issuer: root,
        ca: true,
        extKeyUsage: [TOKEN_SIGNING_OID as `${number}.${number}.${string}`],
        keyUsage: ["keyCertSign", "digitalSignature"],
        validityDays: 50,
      });
      const { jws } = signToken(signerOf(caSigner), { deployment: DEPLOYMENT, serverJid: SERVER, ...window });
      expectFailure(verifyToken(jws, agent), "signer-not-authorized", /CA certificate/);
    });

    it("signer certificate expired: the token's own window does not save it", () => {
      const old = createTokenSigningCertificate(root, { commonName: "Old Signer", validityDays: 1 });
      const { jws } = signToken(signerOf(old), { deployment: DEPLOYMENT, serverJid: SERVER, ...window });
      expect(verifyToken(jws, agent).ok).toBe(true);
      expectFailure(
        verifyToken(jws, { ...agent, now: now + 3 * DAY }),
        "signer-not-valid",
        /Old Signer.*expired/,
      );
    });

    it("tampered: any change to payload, header or signature breaks the signature", () => {
      const { jws } = general();
      const [h, p, s] = jws.split(".") as [string, string, string];
      const payload = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
      const reencode = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
      // Extend the validity.
      expectFailure(
        verifyToken(
          `${h}.${reencode({ ...payload, exp: (payload.exp as number) + 365 * 86400 })}.${s}`,
          agent,
        ),
        "bad-signature",
      );
      // Re-bind to another server.
      expectFailure(
        verifyToken(`${h}.${reencode({ ...payload, server: { jid: "evil.example.net" } })}.${s}`, {
          ...agent,
          expect: { serverJid: "evil.example.net" },
        }),
        "bad-signature",
      );
      const header = JSON.parse(Buffer.from(h, "base64url").toString()) as object;
      expectFailure(verifyToken(`${reencode({ ...header, kid: "x" })}.${p}.${s}`, agent), "bad-signature");
      const flipped = Buffer.from(s, "base64url");
      flipped[10] = flipped[10]! ^ 0x01;
      expectFailure(verifyToken(`${h}.${p}.${flipped.toString("base64url")}`, agent), "bad-signature");
    });

    it("bound to another server: server JID over XMPP, HTTPS host over HTTP", () => {
      const { jws } = general();
      expectFailure(
        verifyToken(jws, { ...agent, expect: { serverJid: "pnp.other.net" } }),
        "wrong-server",
        /pnp\.other\.net/,
      );
      expectFailure(
        verifyToken(jws, { ...agent, expect: { httpsHost: "other.example.net" } }),
        "wrong-server",
      );
      // A token naming only an HTTPS host does not authorize an XMPP server.
      const httpsOnly = signToken(signer, { deployment: DEPLOYMENT, httpsHost: HOST, ...window });
      expectFailure(verifyToken(httpsOnly.jws, agent), "wrong-server", /server JID null/);
    });

    it("UDI not listed: another device's token, or the agent's UDI unknown", () => {
      const { jws } = signToken(signer, {
        deployment: DEPLOYMENT,
        serverJid: SERVER,
        udis: ["PID:C9300-24P,VID:V02,SN:FOC9999Z9ZZ", "PID:C9300-48P,VID:V02,SN:FOC1234X0AB"],
        ...window,
      });
      expectFailure(verifyToken(jws, agent), "udi-not-listed", /FOC1234X0AB is not among the token's 2/);
      const { udi: _udi, ...noUdi } = agent;
      expectFailure(verifyToken(jws, noUdi), "udi-not-listed", /UDI is unknown/);
    });

    it("UDI not listed: a hand-made token with an empty UDI list covers nobody", () => {
      const payload = { ...general().claims, udis: [] };
      const jws = signRaw(signer, { alg: "RS256", typ: TOKEN_TYP, x5c: x5c(signer) }, payload);
      expectFailure(verifyToken(jws, agent), "udi-not-listed");
    });

    it("a token of another deployment, replayed to this server (same root, same binding), is refused", () => {
      const { jws } = signToken(signer, {
        deployment: "dep-b",
        serverJid: SERVER,
        httpsHost: HOST,
        ...window,
      });
      expectFailure(verifyToken(jws, agent), "wrong-deployment", /dep-b/);
      expect(verifyToken(jws, { ...agent, deploymentId: "dep-b" }).ok).toBe(true);
    });

    it("revoked: the id is in the agent's revoked set", () => {
      const { jws, claims } = general();
      expectFailure(verifyToken(jws, { ...agent, revokedIds: new Set(["other", claims.jti]) }), "revoked");
      expect(verifyToken(jws, { ...agent, revokedIds: new Set(["other"]) }).ok).toBe(true);
    });

    it("wrong issuer: iss that does not name the signing certificate", () => {
      const payload = { ...general().claims, iss: "Somebody Else" };
      const jws = signRaw(signer, { alg: "RS256", typ: TOKEN_TYP, x5c: x5c(signer) }, payload);
      expectFailure(verifyToken(jws, agent), "wrong-issuer");
    });

    it("malformed: structure, algorithm, typ, crit, x5c, claims", () => {
      const claims = general().claims;
      const good = { alg: "RS256", typ: TOKEN_TYP, x5c: x5c(signer) };
      const cases: [string, string][] = [
        ["", "empty"],
        ["a.b", "three"],
        ["!!.e30.AA", "header"],
        [signRaw(signer, { ...good, alg: "none" }, claims), "alg"],
        [signRaw(signer, { ...good, alg: "HS256" }, claims), "alg"],
        [signRaw(signer, { ...good, typ: REVOCATIONS_TYP }, claims), "typ"],
        [signRaw(signer, { ...good, crit: ["exp"] }, claims), "critical"],
        [signRaw(signer, { ...good, x5c: [] }, claims), "x5c"],
        [signRaw(signer, { ...good, x5c: ["bm90IGEgY2VydA=="] }, claims), "x5c\\[0\\]"],
        [signRaw(signer, good, { ...claims, ver: 2 }), "ver"],
        [signRaw(signer, good, { ...claims, exp: "tomorrow" }), "exp"],
        [signRaw(signer, good, { ...claims, deployment: undefined }), "deployment"],
        [signRaw(signer, good, { ...claims, server: {} }), "neither"],
        [signRaw(signer, good, { ...claims, udis: ["FOC1"] }), "udis"],
        [`${"a".repeat(70_000)}.b.c`, "longer"],
      ];
      for (const [jws, detail] of cases)
        expectFailure(verifyToken(jws, agent), "malformed", new RegExp(detail, "i"));
    });

    it("reports the first failing check in the documented order (signature before any claim)", () => {
      // Expired, other deployment, other server AND signed by an untrusted key: the signer is reported.
      const { jws } = signToken(otherSigner, {
        deployment: "dep-b",
        serverJid: "pnp.other.net",
        notBefore: new Date(now - 10 * DAY),
        notAfter: new Date(now - DAY),
      });
      expectFailure(verifyToken(jws, agent), "untrusted-signer");
      // Trusted now: deployment comes before time and binding.
      expectFailure(verifyToken(jws, { ...agent, trustAnchors: otherRoot.certPem }), "wrong-deployment");
    });

    it("needs the server the agent talks to", () => {
      expect(() => verifyToken(general().jws, { ...agent, expect: {} })).toThrow(TypeError);
    });
  });

  describe("revocation list", () => {
    it("verifies, and its ids revoke the token", () => {
      const { jws: token, claims } = general();
      const list = signRevocationList(signer, {
        deployment: DEPLOYMENT,
        revoked: [{ jti: claims.jti, at: 1 }],
      });
      const verdict = verifyRevocationList(list.jws, {
        trustAnchors: root.certPem,
        deploymentId: DEPLOYMENT,
        now,
      });
      if (!verdict.ok) throw new Error(verdict.detail);
      const ids = new Set(verdict.claims.revoked.map((r) => r.jti));
      expectFailure(verifyToken(token, { ...agent, revokedIds: ids }), "revoked");
    });

    it("is refused when signed under another root, tampered, of another deployment, or passed as a token", () => {
      const list = signRevocationList(otherSigner, {
        deployment: DEPLOYMENT,
        revoked: [{ jti: "x", at: 1 }],
      });
      const opts = { trustAnchors: root.certPem, deploymentId: DEPLOYMENT, now };
      expectFailure(verifyRevocationList(list.jws, opts), "untrusted-signer");
      const mine = signRevocationList(signer, { deployment: DEPLOYMENT, revoked: [{ jti: "x", at: 1 }] });
      const [h, , s] = mine.jws.split(".");
      const emptied = Buffer.from(JSON.stringify({ ...mine.claims, revoked: [] })).toString("base64url");
      expectFailure(verifyRevocationList(`${h}.${emptied}.${s}`, opts), "bad-signature");
      expectFailure(verifyRevocationList(mine.jws, { ...opts, deploymentId: "dep-b" }), "wrong-deployment");
      expectFailure(verifyToken(mine.jws, agent), "malformed", /typ/);
    });
  });

  describe("udiCovers", () => {
    it("matches SN and PID case-insensitively, VID when listed", () => {
      expect(udiCovers("PID:C9300-24P,VID:V02,SN:FOC1234X0AB", UDI)).toBe(true);
      expect(udiCovers("pid:c9300-24p,VID:,SN:foc1234x0ab", UDI)).toBe(true);
      expect(udiCovers("PID:C9300-24P,VID:V01,SN:FOC1234X0AB", UDI)).toBe(false);
      expect(udiCovers("PID:C9300-48P,VID:,SN:FOC1234X0AB", UDI)).toBe(false);
      expect(udiCovers("PID:C9300-24P,VID:,SN:FOC1234X0AC", UDI)).toBe(false);
      expect(udiCovers("garbage", UDI)).toBe(false);
    });
  });
});
