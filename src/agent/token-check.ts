// The agent side of the server authorization token (src/trust/TOKEN.md): after each login the agent asks
// the server JID for its token, verifies it against its trust anchor, its deployment id, the server JID it
// talks to and its own UDI, and, while that verification has not succeeded, answers every service request
// from that server with a fault saying why ("server token expired"). Requests that arrive while the check
// is in flight wait for it.

import { EventEmitter } from "node:events";
import { xml } from "@xmpp/client";
import type { Element } from "ltx";
import { buildFault } from "../protocol/index.js";
import type { Certificate } from "../trust/ca.js";
import {
  parseTrustAnchors,
  TOKEN_XMPP_NS,
  type TokenFailureCode,
  type TokenSuccess,
  verifyRevocationList,
  verifyToken,
} from "../trust/token.js";

export interface TokenCheckOptions {
  /** The trust anchor(s): root certificate(s), PEM. */
  trustAnchorPem: string;
  /** The deployment the agent belongs to: tokens of any other deployment are refused. */
  deploymentId: string;
  /** Signed revocation lists given to the agent out of band (configuration); each must verify. */
  revocationLists?: readonly string[];
  /** Token ids the agent is told are revoked (configuration). */
  revokedIds?: readonly string[];
  /** Tolerated clock difference, seconds; default 300. */
  clockSkewSec?: number;
  /** extKeyUsage the signer must carry; default TOKEN_SIGNING_OID. */
  signingOid?: string;
  /** How long to wait for the server's answer; default 10 000 ms. */
  timeoutMs?: number;
  /** The agent's clock in ms (tests); default Date.now. */
  now?: () => number;
}

/** Trust prepared once (anchors parsed, provisioned revocation lists verified) and shared by a fleet. */
export interface TokenTrust {
  readonly options: TokenCheckOptions;
  readonly anchors: readonly Certificate[];
  readonly revokedIds: ReadonlySet<string>;
}

/** Failures of the exchange itself, before there is a token to verify. */
export type ExchangeFailureCode = "no-token" | "request-failed" | "bad-answer";

export const EXCHANGE_FAILURE_TEXT: Record<ExchangeFailureCode, string> = {
  "no-token": "server has no token",
  "request-failed": "server token request failed",
  "bad-answer": "server token answer malformed",
};

export interface TokenCheckFailure {
  ok: false;
  code: TokenFailureCode | ExchangeFailureCode;
  reason: string;
  detail: string;
}

export type TokenCheckResult = TokenSuccess | TokenCheckFailure;

/** Sends an iq and resolves with the reply iq (rejects on an iq error, with `condition`, or a timeout). */
export type TokenRequester = (iq: Element, timeoutMs: number) => Promise<Element>;

/** Parses the anchors and verifies the provisioned revocation lists; throws on a configuration error. */
export function prepareTokenTrust(options: TokenCheckOptions): TokenTrust {
  if (!options.deploymentId) throw new Error("token check: a deploymentId is required");
  const anchors = parseTrustAnchors(options.trustAnchorPem);
  const revoked = new Set(options.revokedIds ?? []);
  for (const [i, jws] of (options.revocationLists ?? []).entries()) {
    const verdict = verifyRevocationList(jws, {
      trustAnchors: anchors,
      deploymentId: options.deploymentId,
      ...trustTiming(options),
    });
    if (!verdict.ok)
      throw new Error(`token check: revocation list ${i}: ${verdict.reason}: ${verdict.detail}`);
    for (const entry of verdict.claims.revoked) revoked.add(entry.jti);
  }
  return Object.freeze({ options, anchors: Object.freeze(anchors), revokedIds: revoked });
}

export interface ServerTokenGateIo {
  /** The server JID the agent is configured with (its `server-jid`). */
  serverJid: string;
  /** The agent's own UDI (undefined when unknown). */
  udi(): string | undefined;
  request: TokenRequester;
}

/**
 * One agent's token state for its server. Events: "verdict" (TokenCheckResult) after each check.
 * `check()` returns the current session's verdict, fetching and verifying once per session;
 * `invalidate()` (at logout or a lost session) makes the next call check again.
 */
export class ServerTokenGate extends EventEmitter {
  private current: Promise<TokenCheckResult> | undefined;
  private lastResult: TokenCheckResult | undefined;
  /** Revocations learnt from verified lists the server handed out (kept across sessions). */
  private readonly learnt = new Set<string>();

  constructor(
    readonly trust: TokenTrust,
    private readonly io: ServerTokenGateIo,
  ) {
    super();
  }

  /** Checks again after each login; forgets the verdict when the session ends. */
  attach(agent: EventEmitter): this {
    agent.on("online", () => {
      this.invalidate();
      void this.check();
    });
    agent.on("disconnect", () => this.invalidate());
    return this;
  }

  get last(): TokenCheckResult | undefined {
    return this.lastResult;
  }

  invalidate(): void {
    this.current = undefined;
  }

  check(): Promise<TokenCheckResult> {
    if (!this.current) {
      const run = this.fetchAndVerify().then((result) => {
        if (this.current === run) this.lastResult = result;
        this.emit("verdict", result);
        return result;
      });
      this.current = run;
    }
    return this.current;
  }

  /** The fault to answer a service request with, or undefined when the token verified for this session. */
  async refusal(): Promise<Element | undefined> {
    const result = await this.check();
    if (result.ok) return undefined;
    return buildFault(
      { udi: this.ownUdi() ?? "PID:,VID:,SN:UNKNOWN" },
      { faultCode: "XSVC:Client", faultString: result.reason, details: `${result.code}: ${result.detail}` },
    );
  }

  private ownUdi(): string | undefined {
    try {
      return this.io.udi() || undefined;
    } catch {
      return undefined; // a model without a UDI yet: UDI-scoped tokens then fail as udi-not-listed
    }
  }

  private async fetchAndVerify(): Promise<TokenCheckResult> {
    const { options } = this.trust;
    const udi = this.ownUdi();
    const query = xml("token", udi ? { xmlns: TOKEN_XMPP_NS, udi } : { xmlns: TOKEN_XMPP_NS });
    let reply: Element;
    try {
      reply = await this.io.request(
        xml("iq", { type: "get", to: this.io.serverJid }, query) as unknown as Element,
        options.timeoutMs ?? 10_000,
      );
    } catch (err) {
      const condition = (err as { condition?: string }).condition;
      if (condition === "item-not-found") {
        return exchangeFailure("no-token", `the server answered item-not-found${errorText(err)}`);
      }
      return exchangeFailure(
        "request-failed",
        condition ? `iq error ${condition}${errorText(err)}` : String((err as Error).message ?? err),
      );
    }
    const from = String(reply.attrs.from ?? "").toLowerCase();
    if (from !== this.io.serverJid.toLowerCase()) {
      return exchangeFailure("bad-answer", `answer from ${JSON.stringify(from)}, not the server JID`);
    }
    const token = reply.getChild("token", TOKEN_XMPP_NS);
    const jws = token?.getChildText("jws")?.trim();
    if (!token || !jws) return exchangeFailure("bad-answer", "the result holds no <token><jws/></token>");

    const timing = trustTiming(options);
    // A revocation list the server hands out counts only if it verifies (a server cannot forge one,
    // though a revoked server may withhold it: see TOKEN.md).
    const listJws = token.getChildText("revocations")?.trim();
    if (listJws) {
      const list = verifyRevocationList(listJws, {
        trustAnchors: this.trust.anchors,
        deploymentId: options.deploymentId,
        ...timing,
      });
      if (list.ok) for (const entry of list.claims.revoked) this.learnt.add(entry.jti);
    }
    return verifyToken(jws, {
      trustAnchors: this.trust.anchors,
      deploymentId: options.deploymentId,
      expect: { serverJid: this.io.serverJid },
      ...(udi ? { udi } : {}),
      revokedIds: union(this.trust.revokedIds, this.learnt),
      ...timing,
    });
  }
}

function trustTiming(options: TokenCheckOptions) {
  return {
    ...(options.now ? { now: options.now() } : {}),
    ...(options.clockSkewSec !== undefined ? { clockSkewSec: options.clockSkewSec } : {}),
    ...(options.signingOid !== undefined ? { signingOid: options.signingOid } : {}),
  };
}

function union(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
  if (b.size === 0) return a;
  return new Set([...a, ...b]);
}

function exchangeFailure(code: ExchangeFailureCode, detail: string): TokenCheckFailure {
  return { ok: false, code, reason: EXCHANGE_FAILURE_TEXT[code], detail };
}

function errorText(err: unknown): string {
  const text = (err as { text?: string }).text;
  return text ? ` (${text})` : "";
}
