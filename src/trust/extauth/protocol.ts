/**
 * ejabberd's external-auth protocol (extauth.erl, `open_port({spawn, Program}, [{packet, 2}])`): every
 * request and every reply is a 2-byte big-endian length, then that many bytes. A request is
 * `op:user:server[:password]` in UTF-8 (the password, last, may itself contain ':'); the reply is the
 * 16-bit integer 1 (yes) or 0 (no). ejabberd sends one request per program at a time and waits.
 */

export type ExtauthRequest =
  | { op: "auth" | "setpass" | "tryregister" | "removeuser3"; user: string; server: string; password: string }
  | { op: "isuser" | "removeuser"; user: string; server: string }
  | { op: "unknown"; name: string };

const WITH_PASSWORD = new Set(["auth", "setpass", "tryregister", "removeuser3"]);
const WITHOUT_PASSWORD = new Set(["isuser", "removeuser"]);

export function parseExtauthRequest(text: string): ExtauthRequest {
  const first = text.indexOf(":");
  const op = first < 0 ? text : text.slice(0, first);
  const rest = first < 0 ? "" : text.slice(first + 1);
  if (WITH_PASSWORD.has(op)) {
    const a = rest.indexOf(":");
    const b = a < 0 ? -1 : rest.indexOf(":", a + 1);
    if (b < 0) return { op: "unknown", name: op };
    return {
      op: op as "auth",
      user: rest.slice(0, a),
      server: rest.slice(a + 1, b),
      password: rest.slice(b + 1),
    };
  }
  if (WITHOUT_PASSWORD.has(op)) {
    const a = rest.indexOf(":");
    if (a < 0) return { op: "unknown", name: op };
    return { op: op as "isuser", user: rest.slice(0, a), server: rest.slice(a + 1) };
  }
  return { op: "unknown", name: op.slice(0, 32) };
}

/** The reply frame: length 2, then 0x0001 or 0x0000. */
export function encodeExtauthReply(yes: boolean): Buffer {
  return Buffer.from([0, 2, 0, yes ? 1 : 0]);
}

/** Encodes a request as ejabberd does (for tests and the benchmark). */
export function encodeExtauthRequest(text: string): Buffer {
  const body = Buffer.from(text, "utf8");
  if (body.length > 0xffff) throw new Error("an extauth frame holds at most 65535 bytes");
  const head = Buffer.alloc(2);
  head.writeUInt16BE(body.length);
  return Buffer.concat([head, body]);
}

/** Cuts a byte stream into frames, whatever the chunking. */
export class ExtauthFrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    while (this.pending.length >= 2) {
      const length = this.pending.readUInt16BE(0);
      if (this.pending.length < 2 + length) break;
      frames.push(this.pending.subarray(2, 2 + length));
      this.pending = this.pending.subarray(2 + length);
    }
    return frames;
  }
}
