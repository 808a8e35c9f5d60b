// Cisco PnP service error codes used by the device model, and the plain failure shape every operation
// returns. Numbers come from the per-service ranges of the 2017 PnP schema set (see
// /work/shared/reference/pnp-wire-format.md §1.4); the names here are this project's own.
// The glue turns a `PnpFailure` into `errorInfo`: errorCode "PnP Service Error NNNN", errorMessage, and
// (where the service has one) errorSeverity.

export const PnpErrorCode = {
  // cli-config (1200–1202)
  CLI_CONFIG_INTERNAL: 1200,
  CLI_CONFIG_UNSUPPORTED: 1201,
  CLI_CONFIG_EXT_UNSUPPORTED: 1202,
  // cli-exec (1300–1309; the schema reuses 1300–1304 for a second set of causes)
  CLI_EXEC_INTERNAL: 1300,
  CLI_EXEC_UNSUPPORTED: 1301,
  CLI_EXEC_INVALID_DIALOGUE: 1303,
  CLI_EXEC_INVALID_CLI: 1304,
  // config-upgrade (1400–1424)
  CONFIG_UPGRADE_INTERNAL: 1400,
  CONFIG_UPGRADE_UNSUPPORTED: 1401,
  CONFIG_HASH_FAILED: 1403,
  CONFIG_COPY_FAILED: 1404,
  CONFIG_STARTUP_COPY_FAILED: 1407,
  CONFIG_SYNTAX_ERROR: 1410,
  CONFIG_RUNNING_COPY_FAILED: 1412,
  CONFIG_INVALID_INPUT: 1413,
  CONFIG_INVALID_SOURCE_FILE: 1416,
  // device-info (1600–1618)
  DEVICE_INFO_INTERNAL: 1600,
  DEVICE_INFO_FILESYSTEM_RETRIEVE: 1609,
  DEVICE_INFO_INVALID_REQUEST: 1611,
  // image-install (1800–1832)
  IMAGE_INSTALL_INTERNAL: 1800,
  IMAGE_SOURCE_NOT_PROVIDED: 1802,
  IMAGE_SOURCE_NOT_FOUND: 1803,
  IMAGE_INVALID_FORMAT: 1806,
  IMAGE_UNPARSABLE_PATH: 1807,
  IMAGE_CHECKSUM_FAILED: 1816,
  /** Not a failure in practice: the running image already has the requested checksum. */
  IMAGE_ALREADY_RUNNING: 1817,
  IMAGE_INVALID_DEST_FS: 1824,
  IMAGE_NO_SPACE: 1825,
  IMAGE_COPY_FAILED: 1829,
  IMAGE_COPY_TO_STANDBY_FAILED: 1830,
  // licensing (1900–1901)
  LICENSING_INTERNAL: 1900,
  LICENSING_UNSUPPORTED: 1901,
  // reload (2400–2406)
  RELOAD_INTERNAL: 2400,
  RELOAD_CONFIG_SAVE_FAILED: 2405,
  RELOAD_OPERATION_FAILED: 2406,
  // script (2500–2522)
  SCRIPT_UNSUPPORTED: 2501,
  SCRIPT_EXEC_FAILED: 2502,
  SCRIPT_FILE_OPEN_FAILED: 2503,
  SCRIPT_UNEXPECTED_FILE_TYPE: 2506,
  SCRIPT_EMPTY: 2508,
} as const;

export type PnpErrorCodeValue = (typeof PnpErrorCode)[keyof typeof PnpErrorCode];

/** The `errorSeverity` vocabulary differs per service; cli-config and cli-exec have none. */
export type PnpService =
  | "cli-config"
  | "cli-exec"
  | "config-upgrade"
  | "device-info"
  | "image-install"
  | "licensing"
  | "reload"
  | "script";

const SEVERITY: Record<PnpService, string | undefined> = {
  "cli-config": undefined,
  "cli-exec": undefined,
  "config-upgrade": "XSVC_ERROR",
  "device-info": "XSVC_ERROR",
  "image-install": "XSVC_ERROR",
  licensing: "XSVC_ERROR_LCSG_INSTALL",
  reload: "ERROR",
  script: "ERROR",
};

export interface PnpFailure {
  /** Numeric code; the wire form is `errorCodeString(code)`. */
  code: number;
  message: string;
  /** `errorSeverity` for this service, absent for cli-config and cli-exec. */
  severity?: string;
  /** True when a server should not treat it as a failure (1817: the image is already running). */
  nonFatal?: boolean;
}

export function pnpFailure(service: PnpService, code: number, message: string, nonFatal = false): PnpFailure {
  const failure: PnpFailure = { code, message };
  const severity = SEVERITY[service];
  if (severity !== undefined) failure.severity = severity;
  if (nonFatal) failure.nonFatal = true;
  return failure;
}

/** "PnP Service Error 1817": the string the wire carries in `errorCode`. */
export function errorCodeString(code: number): string {
  return `PnP Service Error ${code}`;
}
