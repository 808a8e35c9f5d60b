// One builder per service and direction, for callers that know the service statically:
// `buildBackoffRequest(envelope, { correlator, reason, action })` is `buildRequest` with `service` filled in.

import type { Element } from "ltx";
import { buildRequest, buildResponse, type RequestOf, type ResponseOf } from "./codec.js";
import type { Envelope } from "./envelope.js";
import type { ServiceName } from "./namespaces.js";

/** Omit that keeps a union a union (the request bodies of cli-config, cli-exec, tag… are unions). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type RequestBuilder<S extends ServiceName> = (
  envelope: Envelope,
  request: DistributiveOmit<RequestOf<S>, "service">,
) => Element;
export type ResponseBuilder<S extends ServiceName> = (
  envelope: Envelope,
  response: DistributiveOmit<ResponseOf<S>, "service">,
) => Element;

function requestBuilder<S extends ServiceName>(service: S): RequestBuilder<S> {
  return (envelope, request) => buildRequest(envelope, { ...request, service } as unknown as RequestOf<S>);
}

function responseBuilder<S extends ServiceName>(service: S): ResponseBuilder<S> {
  return (envelope, response) =>
    buildResponse(envelope, { ...response, service } as unknown as ResponseOf<S>);
}

export const buildBackoffRequest = requestBuilder("backoff");
export const buildBackoffResponse = responseBuilder("backoff");
export const buildCapabilityRequest = requestBuilder("capability");
export const buildCapabilityResponse = responseBuilder("capability");
export const buildCertificateInstallRequest = requestBuilder("certificate-install");
export const buildCertificateInstallResponse = responseBuilder("certificate-install");
export const buildCliConfigRequest = requestBuilder("cli-config");
export const buildCliConfigResponse = responseBuilder("cli-config");
export const buildCliExecRequest = requestBuilder("cli-exec");
export const buildCliExecResponse = responseBuilder("cli-exec");
export const buildConfigUpgradeRequest = requestBuilder("config-upgrade");
export const buildConfigUpgradeResponse = responseBuilder("config-upgrade");
export const buildDeviceInfoRequest = requestBuilder("device-info");
export const buildDeviceInfoResponse = responseBuilder("device-info");
export const buildFileTransferRequest = requestBuilder("file-transfer");
export const buildFileTransferResponse = responseBuilder("file-transfer");
export const buildImageInstallRequest = requestBuilder("image-install");
export const buildImageInstallResponse = responseBuilder("image-install");
export const buildLicensingRequest = requestBuilder("licensing");
export const buildLicensingResponse = responseBuilder("licensing");
export const buildRedirectionRequest = requestBuilder("redirection");
export const buildRedirectionResponse = responseBuilder("redirection");
export const buildReloadRequest = requestBuilder("reload");
export const buildReloadResponse = responseBuilder("reload");
export const buildScriptRequest = requestBuilder("script");
export const buildScriptResponse = responseBuilder("script");
export const buildTagRequest = requestBuilder("tag");
export const buildTagResponse = responseBuilder("tag");
export const buildTopologyRequest = requestBuilder("topology");
export const buildTopologyResponse = responseBuilder("topology");
