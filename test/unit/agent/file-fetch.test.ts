// The agent's downloader with a stand-in fetch: every outcome maps to the model's FetchResult.

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createFileFetcher, fetchFile, resolveFileUrl } from "../../../src/agent/file-fetch.js";

function md5(data: string | Uint8Array): string {
  return createHash("md5").update(data).digest("hex");
}

/** A body in several chunks, without content-length unless given. */
function chunked(chunks: Uint8Array[], init: ResponseInit = {}): Response {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(stream, init);
}

/** A fetch that answers from a function and records the URLs it was asked for. */
function stub(answer: (url: URL, init?: RequestInit) => Response | Promise<Response>) {
  const urls: string[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    urls.push(url.href);
    return answer(url, init);
  }) as typeof globalThis.fetch;
  return { fetch, urls };
}

describe("fetchFile", () => {
  it("returns the real size and MD5, and the text when asked", async () => {
    const text = "hostname R1\ninterface Loopback0\n";
    const { fetch, urls } = stub(() => new Response(text));
    expect(await fetchFile("http://files.test/r1.cfg", { fetch }, { content: true })).toEqual({
      ok: true,
      size: Buffer.byteLength(text),
      md5: md5(text),
      content: text,
    });
    expect(await fetchFile("http://files.test/r1.cfg", { fetch })).toEqual({
      ok: true,
      size: Buffer.byteLength(text),
      md5: md5(text),
    });
    expect(urls).toEqual(["http://files.test/r1.cfg", "http://files.test/r1.cfg"]);
  });

  it("hashes a streamed body chunk by chunk", async () => {
    const parts = [new Uint8Array([1, 2, 3]), new Uint8Array(70_000).fill(7), new Uint8Array([9])];
    const whole = Buffer.concat(parts);
    const { fetch } = stub(() => chunked(parts));
    expect(await fetchFile("https://files.test/a.bin", { fetch })).toEqual({
      ok: true,
      size: whole.length,
      md5: md5(whole),
    });
  });

  it("resolves a uri against the base URL, and refuses it without one", async () => {
    const { fetch, urls } = stub(() => new Response("x"));
    expect((await fetchFile({ uri: "/configs/a.cfg" }, { fetch, baseUrl: "http://127.0.0.1:8080" })).ok).toBe(
      true,
    );
    expect(urls).toEqual(["http://127.0.0.1:8080/configs/a.cfg"]);
    expect(await fetchFile({ uri: "/configs/a.cfg" }, { fetch })).toMatchObject({
      ok: false,
      reason: "unreachable",
      message: expect.stringMatching(/no file server/),
    });
  });

  it.each([
    [404, "not-found"],
    [410, "not-found"],
    [401, "denied"],
    [403, "denied"],
    [500, "unreachable"],
    [503, "unreachable"],
  ] as const)("maps HTTP %i to %s", async (status, reason) => {
    const { fetch } = stub(() => new Response("no", { status }));
    expect(await fetchFile({ location: "http://files.test/x" }, { fetch })).toEqual({
      ok: false,
      reason,
      message: expect.stringContaining(`HTTP ${status}`),
    });
  });

  it("refuses a file over the size cap, by its content-length or while streaming", async () => {
    const declared = stub(() => new Response("x".repeat(2000), { headers: { "content-length": "2000" } }));
    expect(await fetchFile("http://files.test/big", { fetch: declared.fetch, maxBytes: 1000 })).toMatchObject(
      { ok: false, reason: "denied", message: expect.stringMatching(/2000 bytes, over the 1000-byte limit/) },
    );
    const streamed = stub(() => chunked([new Uint8Array(600), new Uint8Array(600)]));
    expect(await fetchFile("http://files.test/big", { fetch: streamed.fetch, maxBytes: 1000 })).toMatchObject(
      { ok: false, reason: "denied" },
    );
  });

  it("keeps text only up to its own, smaller cap", async () => {
    const { fetch } = stub(() => chunked([new Uint8Array(3000)]));
    expect((await fetchFile("http://files.test/x", { fetch, maxContentBytes: 2000 })).ok).toBe(true);
    expect(
      await fetchFile("http://files.test/x", { fetch, maxContentBytes: 2000 }, { content: true }),
    ).toMatchObject({ ok: false, reason: "denied" });
  });

  it("gives up after the timeout", async () => {
    const { fetch } = stub(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        }),
    );
    expect(await fetchFile("http://files.test/slow", { fetch, timeoutMs: 20 })).toMatchObject({
      ok: false,
      reason: "timeout",
    });
  });

  it("times out a body that stops arriving", async () => {
    const { fetch } = stub((_url, init) => {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array(10));
          init?.signal?.addEventListener("abort", () =>
            controller.error(new DOMException("aborted", "AbortError")),
          );
        },
      });
      return new Response(stream);
    });
    expect(await fetchFile("http://files.test/stall", { fetch, timeoutMs: 20 })).toMatchObject({
      ok: false,
      reason: "timeout",
    });
  });

  it("reports connection errors and broken bodies as unreachable", async () => {
    const refused = stub(() => {
      throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    });
    expect(await fetchFile("http://127.0.0.1:9/x", { fetch: refused.fetch })).toEqual({
      ok: false,
      reason: "unreachable",
      message: "127.0.0.1:9: ECONNREFUSED",
    });
    const broken = stub(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new Uint8Array(5));
              controller.error(new Error("socket hang up"));
            },
          }),
        ),
    );
    expect(await fetchFile("http://files.test/x", { fetch: broken.fetch })).toMatchObject({
      ok: false,
      reason: "unreachable",
      message: expect.stringMatching(/broke off/),
    });
  });

  it("refuses protocols other than http and https, and malformed URLs, without fetching", async () => {
    const { fetch, urls } = stub(() => new Response("x"));
    expect(await fetchFile("tftp://192.0.2.1/a.bin", { fetch })).toMatchObject({
      ok: false,
      reason: "unreachable",
      message: expect.stringMatching(/unsupported protocol tftp:/),
    });
    expect(await fetchFile("flash:a.bin", { fetch })).toMatchObject({ ok: false, reason: "unreachable" });
    expect(await fetchFile("not a url", { fetch })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/invalid URL/),
    });
    expect(urls).toEqual([]);
  });

  it("createFileFetcher binds one set of options", async () => {
    const { fetch, urls } = stub(() => new Response("abc"));
    const fetcher = createFileFetcher({ fetch, baseUrl: "http://files.test/root/" });
    expect(await fetcher({ uri: "lic/a.lic" }, { content: true })).toMatchObject({
      ok: true,
      content: "abc",
    });
    expect(urls).toEqual(["http://files.test/root/lic/a.lic"]);
  });
});

describe("resolveFileUrl", () => {
  it("accepts http and https locations as they are", () => {
    expect(String(resolveFileUrl({ location: " https://h/x.bin " }))).toBe("https://h/x.bin");
    expect(resolveFileUrl("ftp://h/x")).toEqual({
      error: expect.stringMatching(/unsupported protocol ftp:/),
    });
  });
});
