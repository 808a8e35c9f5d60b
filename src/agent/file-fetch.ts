// Downloads for the simulated agent: the file a config-upgrade, image-install, file-transfer, licensing or
// script request names. HTTP(S) GET with Node's fetch, streamed through MD5 so an image is never held in
// memory, with a size cap and a timeout. Every outcome is the device model's FetchResult, so the model
// (which does no I/O) decides what a failure means for its service.

import { createHash } from "node:crypto";
import type { FileRef } from "../protocol/index.js";
import type { FetchResult } from "./model/index.js";

export interface FileFetchOptions {
  /** Largest file accepted, in bytes (images). Default 4 GiB. */
  maxBytes?: number;
  /** Largest file whose text is kept (configs, scripts, licences). Default 8 MiB. */
  maxContentBytes?: number;
  /** Whole download, headers and body. Default 60 s. */
  timeoutMs?: number;
  /** Base URL for `uri` references (a path on the PnP server's file service). */
  baseUrl?: string;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
}

export interface FetchRequestOptions {
  /** Keep the bytes as UTF-8 text in `content` (configs, scripts). */
  content?: boolean;
}

/** What the services use: fetch the file a request names. Shared by every device of a fleet. */
export type FileFetcher = (ref: FileRef | string, options?: FetchRequestOptions) => Promise<FetchResult>;

export const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;
export const DEFAULT_MAX_CONTENT_BYTES = 8 * 1024 ** 2;
export const DEFAULT_FETCH_TIMEOUT_MS = 60_000;

/** The URL a location or uri names, or a reason why it cannot be fetched. */
export function resolveFileUrl(ref: FileRef | string, baseUrl?: string): URL | { error: string } {
  if (typeof ref !== "string" && "uri" in ref) {
    if (baseUrl === undefined) return { error: `no file server is configured for uri ${ref.uri}` };
    try {
      return new URL(ref.uri, baseUrl);
    } catch {
      return { error: `invalid uri ${ref.uri}` };
    }
  }
  const location = (typeof ref === "string" ? ref : ref.location).trim();
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return { error: `invalid URL ${location}` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { error: `unsupported protocol ${url.protocol} (this agent fetches over http and https only)` };
  }
  return url;
}

function fail(reason: Extract<FetchResult, { ok: false }>["reason"], message: string): FetchResult {
  return { ok: false, reason, message };
}

/** Why a fetch threw: a refused or reset connection, an unknown host… */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message ?? String(err);
}

/**
 * GETs one file and returns its size and MD5 (and its text when asked). Never throws.
 * 404/410 → not-found; 401/403/407 → denied; over the size cap → denied; no answer in time → timeout;
 * connection errors and other statuses → unreachable.
 */
export async function fetchFile(
  ref: FileRef | string,
  options: FileFetchOptions = {},
  request: FetchRequestOptions = {},
): Promise<FetchResult> {
  const url = resolveFileUrl(ref, options.baseUrl);
  if (!(url instanceof URL)) return fail("unreachable", url.error);
  const wantContent = request.content === true;
  const cap = wantContent
    ? Math.min(options.maxContentBytes ?? DEFAULT_MAX_CONTENT_BYTES, options.maxBytes ?? DEFAULT_MAX_BYTES)
    : (options.maxBytes ?? DEFAULT_MAX_BYTES);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS);
  const doFetch = options.fetch ?? fetch;
  try {
    let response: Response;
    try {
      response = await doFetch(url, { signal: controller.signal, redirect: "follow" });
    } catch (err) {
      if (timedOut) return fail("timeout", `no answer from ${url.host} in time`);
      return fail("unreachable", `${url.host}: ${networkReason(err)}`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
      if (response.status === 404 || response.status === 410) return fail("not-found", status);
      if (response.status === 401 || response.status === 403 || response.status === 407)
        return fail("denied", status);
      return fail("unreachable", status);
    }
    const declared = Number(response.headers.get("content-length") ?? Number.NaN);
    if (Number.isFinite(declared) && declared > cap) {
      await response.body?.cancel().catch(() => undefined);
      return fail("denied", `file is ${declared} bytes, over the ${cap}-byte limit`);
    }
    const hash = createHash("md5");
    const chunks: Buffer[] | undefined = wantContent ? [] : undefined;
    let size = 0;
    if (response.body) {
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          if (size > cap) {
            controller.abort();
            return fail("denied", `file is over the ${cap}-byte limit`);
          }
          hash.update(chunk);
          chunks?.push(Buffer.from(chunk));
        }
      } catch (err) {
        if (timedOut) return fail("timeout", `download from ${url.host} did not finish in time`);
        return fail("unreachable", `download from ${url.host} broke off: ${networkReason(err)}`);
      }
    }
    const md5 = hash.digest("hex");
    if (chunks === undefined) return { ok: true, size, md5 };
    return { ok: true, size, md5, content: Buffer.concat(chunks, size).toString("utf8") };
  } finally {
    clearTimeout(timer);
  }
}

/** A FileFetcher bound to one set of options (one per fleet: the options object is shared). */
export function createFileFetcher(options: FileFetchOptions = {}): FileFetcher {
  return (ref, request) => fetchFile(ref, options, request);
}
