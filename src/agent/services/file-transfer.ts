// file-transfer: copies a file from the file server (http/https location, or a uri on the PnP server) or
// from another device file system to a device file system ("bootflash:guest-share/app.tar", "flash:").
// The destination is checked before any download; the copy needs room on the destination.
// Codes (XSD): 1700 internal, 1701 unsupported, 1702 file copy failed; severity ERROR|WARNING.
//
// The model has no file-transfer operation, so this writes the device's file table through the model's
// storage helpers (white-box: DeviceModel.state). Only the file table changes.

import type { ErrorInfo, FileRef } from "../../protocol/index.js";
import { pnpErrorCode } from "../../protocol/index.js";
import type { DeviceModel, FetchResult } from "../model/index.js";
import { filesOf, freeBytes, mutableFiles, parsePath, resolveFs } from "../model/storage.js";
import { baseName } from "../model/transfer.js";
import { answered, fileRefText, type ServiceHandler } from "./context.js";

export const FILE_TRANSFER_INTERNAL = 1700;
export const FILE_TRANSFER_UNSUPPORTED = 1701;
export const FILE_TRANSFER_COPY_FAILED = 1702;

function copyError(code: number, message: string): ErrorInfo {
  return { severity: "ERROR", code: pnpErrorCode(code), message };
}

/** A source on the device itself ("flash:a.bin"), read from its file table. */
function localSource(model: DeviceModel, text: string): FetchResult | undefined {
  if (/^[a-z][\w+.-]*:\/\//i.test(text)) return undefined;
  const path = parsePath(text);
  if (!path) return undefined;
  const ref = resolveFs(model.state, path.fs);
  if (!ref) return undefined;
  const file = filesOf(model.state, ref).get(path.file);
  if (!file) return { ok: false, reason: "not-found", message: `${ref.key}:${path.file} does not exist` };
  return { ok: true, size: file.size, md5: file.md5 };
}

export const fileTransferService: ServiceHandler<"file-transfer"> = async (ctx, request) => {
  const base = { service: "file-transfer", correlator: request.correlator } as const;
  const fail = (code: number, message: string) =>
    answered({ ...base, success: false, errorInfo: copyError(code, message) });
  const model = ctx.model;
  const sourceText = fileRefText(request.source).trim();
  const destinationText = fileRefText(request.destination).trim();

  // Destination first: nothing is downloaded for a copy that cannot land.
  const destination = parsePath(destinationText);
  const ref = destination ? resolveFs(model.state, destination.fs) : undefined;
  if (!destination || !ref) return fail(FILE_TRANSFER_COPY_FAILED, `Invalid destination ${destinationText}`);
  if (ref.spec.type === "nvram" || !ref.spec.writable || ref.spec.size === 0) {
    return fail(FILE_TRANSFER_COPY_FAILED, `%Error opening ${destinationText} (Permission denied)`);
  }
  const fileName = destination.file.replace(/\/+$/, "") || baseName(sourceText);
  if (fileName === "") return fail(FILE_TRANSFER_COPY_FAILED, `Unable to name the copy of ${sourceText}`);

  let fetched: FetchResult;
  const local = "location" in request.source ? localSource(model, sourceText) : undefined;
  if (local !== undefined) fetched = local;
  else {
    fetched = await ctx.fetchFile(request.source as FileRef);
    if (!fetched.ok && /unsupported protocol/.test(fetched.message ?? "")) {
      return fail(FILE_TRANSFER_UNSUPPORTED, `%Error opening ${sourceText} (${fetched.message})`);
    }
  }
  if (!fetched.ok) {
    const why =
      fetched.reason === "not-found" ? "No such file or directory" : (fetched.message ?? fetched.reason);
    return fail(FILE_TRANSFER_COPY_FAILED, `%Error opening ${sourceText} (${why})`);
  }
  const existing = filesOf(model.state, ref).get(fileName);
  const available = freeBytes(model.state, ref) + (existing?.size ?? 0);
  if (fetched.size > available) {
    return fail(
      FILE_TRANSFER_COPY_FAILED,
      `%Error copying ${sourceText} to ${ref.key}:${fileName} (Not enough space: needs ${fetched.size} bytes, ${available} available)`,
    );
  }
  mutableFiles(model.state, ref).set(
    fileName,
    Object.freeze({ size: fetched.size, md5: fetched.md5.toLowerCase(), mtime: model.state.clock() }),
  );
  return answered({ ...base, success: true });
};
