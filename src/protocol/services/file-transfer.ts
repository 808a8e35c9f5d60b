// file-transfer (urn:cisco:pnp:file-transfer), §2.9: request/fileTransfer/copy/(source/(location | uri),
// destination/(location | uri)). Unlike config-upgrade and image-install, source has no checksum.
// Response: errorInfo (1700–1702, ERROR|WARNING).

import type { Element } from "ltx";
import { type BuildChild, element } from "../build.js";
import type { NamespaceReader } from "../read.js";
import {
  buildErrorInfo,
  buildFileRef,
  type ErrorInfo,
  type FileRef,
  parseErrorInfo,
  parseFileRef,
  type ServiceCodec,
} from "./common.js";

export interface FileTransferRequest {
  source: FileRef;
  /** e.g. { location: "bootflash:guest-share/app.tar" }. */
  destination: FileRef;
}

export interface FileTransferResponse {
  errorInfo?: ErrorInfo;
}

export const fileTransferCodec: ServiceCodec<FileTransferRequest, FileTransferResponse> = {
  errorInfo: "with-severity",

  buildRequest(request: FileTransferRequest): BuildChild[] {
    return [
      element(
        "fileTransfer",
        {},
        element(
          "copy",
          {},
          element("source", {}, buildFileRef(request.source, "fileTransfer.source")),
          element("destination", {}, buildFileRef(request.destination, "fileTransfer.destination")),
        ),
      ),
    ];
  },

  parseRequest(request: Element, reader: NamespaceReader): FileTransferRequest {
    const copy = reader.requireChild(reader.requireChild(request, "fileTransfer"), "copy");
    return {
      source: parseFileRef(reader, reader.requireChild(copy, "source")),
      destination: parseFileRef(reader, reader.requireChild(copy, "destination")),
    };
  },

  buildResponse(response: FileTransferResponse): BuildChild[] {
    return [buildErrorInfo(response.errorInfo, true)];
  },

  parseResponse(response: Element, reader: NamespaceReader): FileTransferResponse {
    const errorInfo = parseErrorInfo(reader, response, true);
    return errorInfo === undefined ? {} : { errorInfo };
  },
};
