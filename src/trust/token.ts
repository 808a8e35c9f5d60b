// The server authorization token: a compact JWS (RFC 7515), RS256, carrying the signing certificate chain
// in `x5c`, signed by a token-signing certificate (extKeyUsage TOKEN_SIGNING_OID) that chains up to a
// trust anchor the agent holds. Also the signed revocation list, built the same way. Pure: no I/O.
// The format and every verification step are specified in TOKEN.md (same folder); keep the two in step.
//
// RSA signing and signature verification go through node:crypto (OpenSSL): native speed and OpenSSL's
// strict PKCS#1 v1.5 parsing. Certificates (parsing, chain signatures, extensions) go through node-forge,
// like the rest of src/trust.

import { createPrivateKey, createPublicKey, type KeyObject, randomUUID, sign, verify } from "node:crypto";
import forge from "node-forge";
import { tryParseUdi } from "../protocol/udi.js";
import {
  type Certificate,
  canonicalDnsName,
  canonicalIp,
  certificateFromPem,
  isCaCertificate,
  privateKeyToPem,
  type RsaPrivateKey,
  splitPemCertificates,
} from "./ca.js";

/**
 * extKeyUsage purpose "may sign PnP server authorization tokens". A UUID arc (2.25.<uuid>) would need no
 * registration, but node-forge cannot encode arcs above 32 bits (nor parse them above 53), so this is an
 * arc under IANA's documentation enterprise number 32473 (RFC 5612), which no organization owns: it cannot
 * clash with a real purpose. Replace it with an arc of the project's own PEN once one is registered;
 * verifiers take the OID as an option, so a deployment can move without a code change.
 */
export const TOKEN_SIGNING_OID = "1.3.6.1.4.1.32473.7470.1";
/** XML namespace of the token exchange over XMPP (`<token/>` in an iq get to the server JID). */
export const TOKEN_XMPP_NS = "urn:pnp-server:token:0";
/** JWS `typ` of a server authorization token. */
export const TOKEN_TYP = "pnp-server-token+jwt";
/** JWS `typ` of a signed revocation list. */
export const REVOCATIONS_TYP = "pnp-token-revocations+jwt";
export const TOKEN_VERSION = 1;
/** Longest compact JWS a verifier reads (tokens with a few hundred UDIs and a 3-certificate chain fit). */
export const MAX_JWS_LENGTH = 64 * 1024;
/** Most certificates `x5c` may carry (signer plus intermediates, optionally the root). */
export const MAX_CHAIN_LENGTH = 5;
export const DEFAULT_CLOCK_SKEW_SEC = 300;

const MIN_RSA_BITS = 2048;

/** The signed claims of a token (JSON payload of the JWS). Times are NumericDate: seconds since the epoch. */
export interface TokenClaims {
  ver: 1;
  /** Token id, unique: what `token revoke` names. */
  jti: string;
  /** The signing authority: the commonName of the signing certificate. */
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  /** The deployment this token belongs to; agents refuse tokens of other deployments. */
  deployment: string;
  /** The server the token is bound to: its XMPP server JID and/or its HTTPS host. At least one. */
  server: { jid?: string; httpsHost?: string };
  /** When present, the token covers only devices with these UDIs (never empty). */
  udis?: string[];
}

export interface RevokedEntry {
  jti: string;
  /** NumericDate of the revocation. */
  at: number;
}

/** The signed claims of a revocation list. Lists are cumulative: each holds every revocation so far. */
export interface RevocationListClaims {
  ver: 1;
  iss: string;
  iat: number;
  deployment: string;
  revoked: RevokedEntry[];
}

/** What signs: the token-signing certificate, its key, and the intermediates up to (not including) the root. */
export interface TokenSigner {
  cert: Certificate;
  key: RsaPrivateKey;
  intermediates: Certificate[];
}

export interface SignTokenInput {
  deployment: string;
  serverJid?: string;
  httpsHost?: string;
  udis?: readonly string[];
  notBefore: Date;
  notAfter: Date;
  /** Default: a random UUID. */
  id?: string;
  /** Default: now. */
  issuedAt?: Date;
}

export interface SignedToken {
  jws: string;
  claims: TokenClaims;
}

/** Stable codes of every verification failure, in the order the checks run (see TOKEN.md). */
export type TokenFailureCode =
  | "malformed"
  | "untrusted-signer"
  | "signer-not-authorized"
  | "signer-not-valid"
  | "bad-signature"
  | "wrong-issuer"
  | "wrong-deployment"
  | "not-yet-valid"
  | "expired"
  | "wrong-server"
  | "udi-not-listed"
  | "revoked";

/** The short text a refusing agent puts in its fault, per code. */
export const TOKEN_FAILURE_TEXT: Record<TokenFailureCode, string> = {
  malformed: "server token malformed",
  "untrusted-signer": "server token signer not trusted",
  "signer-not-authorized": "server token signer not allowed to sign tokens",
  "signer-not-valid": "server token signer certificate not valid now",
  "bad-signature": "server token signature invalid",
  "wrong-issuer": "server token issuer does not match its signer",
  "wrong-deployment": "server token from another deployment",
  "not-yet-valid": "server token not yet valid",
  expired: "server token expired",
  "wrong-server": "server token bound to another server",
  "udi-not-listed": "server token does not cover this device",
  revoked: "server token revoked",
};

export interface TokenFailure {
  ok: false;
  code: TokenFailureCode;
  /** TOKEN_FAILURE_TEXT[code]. */
  reason: string;
  /** What exactly was wrong, for logs and the fault's details. */
  detail: string;
}

export interface TokenSuccess {
  ok: true;
  claims: TokenClaims;
  /** The signing certificate's commonName and serial (hex). */
  signer: { commonName: string; serialNumber: string; notAfter: Date };
}

export type TokenVerdict = TokenSuccess | TokenFailure;

export interface TrustOptions {
  /** The trust anchors: one or more root certificates, PEM (a bundle), or parsed. */
  trustAnchors: string | readonly Certificate[];
  /** extKeyUsage the signing certificate must carry; default TOKEN_SIGNING_OID. */
  signingOid?: string;
  /** Verification time; default now. */
  now?: Date | number;
  /** Tolerated clock difference for every time check, in seconds; default 300. */
  clockSkewSec?: number;
}

export interface VerifyTokenOptions extends TrustOptions {
  /** The deployment the agent belongs to. */
  deploymentId: string;
  /** The server the agent is talking to: its server JID over XMPP, its HTTPS host over HTTP(S). At least one. */
  expect: { serverJid?: string; httpsHost?: string };
  /** The agent's own UDI; needed when the token lists UDIs. */
  udi?: string;
  /** Token ids the agent knows to be revoked (from verified revocation lists or its configuration). */
  revokedIds?: ReadonlySet<string>;
}

// ---------------------------------------------------------------------------------------------------
// Signing

/** Signs a server authorization token. Throws on input that would make an invalid token. */
export function signToken(signer: TokenSigner, input: SignTokenInput): SignedToken {
  if (!input.deployment.trim()) throw new Error("a token needs a deployment id");
  if (input.serverJid === undefined && input.httpsHost === undefined) {
    throw new Error("a token must be bound to a server: give its server JID and/or its HTTPS host");
  }
  const server: TokenClaims["server"] = {};
  if (input.serverJid !== undefined) server.jid = canonicalServerJid(input.serverJid);
  if (input.httpsHost !== undefined) server.httpsHost = canonicalHost(input.httpsHost);
  const nbf = toNumericDate(input.notBefore);
  const exp = toNumericDate(input.notAfter);
  if (exp <= nbf) throw new Error("notAfter must be later than notBefore");
  const claims: TokenClaims = {
    ver: TOKEN_VERSION,
    jti: input.id ?? randomUUID(),
    iss: commonNameOf(signer.cert),
    iat: toNumericDate(input.issuedAt ?? new Date()),
    nbf,
    exp,
    deployment: input.deployment,
    server,
  };
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(claims.jti)) throw new Error(`invalid token id ${claims.jti}`);
  if (input.udis !== undefined) {
    if (input.udis.length === 0) throw new Error("a UDI-scoped token needs at least one UDI");
    claims.udis = input.udis.map((udi) => {
      if (!tryParseUdi(udi)) throw new Error(`not a UDI: ${JSON.stringify(udi)}`);
      return udi.trim();
    });
  }
  return { jws: signJws(signer, TOKEN_TYP, claims), claims };
}

/** Signs a revocation list (every revoked token id of the deployment, with when it was revoked). */
export function signRevocationList(
  signer: TokenSigner,
  input: { deployment: string; revoked: readonly RevokedEntry[]; issuedAt?: Date },
): { jws: string; claims: RevocationListClaims } {
  const claims: RevocationListClaims = {
    ver: TOKEN_VERSION,
    iss: commonNameOf(signer.cert),
    iat: toNumericDate(input.issuedAt ?? new Date()),
    deployment: input.deployment,
    revoked: input.revoked.map((r) => ({ jti: r.jti, at: r.at })),
  };
  return { jws: signJws(signer, REVOCATIONS_TYP, claims), claims };
}

function signJws(signer: TokenSigner, typ: string, payload: object): string {
  const header = {
    alg: "RS256",
    typ,
    x5c: [signer.cert, ...signer.intermediates].map((c) =>
      Buffer.from(certificateDer(c), "binary").toString("base64"),
    ),
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = sign("sha256", Buffer.from(input, "ascii"), privateKeyObject(signer.key));
  return `${input}.${signature.toString("base64url")}`;
}

const keyObjects = new WeakMap<RsaPrivateKey, KeyObject>();

function privateKeyObject(key: RsaPrivateKey): KeyObject {
  let object = keyObjects.get(key);
  if (!object) {
    object = createPrivateKey(privateKeyToPem(key));
    keyObjects.set(key, object);
  }
  return object;
}

// ---------------------------------------------------------------------------------------------------
// Verification

/**
 * Verifies a token for one agent talking to one server. Never throws on token content: every failure is
 * a TokenFailure with a stable code. Checks run in the order of TokenFailureCode (see TOKEN.md); the
 * first failing one is reported. Throws only on a programming error (no expected server given).
 */
export function verifyToken(jws: string, options: VerifyTokenOptions): TokenVerdict {
  const { serverJid, httpsHost } = options.expect;
  if (serverJid === undefined && httpsHost === undefined) {
    throw new TypeError(
      "verifyToken needs the server the agent talks to (expect.serverJid or expect.httpsHost)",
    );
  }
  const signed = verifySignedJws(jws, TOKEN_TYP, options);
  if (!signed.ok) return signed;
  const { payload, signer } = signed;

  const claims = readTokenClaims(payload);
  if (typeof claims === "string") return fail("malformed", claims);
  const signerName = commonNameOf(signer);
  if (claims.iss !== signerName) {
    return fail("wrong-issuer", `iss ${JSON.stringify(claims.iss)}, signer ${JSON.stringify(signerName)}`);
  }
  if (claims.deployment !== options.deploymentId) {
    return fail(
      "wrong-deployment",
      `token of deployment ${JSON.stringify(claims.deployment)}, agent in ${JSON.stringify(options.deploymentId)}`,
    );
  }
  const now = nowSeconds(options.now);
  const skew = options.clockSkewSec ?? DEFAULT_CLOCK_SKEW_SEC;
  if (now < claims.nbf - skew) {
    return fail("not-yet-valid", `valid from ${isoOf(claims.nbf)}, now ${isoOf(now)}`);
  }
  if (now >= claims.exp + skew) {
    return fail("expired", `expired at ${isoOf(claims.exp)}, now ${isoOf(now)}`);
  }
  if (serverJid !== undefined) {
    const want = safeCanonical(canonicalServerJid, serverJid);
    if (
      claims.server.jid === undefined ||
      want === undefined ||
      safeCanonical(canonicalServerJid, claims.server.jid) !== want
    ) {
      return fail(
        "wrong-server",
        `token bound to server JID ${JSON.stringify(claims.server.jid ?? null)}, agent talks to ${JSON.stringify(serverJid)}`,
      );
    }
  }
  if (httpsHost !== undefined) {
    const want = safeCanonical(canonicalHost, httpsHost);
    if (
      claims.server.httpsHost === undefined ||
      want === undefined ||
      safeCanonical(canonicalHost, claims.server.httpsHost) !== want
    ) {
      return fail(
        "wrong-server",
        `token bound to HTTPS host ${JSON.stringify(claims.server.httpsHost ?? null)}, agent talks to ${JSON.stringify(httpsHost)}`,
      );
    }
  }
  if (claims.udis !== undefined) {
    if (options.udi === undefined)
      return fail("udi-not-listed", "the token lists UDIs and the agent's UDI is unknown");
    if (!claims.udis.some((listed) => udiCovers(listed, options.udi!))) {
      return fail("udi-not-listed", `${options.udi} is not among the token's ${claims.udis.length} UDI(s)`);
    }
  }
  if (options.revokedIds?.has(claims.jti)) return fail("revoked", `token ${claims.jti} is revoked`);
  return {
    ok: true,
    claims,
    signer: {
      commonName: signerName,
      serialNumber: signer.serialNumber,
      notAfter: signer.validity.notAfter,
    },
  };
}

export type RevocationListVerdict = { ok: true; claims: RevocationListClaims } | TokenFailure;

/** Verifies a signed revocation list: same signature and chain rules as a token, same deployment. */
export function verifyRevocationList(
  jws: string,
  options: TrustOptions & { deploymentId: string },
): RevocationListVerdict {
  const signed = verifySignedJws(jws, REVOCATIONS_TYP, options);
  if (!signed.ok) return signed;
  const p = signed.payload;
  if (
    p.ver !== TOKEN_VERSION ||
    typeof p.iss !== "string" ||
    !isNumericDate(p.iat) ||
    typeof p.deployment !== "string" ||
    !Array.isArray(p.revoked) ||
    !p.revoked.every(
      (r: unknown) =>
        typeof r === "object" &&
        r !== null &&
        typeof (r as RevokedEntry).jti === "string" &&
        isNumericDate((r as RevokedEntry).at),
    )
  ) {
    return fail("malformed", "revocation list claims are incomplete or of the wrong type");
  }
  if (p.iss !== commonNameOf(signed.signer))
    return fail("wrong-issuer", "revocation list iss does not name its signer");
  if (p.deployment !== options.deploymentId) {
    return fail("wrong-deployment", `revocation list of deployment ${JSON.stringify(p.deployment)}`);
  }
  return { ok: true, claims: p as unknown as RevocationListClaims };
}

/**
 * Decodes a token's claims WITHOUT verifying anything (for listings and the server's own bookkeeping).
 * Throws when it is not a compact JWS with a JSON payload.
 */
export function decodeTokenUnverified(jws: string): { header: Record<string, unknown>; claims: TokenClaims } {
  const parts = jws.split(".");
  if (parts.length !== 3) throw new Error("not a compact JWS");
  const header = parseJsonPart(parts[0]!);
  const payload = parseJsonPart(parts[1]!);
  if (!header || !payload) throw new Error("not a compact JWS with JSON header and payload");
  const claims = readTokenClaims(payload);
  if (typeof claims === "string") throw new Error(claims);
  return { header, claims };
}

/**
 * Checks that `chain[0]` may sign tokens and chains to an anchor (the checks of verification steps 3–5).
 * Used by the signing authority on import and by verification.
 */
export function checkSigningChain(
  chain: readonly Certificate[],
  options: TrustOptions,
): TokenFailure | undefined {
  const anchors = parseAnchors(options.trustAnchors);
  if (anchors.length === 0) return fail("untrusted-signer", "no trust anchor configured");
  const at = nowSeconds(options.now) * 1000;
  const skewMs = (options.clockSkewSec ?? DEFAULT_CLOCK_SKEW_SEC) * 1000;
  const signer = chain[0];
  if (!signer) return fail("malformed", "no signing certificate");

  // Step 3: a path from the signer through the given intermediates to an anchor, every signature valid.
  const path: Certificate[] = [signer];
  let anchor: Certificate | undefined;
  for (let i = 0; ; i++) {
    const current = path[path.length - 1]!;
    anchor = anchors.find((a) => issued(a, current));
    if (anchor) break;
    const next = chain[i + 1];
    if (!next) {
      return fail(
        "untrusted-signer",
        `${describeCert(current)} was not issued by a trust anchor and the chain has no issuer for it`,
      );
    }
    if (!issued(next, current)) {
      return fail(
        "untrusted-signer",
        `x5c[${i + 1}] ${describeCert(next)} did not issue ${describeCert(current)}`,
      );
    }
    path.push(next);
  }
  // Intermediates (path[1..]) must be CAs allowed to sign certificates, within their path length.
  for (let i = 1; i < path.length; i++) {
    const ca = path[i]!;
    const problem = caProblem(ca, i - 1);
    if (problem) return fail("untrusted-signer", `${describeCert(ca)}: ${problem}`);
  }
  const anchorProblem = path.length > 1 || anchor !== signer ? caProblem(anchor, path.length - 1) : undefined;
  if (anchorProblem)
    return fail("untrusted-signer", `trust anchor ${describeCert(anchor)}: ${anchorProblem}`);
  for (const cert of [...path, anchor]) {
    const critical = unknownCriticalExtension(cert);
    if (critical)
      return fail(
        "untrusted-signer",
        `${describeCert(cert)} has an unsupported critical extension ${critical}`,
      );
  }

  // Step 4: the signer may sign tokens.
  const oid = options.signingOid ?? TOKEN_SIGNING_OID;
  const eku = signer.getExtension("extKeyUsage") as Record<string, unknown> | null;
  if (eku?.[oid] !== true) {
    return fail("signer-not-authorized", `${describeCert(signer)} lacks extKeyUsage ${oid}`);
  }
  const ku = signer.getExtension("keyUsage") as { digitalSignature?: boolean } | null;
  if (ku && ku.digitalSignature !== true) {
    return fail("signer-not-authorized", `${describeCert(signer)} lacks keyUsage digitalSignature`);
  }
  if (isCaCertificate(signer)) {
    return fail(
      "signer-not-authorized",
      `${describeCert(signer)} is a CA certificate; CA keys do not sign tokens`,
    );
  }
  const bits = (signer.publicKey as { n?: forge.jsbn.BigInteger }).n?.bitLength() ?? 0;
  if (bits < MIN_RSA_BITS) {
    return fail(
      "signer-not-authorized",
      `${describeCert(signer)} has a ${bits}-bit key (at least ${MIN_RSA_BITS})`,
    );
  }

  // Step 5: every certificate of the path, anchor included, is within its validity at verification time.
  for (const cert of [...path, anchor]) {
    if (at + skewMs < cert.validity.notBefore.getTime()) {
      return fail(
        "signer-not-valid",
        `${describeCert(cert)} is valid only from ${cert.validity.notBefore.toISOString()}`,
      );
    }
    if (at - skewMs > cert.validity.notAfter.getTime()) {
      return fail(
        "signer-not-valid",
        `${describeCert(cert)} expired at ${cert.validity.notAfter.toISOString()}`,
      );
    }
  }
  return undefined;
}

type SignedJws =
  | { ok: true; header: Record<string, unknown>; payload: Record<string, unknown>; signer: Certificate }
  | TokenFailure;

/** Steps 1–6: structure, header, chain, signer, validity of the chain, signature. */
function verifySignedJws(jws: string, typ: string, options: TrustOptions): SignedJws {
  // Step 1: three base64url parts, JSON objects.
  if (typeof jws !== "string" || jws.length === 0) return fail("malformed", "empty token");
  if (jws.length > MAX_JWS_LENGTH) return fail("malformed", `longer than ${MAX_JWS_LENGTH} characters`);
  const parts = jws.trim().split(".");
  if (parts.length !== 3) return fail("malformed", "a compact JWS has three dot-separated parts");
  const [h, p, s] = parts as [string, string, string];
  const header = parseJsonPart(h);
  if (!header) return fail("malformed", "header is not base64url JSON object");
  const payload = parseJsonPart(p);
  if (!payload) return fail("malformed", "payload is not base64url JSON object");
  const signature = decodeB64url(s);
  if (!signature || signature.length === 0) return fail("malformed", "signature is not base64url");

  // Step 2: the header.
  if (header.alg !== "RS256")
    return fail("malformed", `alg ${JSON.stringify(header.alg)}, only RS256 is accepted`);
  if (header.typ !== typ) return fail("malformed", `typ ${JSON.stringify(header.typ)}, expected ${typ}`);
  if (header.crit !== undefined) return fail("malformed", "no critical header parameter is understood");
  const x5c = header.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > MAX_CHAIN_LENGTH) {
    return fail("malformed", `x5c must be an array of 1 to ${MAX_CHAIN_LENGTH} certificates`);
  }
  const chain: Certificate[] = [];
  for (const [i, entry] of x5c.entries()) {
    const cert = typeof entry === "string" ? certificateFromBase64Der(entry) : undefined;
    if (!cert) return fail("malformed", `x5c[${i}] is not a base64 DER RSA certificate`);
    chain.push(cert);
  }

  // Steps 3–5: chain to an anchor, signer allowed, certificates valid now.
  const chainProblem = checkSigningChain(chain, options);
  if (chainProblem) return chainProblem;

  // Step 6: the signature over the ASCII of "<header>.<payload>", RSASSA-PKCS1-v1_5 with SHA-256.
  const signer = chain[0]!;
  let good = false;
  try {
    const publicKey = createPublicKey(forge.pki.publicKeyToPem(signer.publicKey));
    good = verify("sha256", Buffer.from(`${h}.${p}`, "ascii"), publicKey, signature);
  } catch {
    good = false;
  }
  if (!good) return fail("bad-signature", `signature does not verify with ${describeCert(signer)}`);
  return { ok: true, header, payload, signer };
}

/** Step 7: the claims, typed; a string says what is wrong. */
function readTokenClaims(p: Record<string, unknown>): TokenClaims | string {
  if (p.ver !== TOKEN_VERSION) return `unsupported ver ${JSON.stringify(p.ver)}`;
  if (typeof p.jti !== "string" || !/^[A-Za-z0-9._:-]{1,128}$/.test(p.jti)) return "jti missing or invalid";
  if (typeof p.iss !== "string" || p.iss === "") return "iss missing";
  for (const name of ["iat", "nbf", "exp"] as const) {
    if (!isNumericDate(p[name])) return `${name} must be a whole number of seconds`;
  }
  if ((p.exp as number) <= (p.nbf as number)) return "exp must be later than nbf";
  if (typeof p.deployment !== "string" || p.deployment === "") return "deployment missing";
  const server = p.server as Record<string, unknown> | undefined;
  if (typeof server !== "object" || server === null || Array.isArray(server)) return "server missing";
  if (server.jid !== undefined && typeof server.jid !== "string") return "server.jid must be a string";
  if (server.httpsHost !== undefined && typeof server.httpsHost !== "string")
    return "server.httpsHost must be a string";
  if (server.jid === undefined && server.httpsHost === undefined)
    return "server names neither jid nor httpsHost";
  if (p.udis !== undefined) {
    if (!Array.isArray(p.udis) || !p.udis.every((u) => typeof u === "string" && tryParseUdi(u))) {
      return "udis must be an array of PID:…,VID:…,SN:… strings";
    }
  }
  const claims: TokenClaims = {
    ver: TOKEN_VERSION,
    jti: p.jti,
    iss: p.iss,
    iat: p.iat as number,
    nbf: p.nbf as number,
    exp: p.exp as number,
    deployment: p.deployment,
    server: {
      ...(server.jid !== undefined ? { jid: server.jid as string } : {}),
      ...(server.httpsHost !== undefined ? { httpsHost: server.httpsHost as string } : {}),
    },
  };
  if (p.udis !== undefined) claims.udis = p.udis as string[];
  return claims;
}

// ---------------------------------------------------------------------------------------------------
// Names and UDIs

/**
 * True when the listed UDI covers `udi`: same SN and same PID (case-insensitive), and the same VID
 * unless the listed VID is empty (a hardware revision the issuer did not know).
 */
export function udiCovers(listed: string, udi: string): boolean {
  const a = tryParseUdi(listed);
  const b = tryParseUdi(udi);
  if (!a || !b) return false;
  const same = (x: string, y: string) => x.toUpperCase() === y.toUpperCase();
  return same(a.sn, b.sn) && same(a.pid, b.pid) && (a.vid === "" || same(a.vid, b.vid));
}

/** A server JID as tokens carry it: trimmed, lower-cased, no resource; a domain or local@domain. */
export function canonicalServerJid(jid: string): string {
  const value = jid.trim().toLowerCase();
  if (!/^(?:[^@/\s"&'<>:]+@)?[^@/\s]+$/.test(value))
    throw new Error(`not a bare JID: ${JSON.stringify(jid)}`);
  const at = value.lastIndexOf("@");
  canonicalDnsName(value.slice(at + 1));
  return value;
}

/** An HTTPS host as tokens carry it: a DNS name (lower case) or an IP address (canonical), no port. */
export function canonicalHost(host: string): string {
  const value = host.trim().replace(/^\[(.*)\]$/, "$1");
  try {
    return canonicalIp(value);
  } catch {
    return canonicalDnsName(value);
  }
}

function safeCanonical(fn: (v: string) => string, value: string): string | undefined {
  try {
    return fn(value);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Internals

function fail(code: TokenFailureCode, detail: string): TokenFailure {
  return { ok: false, code, reason: TOKEN_FAILURE_TEXT[code], detail };
}

function b64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

/** Strict base64url: the alphabet only, no padding, canonical (re-encodes to the same text). */
function decodeB64url(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : undefined;
}

function parseJsonPart(text: string): Record<string, unknown> | undefined {
  const bytes = decodeB64url(text);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function certificateFromBase64Der(text: string): Certificate | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  try {
    const der = Buffer.from(text, "base64");
    if (der.toString("base64") !== text) return undefined;
    return forge.pki.certificateFromAsn1(forge.asn1.fromDer(der.toString("binary")));
  } catch {
    return undefined;
  }
}

function certificateDer(cert: Certificate): string {
  return forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
}

function parseAnchors(anchors: string | readonly Certificate[]): Certificate[] {
  if (typeof anchors !== "string") return [...anchors];
  return splitPemCertificates(anchors).map((pem) => certificateFromPem(pem));
}

/** Parses a PEM bundle of trust anchors once (agents keep the result). Throws on unreadable PEM. */
export function parseTrustAnchors(pem: string): Certificate[] {
  const anchors = parseAnchors(pem);
  if (anchors.length === 0) throw new Error("no certificate in the trust anchor PEM");
  return anchors;
}

/** `parent` signed `child` (names match and the signature verifies). */
function issued(parent: Certificate, child: Certificate): boolean {
  try {
    return parent.verify(child);
  } catch {
    return false; // forge throws when the issuer name does not match
  }
}

/** Why `ca` may not issue the certificate below it (`below` CA certificates between them), or undefined. */
function caProblem(ca: Certificate, below: number): string | undefined {
  const bc = ca.getExtension("basicConstraints") as { cA?: boolean; pathLenConstraint?: number } | null;
  if (bc?.cA !== true) return "not a CA (basicConstraints cA)";
  const ku = ca.getExtension("keyUsage") as { keyCertSign?: boolean } | null;
  if (ku && ku.keyCertSign !== true) return "lacks keyUsage keyCertSign";
  if (typeof bc.pathLenConstraint === "number" && below > bc.pathLenConstraint) {
    return `pathLenConstraint ${bc.pathLenConstraint} exceeded`;
  }
  return undefined;
}

const UNDERSTOOD_EXTENSIONS = new Set([
  "basicConstraints",
  "keyUsage",
  "extKeyUsage",
  "subjectAltName",
  "subjectKeyIdentifier",
  "authorityKeyIdentifier",
  "certificatePolicies",
  "cRLDistributionPoints",
  "authorityInfoAccess",
]);

function unknownCriticalExtension(cert: Certificate): string | undefined {
  for (const ext of cert.extensions as { name?: string; id?: string; critical?: boolean }[]) {
    if (ext.critical && !(ext.name && UNDERSTOOD_EXTENSIONS.has(ext.name))) return ext.name ?? ext.id ?? "?";
  }
  return undefined;
}

function commonNameOf(cert: Certificate): string {
  const field = cert.subject.getField("CN") as { value?: string } | null;
  const raw = field?.value ?? "";
  // forge keeps UTF8String values as raw bytes when parsing; decode them for comparison and display.
  try {
    return forge.util.decodeUtf8(raw);
  } catch {
    return raw;
  }
}

function describeCert(cert: Certificate): string {
  return `${JSON.stringify(commonNameOf(cert))} (serial ${cert.serialNumber})`;
}

function isNumericDate(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function toNumericDate(date: Date): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new Error("invalid date");
  return Math.floor(ms / 1000);
}

function nowSeconds(now: Date | number | undefined): number {
  const ms = now === undefined ? Date.now() : typeof now === "number" ? now : now.getTime();
  return Math.floor(ms / 1000);
}

function isoOf(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
