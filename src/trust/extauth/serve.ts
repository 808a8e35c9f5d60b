import type { Readable, Writable } from "node:stream";
import { type AuthLookup, DEVICE_ID, decideLogin, type LoginDecision } from "../credentials.js";
import {
  ExtauthFrameDecoder,
  type ExtauthRequest,
  encodeExtauthReply,
  parseExtauthRequest,
} from "./protocol.js";

export interface ExtauthHandlerOptions {
  /** The only domain devices log in to; any other server in a request is refused. */
  xmppDomain: string;
  lookup(id: string): Promise<AuthLookup>;
  /** Told about every refused login and every failed lookup (never the password). */
  log?: (entry: { op: string; user: string; decision: LoginDecision | "error"; error?: string }) => void;
}

/**
 * Answers one request. `auth` follows decideLogin; `isuser` is yes for an inventory device with an
 * active credential. ejabberd never creates, changes or removes accounts here (setpass, tryregister,
 * removeuser*): credentials change only through `pnpctl credentials`. A failed lookup answers no.
 */
export async function answerExtauth(
  request: ExtauthRequest,
  options: ExtauthHandlerOptions,
): Promise<boolean> {
  if (request.op !== "auth" && request.op !== "isuser") return false;
  if (request.server !== options.xmppDomain) return false;
  const user = request.user;
  if (!DEVICE_ID.test(user)) {
    if (request.op === "auth") options.log?.({ op: "auth", user: user.slice(0, 64), decision: "bad-id" });
    return false;
  }
  try {
    const lookup = await options.lookup(user);
    // isuser passes no password: it asks whether the account may log in at all.
    const decision = decideLogin(user, request.op === "auth" ? request.password : null, lookup);
    if (decision !== "ok" && request.op === "auth") options.log?.({ op: "auth", user, decision });
    return decision === "ok";
  } catch (err) {
    options.log?.({ op: request.op, user, decision: "error", error: (err as Error).message });
    return false;
  }
}

/**
 * Serves the protocol on a pair of streams (the program's stdin and stdout). Requests are answered
 * concurrently and the replies written in request order. Resolves when the input ends (ejabberd stopped
 * or restarted its worker).
 */
export function serveExtauth(
  input: Readable,
  output: Writable,
  options: ExtauthHandlerOptions,
): Promise<void> {
  const decoder = new ExtauthFrameDecoder();
  let chain: Promise<void> = Promise.resolve();
  return new Promise((resolve, reject) => {
    input.on("data", (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        const answer = answerExtauth(parseExtauthRequest(frame.toString("utf8")), options);
        chain = chain.then(async () => {
          output.write(encodeExtauthReply(await answer));
        });
      }
    });
    input.once("end", () => chain.then(resolve, reject));
    input.once("error", reject);
  });
}
