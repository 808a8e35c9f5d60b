// image-install (urn:cisco:pnp:image-install), §2.8: request/(image/copy/(source/((location | uri),
// checksum?), destination?/(location | uri)), (reload | noReload)). reload/noReload is a sibling of image.
// IANZ omits both and reports it working on ISR1k, so parsing accepts that; building requires one.
// Response: errorInfo (1800–1832, XSVC_ERROR). 1817 means "already running this image": not fatal (§6 item 14).

import type { Element } from "ltx";
import { type BuildChild, element } from "../build.js";
import type { NamespaceReader } from "../read.js";
import {
  buildCheckedSource,
  buildErrorInfo,
  buildFileRef,
  buildReloadChoice,
  type ErrorInfo,
  type FileRef,
  parseCheckedSource,
  parseErrorInfo,
  parseFileRef,
  parseReloadChoice,
  type ReloadChoice,
  type ServiceCodec,
} from "./common.js";

export interface ImageInstallRequest {
  source: FileRef;
  /** MD5 hex of the image. */
  checksum?: string;
  /** e.g. { location: "bootflash:" } or { location: "flash:<file>" }. */
  destination?: FileRef;
  /** Required when building; undefined only when a server sent neither. */
  reload?: ReloadChoice;
}

export interface ImageInstallResponse {
  errorInfo?: ErrorInfo;
}

export const imageInstallCodec: ServiceCodec<ImageInstallRequest, ImageInstallResponse> = {
  errorInfo: "with-severity",
  allowsReloadAttributes: true,

  buildRequest(request: ImageInstallRequest): BuildChild[] {
    return [
      element(
        "image",
        {},
        element(
          "copy",
          {},
          buildCheckedSource(request.source, request.checksum, "image.source"),
          request.destination === undefined
            ? undefined
            : element("destination", {}, buildFileRef(request.destination, "image.destination")),
        ),
      ),
      buildReloadChoice(request.reload, "image-install"),
    ];
  },

  parseRequest(request: Element, reader: NamespaceReader): ImageInstallRequest {
    const copy = reader.requireChild(reader.requireChild(request, "image"), "copy");
    const result: ImageInstallRequest = { ...parseCheckedSource(reader, copy) };
    const destination = reader.child(copy, "destination");
    if (destination !== undefined) result.destination = parseFileRef(reader, destination);
    const reload = parseReloadChoice(reader, request);
    if (reload !== undefined) result.reload = reload;
    return result;
  },

  buildResponse(response: ImageInstallResponse): BuildChild[] {
    return [buildErrorInfo(response.errorInfo, true)];
  },

  parseResponse(response: Element, reader: NamespaceReader): ImageInstallResponse {
    const errorInfo = parseErrorInfo(reader, response, true);
    return errorInfo === undefined ? {} : { errorInfo };
  },
};
