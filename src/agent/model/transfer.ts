// What the glue hands the model after fetching a file named in a request (config, image, licence,
// script). The model never does I/O: the glue fetches (or looks up a simulated file server) and passes
// the outcome in.

export type FetchFailureReason = "not-found" | "unreachable" | "timeout" | "denied";

export type FetchResult =
  | {
      readonly ok: true;
      readonly size: number;
      /** MD5 hex of the fetched bytes. */
      readonly md5: string;
      /** Text content, required for configs; optional for scripts; ignored for images. */
      readonly content?: string;
    }
  | { readonly ok: false; readonly reason: FetchFailureReason; readonly message?: string };

/** A fetch result given directly, or a function the model calls only when it really needs the file. */
export type FetchSource = FetchResult | (() => FetchResult);

export function resolveFetch(source: FetchSource): FetchResult {
  return typeof source === "function" ? source() : source;
}

/** Last path element of a URL or device path: "http://s/images/a.bin?x=1" → "a.bin", "flash:dir/a.bin" → "a.bin". */
export function baseName(location: string): string {
  const noQuery = location.replace(/[?#].*$/, "");
  const afterScheme = noQuery.replace(/^[a-z][\w+.-]*:\/\/[^/]*/i, "");
  const afterFs = afterScheme.replace(/^[A-Za-z][\w-]*:/, "");
  const parts = afterFs.split("/").filter(Boolean);
  return parts[parts.length - 1] ?? "";
}

/** IOS-style copy error text for a failed fetch. */
export function fetchErrorText(location: string, r: Extract<FetchResult, { ok: false }>): string {
  const why =
    r.reason === "not-found"
      ? "No such file or directory"
      : r.reason === "timeout"
        ? "Timed out"
        : r.reason === "denied"
          ? "Permission denied"
          : "Destination unreachable";
  return `%Error opening ${location} (${r.message ?? why})`;
}
