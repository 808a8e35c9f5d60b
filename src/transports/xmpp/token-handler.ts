// The server side of the token exchange (contract: README.md "Server authorization token", and
// src/trust/TOKEN.md): an agent sends `<iq type="get" to="<server JID>"><token xmlns="urn:pnp-server:token:0"/></iq>`
// and gets the active token for it, or an iq error.

import { type Middleware, xml } from "@xmpp/component";
import type { Element } from "ltx";
import type { Logger } from "../../log/logger.js";
import { tryParseUdi } from "../../protocol/udi.js";
import type { RedisDeviceStore } from "../../store/device-store.js";
import type { RedisTokenStore } from "../../store/token-store.js";
import { TOKEN_XMPP_NS } from "../../trust/token.js";
import { deviceIdOf } from "./addresses.js";

const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

export interface TokenHandlerDeps {
  tokens: RedisTokenStore;
  /** Where the device's UDI learnt from device-info is (a UDI-scoped token may cover it). */
  devices?: RedisDeviceStore;
  /** Our server JID (the component domain): the JID tokens must be bound to. */
  serverJid: string;
  xmppDomain: string;
  logger: Logger;
  /** The current time in ms (Redis time: one clock for every instance). */
  now(): Promise<number>;
}

/** An iq error child, `<error type><condition/><text/></error>`, for the iq callee to wrap. */
function stanzaError(type: "auth" | "cancel" | "modify" | "wait", condition: string, text: string): Element {
  return xml(
    "error",
    { type },
    xml(condition, { xmlns: NS_STANZAS }),
    xml("text", { xmlns: NS_STANZAS, "xml:lang": "en" }, text),
  );
}

/** True for `<iq type="get">` whose only child is `<token xmlns="urn:pnp-server:token:0"/>`, sent to our domain. */
function isTokenQuery(stanza: Element, type: string, to: { local: string } | null): boolean {
  if (stanza.name !== "iq" || type !== "get") return false;
  if (to?.local) return false;
  const children = stanza.getChildElements();
  return children.length === 1 && children[0]!.name === "token" && children[0]!.attrs.xmlns === TOKEN_XMPP_NS;
}

/**
 * Answers token queries. Result: `<token xmlns><jws>…</jws>[<revocations>…</revocations>]</token>`.
 * Errors: forbidden (not a device of our XMPP domain), bad-request (a `udi` attribute that is not a UDI),
 * item-not-found (no active token for this device), internal-server-error (Redis failed).
 */
export function tokenHandler(deps: TokenHandlerDeps): Middleware {
  const { tokens, devices, serverJid, xmppDomain, logger } = deps;
  return async (ctx, next) => {
    const { stanza } = ctx;
    if (!isTokenQuery(stanza, ctx.type, ctx.to)) return next();
    const device = deviceIdOf(ctx.from, xmppDomain);
    if (!device) {
      logger.debug({ from: String(ctx.from) }, "token query from outside the device domain refused");
      return stanzaError("auth", "forbidden", "only devices of this deployment may ask for the server token");
    }
    const request = stanza.getChildElements()[0]!;
    const claimedUdi = request.attrs.udi as string | undefined;
    if (claimedUdi !== undefined && !tryParseUdi(claimedUdi)) {
      return stanzaError("modify", "bad-request", "the udi attribute is not a PID:…,VID:…,SN:… UDI");
    }
    try {
      const udis: string[] = [];
      if (claimedUdi !== undefined) udis.push(claimedUdi);
      const known = await devices?.get(device);
      if (known?.udi && tryParseUdi(known.udi)) udis.push(known.udi);
      const now = await deps.now();
      const token = await tokens.activeFor(serverJid, { udis, serials: [device] }, now);
      if (!token) {
        logger.info({ device }, "token query: no active server token for this device");
        return stanzaError("cancel", "item-not-found", "no active server token for this device");
      }
      const revocations = await tokens.revocationList();
      logger.debug({ device, tokenId: token.id, scoped: token.udis !== undefined }, "server token presented");
      const answer = xml("token", { xmlns: TOKEN_XMPP_NS }, xml("jws", {}, token.jws));
      if (revocations) answer.append(xml("revocations", {}, revocations));
      return answer;
    } catch (err) {
      logger.error({ err, device }, "token query failed");
      return stanzaError("wait", "internal-server-error", "the server could not look up its token");
    }
  };
}
