// Public API of the Cisco Open PnP XML codec. Pure: no I/O, no transports.

export * from "./builders.js";

export {
  type BuildablePnpMessage,
  buildBye,
  buildFault,
  buildPnp,
  buildRequest,
  buildResponse,
  buildSyslogEventMessage,
  buildWorkRequest,
  type CorrelatorOptionalService,
  type PnpMessage,
  parsePnp,
  type RequestOf,
  type ResponseOf,
  type ServiceRequest,
  type ServiceRequestBodies,
  type ServiceResponse,
  type ServiceResponseBodies,
  serializePnp,
  type UnknownPnpMessage,
} from "./codec.js";
export {
  isServerCorrelator,
  type NewCorrelatorOptions,
  newCorrelator,
  SERVER_CORRELATOR_PREFIX,
} from "./correlator.js";
export type * from "./device-info-types.js";
export { type Envelope, PNP_VERSION } from "./envelope.js";
export {
  isPnpProtocolError,
  PNP_ERROR_CODES,
  type PnpErrorCode,
  type PnpErrorDetails,
  PnpProtocolError,
} from "./errors.js";
export {
  capabilityName,
  isServiceName,
  NS_ERROR,
  NS_FAULT,
  NS_PNP,
  NS_SYSLOG,
  NS_WORK_INFO,
  pnpNamespaceSuffix,
  SERVICE_NAMES,
  type ServiceName,
  serviceFromNamespace,
  serviceNamespace,
} from "./namespaces.js";
export {
  buildOption43,
  detectAddressType,
  OPTION43_TRANSPORTS,
  type Option43,
  type Option43AddressType,
  type Option43Transport,
  parseOption43,
} from "./option43.js";
export {
  type BackoffAction,
  type BackoffRequest,
  type BackoffResponse,
  backoffDelaySeconds,
  DEFAULT_CALLBACK_SECONDS,
} from "./services/backoff.js";
export type { CapabilityRequest, CapabilityResponse } from "./services/capability.js";
export type {
  CertificateAction,
  CertificateInstallRequest,
  CertificateInstallResponse,
  CertificateReconnect,
  ClockSetting,
  ClockValue,
} from "./services/certificate-install.js";
export {
  ACTIONS_ON_FAIL,
  type ActionOnFail,
  type CliConfigRequest,
  type CliConfigResponse,
} from "./services/cli-config.js";
export type {
  CliExecRequest,
  CliExecResponse,
  Dialogue,
  DialogueLog,
  ExecLog,
  ExpectMatchMode,
} from "./services/cli-exec.js";
export {
  type CliData,
  DETAILS_LEVELS,
  type DetailsLevel,
  type ErrorInfo,
  type ErrorInfoWithoutSeverity,
  errorCodeNumber,
  type FileRef,
  pnpErrorCode,
  type ReloadChoice,
  type ResultEntry,
  type ResultOutcome,
  type ServerAddress,
} from "./services/common.js";
export type { ApplyTo, ConfigUpgradeRequest, ConfigUpgradeResponse } from "./services/config-upgrade.js";
export {
  DEVICE_INFO_TYPES,
  type DeviceInfoRequest,
  type DeviceInfoResponse,
} from "./services/device-info.js";
export type { Fault } from "./services/fault.js";
export type { FileTransferRequest, FileTransferResponse } from "./services/file-transfer.js";
export type { ImageInstallRequest, ImageInstallResponse } from "./services/image-install.js";
export type {
  LicenseCopy,
  LicensingInfo,
  LicensingRequest,
  LicensingResponse,
} from "./services/licensing.js";
export type {
  BackupServer,
  BackupServerAuthentication,
  PrimaryServer,
  PrimaryServerAuthentication,
  ReconnectTimer,
  RedirectionRequest,
  RedirectionResponse,
  RedirectProtocol,
  ServerEncryption,
  ServerEndpoint,
} from "./services/redirection.js";
export type { ReloadRequest, ReloadResponse } from "./services/reload.js";
export {
  MAX_INLINE_SCRIPT_BYTES,
  type ScriptRequest,
  type ScriptResponse,
  type ScriptSource,
  type ScriptType,
} from "./services/script.js";
export type { SyslogEvent } from "./services/syslog.js";
export {
  addDeviceLocalTag,
  applyTagRequest,
  isValidTagName,
  type LocalTagResult,
  MAX_TAG_VALUE_LENGTH,
  MAX_TAGS_PER_DEVICE,
  TAG_ERROR_CODES,
  TAG_NAME_PATTERN,
  type Tag,
  type TagApplyResult,
  type TagOwner,
  type TagRequest,
  type TagResponse,
  type TagValue,
} from "./services/tag.js";
export type {
  TopologyLocalPort,
  TopologyNeighbor,
  TopologyRemotePort,
  TopologyRequest,
  TopologyResponse,
} from "./services/topology.js";
export type { Bye, DeviceId, ReloadReason, WorkRequest } from "./services/work-info.js";
export { formatUdi, parseUdi, tryParseUdi } from "./udi.js";
export {
  checkElementLimits,
  DEFAULT_XML_LIMITS,
  type Element,
  isXmlSafeText,
  parseXml,
  type SerializeOptions,
  sanitizeXmlText,
  toXmlString,
  XML_DECLARATION,
  type XmlLimits,
} from "./xml.js";
