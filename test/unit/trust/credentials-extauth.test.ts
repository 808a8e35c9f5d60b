import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { externalAuthYaml } from "../../../src/localstack/ejabberd.js";
import { type AuthLookup, hashNewPassword } from "../../../src/trust/credentials.js";
import { extauthProgram } from "../../../src/trust/extauth/launch.js";
import {
  ExtauthFrameDecoder,
  encodeExtauthReply,
  encodeExtauthRequest,
  parseExtauthRequest,
} from "../../../src/trust/extauth/protocol.js";
import { answerExtauth, serveExtauth } from "../../../src/trust/extauth/serve.js";

describe("ejabberd's extauth protocol", () => {
  it("parses requests; the password is everything after the third colon", () => {
    expect(parseExtauthRequest("auth:foc1:pnp.test:a:b:c")).toEqual({
      op: "auth",
      user: "foc1",
      server: "pnp.test",
      password: "a:b:c",
    });
    expect(parseExtauthRequest("auth:foc1:pnp.test:")).toMatchObject({ op: "auth", password: "" });
    expect(parseExtauthRequest("isuser:foc1:pnp.test")).toEqual({
      op: "isuser",
      user: "foc1",
      server: "pnp.test",
    });
    expect(parseExtauthRequest("setpass:foc1:pnp.test:x")).toMatchObject({ op: "setpass" });
    expect(parseExtauthRequest("auth:foc1")).toEqual({ op: "unknown", name: "auth" });
    expect(parseExtauthRequest("certauth:foc1:pnp.test:cert")).toEqual({ op: "unknown", name: "certauth" });
  });

  it("frames with a 2-byte big-endian length, however the bytes are chunked", () => {
    expect([...encodeExtauthReply(true)]).toEqual([0, 2, 0, 1]);
    expect([...encodeExtauthReply(false)]).toEqual([0, 2, 0, 0]);
    const bytes = Buffer.concat([encodeExtauthRequest("isuser:a:b"), encodeExtauthRequest("auth:a:b:é:x")]);
    for (const size of [1, 3, bytes.length]) {
      const decoder = new ExtauthFrameDecoder();
      const frames: string[] = [];
      for (let i = 0; i < bytes.length; i += size)
        frames.push(...decoder.push(bytes.subarray(i, i + size)).map((f) => f.toString("utf8")));
      expect(frames).toEqual(["isuser:a:b", "auth:a:b:é:x"]);
    }
  });
});

describe("the extauth answers", () => {
  const password = "correct horse";
  const lookups: Record<string, AuthLookup> = {
    good: {
      inventoryCreatedAt: "5",
      credential: { status: "active", deviceCreatedAt: "5", ...hashNewPassword("good", password) },
    },
    gone: { credential: { status: "active", deviceCreatedAt: "5", ...hashNewPassword("gone", password) } },
  };
  const logged: unknown[] = [];
  const options = {
    xmppDomain: "pnp.test",
    lookup: async (id: string) => {
      if (id === "boom") throw new Error("redis down");
      return lookups[id] ?? {};
    },
    log: (entry: unknown) => logged.push(entry),
  };
  const ask = (text: string) => answerExtauth(parseExtauthRequest(text), options);

  it("say yes only to auth with the right password, for an inventory device, on our domain", async () => {
    expect(await ask(`auth:good:pnp.test:${password}`)).toBe(true);
    expect(await ask("auth:good:pnp.test:wrong")).toBe(false);
    expect(await ask(`auth:good:other.test:${password}`)).toBe(false);
    expect(await ask(`auth:gone:pnp.test:${password}`)).toBe(false);
    expect(await ask(`auth:GOOD:pnp.test:${password}`)).toBe(false);
    expect(await ask("isuser:good:pnp.test")).toBe(true);
    expect(await ask("isuser:gone:pnp.test")).toBe(false);
  });

  it("never let ejabberd create, change or remove accounts", async () => {
    for (const op of ["setpass", "tryregister", "removeuser3"])
      expect(await ask(`${op}:good:pnp.test:${password}`)).toBe(false);
    expect(await ask("removeuser:good:pnp.test")).toBe(false);
  });

  it("fail closed when the lookup fails, and log it without the password", async () => {
    logged.length = 0;
    expect(await ask("auth:boom:pnp.test:s3cret-pw")).toBe(false);
    expect(logged).toEqual([{ op: "auth", user: "boom", decision: "error", error: "redis down" }]);
    expect(JSON.stringify(logged)).not.toContain("s3cret-pw");
  });

  it("are written in request order even when lookups finish out of order", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const replies: number[] = [];
    output.on("data", (chunk: Buffer) => {
      for (let i = 0; i + 4 <= chunk.length; i += 4) replies.push(chunk[i + 3]!);
    });
    const served = serveExtauth(input, output, {
      xmppDomain: "pnp.test",
      lookup: async (id) => {
        // The first lookup is the slowest.
        await new Promise((resolve) => setTimeout(resolve, id === "good" ? 30 : 1));
        return lookups[id] ?? {};
      },
    });
    input.write(
      Buffer.concat([
        encodeExtauthRequest(`auth:good:pnp.test:${password}`),
        encodeExtauthRequest("auth:nobody:pnp.test:x"),
        encodeExtauthRequest("isuser:good:pnp.test"),
      ]),
    );
    input.end();
    await served;
    expect(replies).toEqual([1, 0, 1]);
  });
});

describe("the extauth program as ejabberd runs it", () => {
  const dir = mkdtempSync(join(tmpdir(), "pnp-extauth-unit-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps its settings in a 0600 file and answers no, fast, when Redis is unreachable; exits on EOF", async () => {
    // A port nothing listens on.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const settings = join(dir, "extauth.json");
    const program = extauthProgram(settings, {
      redisUrl: `redis://127.0.0.1:${port}`,
      redisPrefix: "unit",
      xmppDomain: "pnp.test",
    });
    expect(statSync(settings).mode & 0o777).toBe(0o600);
    expect(program).not.toContain(`${port}`);
    // ejabberd splits the program string on spaces (open_port spawn).
    const [command, ...args] = program.split(" ");
    const child = spawn(command!, args, { stdio: ["pipe", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const reply = new Promise<Buffer>((resolve) => child.stdout.once("data", resolve));
    const started = Date.now();
    child.stdin.write(encodeExtauthRequest("auth:foc1:pnp.test:whatever"));
    expect([...(await reply)]).toEqual([0, 2, 0, 0]);
    expect(Date.now() - started).toBeLessThan(10_000);
    child.stdin.end();
    expect(await exited).toBe(0);
  }, 20_000);
});

describe("the ejabberd config for external auth", () => {
  it("is appended as a host_config, with ejabberd's auth cache off", () => {
    expect(externalAuthYaml("pnp.test", undefined)).toBe("");
    const yml = externalAuthYaml("pnp.test", {
      program: "/usr/bin/node /x/main.js /x/extauth.json",
      poolSize: 3,
    });
    expect(yml).toBe(
      '\nhost_config:\n  "pnp.test":\n    auth_method: external\n    extauth_program: "/usr/bin/node /x/main.js /x/extauth.json"\n    extauth_pool_size: 3\n    auth_use_cache: false\n',
    );
    expect(() => externalAuthYaml("pnp.test", { program: '/bin/x"\nauth_method: anonymous' })).toThrow(
      /quote/,
    );
  });
});
