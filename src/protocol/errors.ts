// One error class for everything the codec rejects, with stable string codes so callers can branch on
// them (answer with a fault, log, count) without parsing messages.

export const PNP_ERROR_CODES = [
  /** Not well-formed XML: bad nesting, unquoted attribute, text outside the root, empty input… */
  "PNP_XML_MALFORMED",
  /** Binary junk: bytes that are not UTF-8, or characters XML 1.0 forbids (NUL, most C0 controls). */
  "PNP_XML_INVALID_CHAR",
  /** A `<!DOCTYPE` or `<!ENTITY` declaration: no DTD is ever processed. */
  "PNP_XML_DTD_FORBIDDEN",
  /** A reference to an entity other than the five predefined ones (there is no DTD to define it). */
  "PNP_XML_ENTITY_FORBIDDEN",
  /** The message is larger than the configured maximum (bytes). */
  "PNP_XML_TOO_LARGE",
  /** Elements nest deeper than the configured maximum. */
  "PNP_XML_TOO_DEEP",
  /** More elements than the configured maximum. */
  "PNP_XML_TOO_MANY_ELEMENTS",
  /** An attribute value longer than the configured maximum. */
  "PNP_XML_ATTR_TOO_LONG",
  /** Well-formed XML that is not a valid PnP message (wrong root, missing correlator, success not 0/1…). */
  "PNP_MSG_INVALID",
  /** A builder was given values the wire format does not allow (out-of-range backoff, empty UDI…). */
  "PNP_BUILD_INVALID",
  /** A string that is not a `PID:…,VID:…,SN:…` UDI. */
  "PNP_UDI_INVALID",
  /** Option 43 input that cannot be encoded or decoded. */
  "PNP_OPTION43_INVALID",
] as const;

export type PnpErrorCode = (typeof PNP_ERROR_CODES)[number];

export interface PnpErrorDetails {
  /** Where in the message: an element path such as `pnp/response@success`. */
  path?: string;
  /** Character offset in the XML text, for XML-level errors. */
  offset?: number;
  cause?: unknown;
}

export class PnpProtocolError extends Error {
  override readonly name = "PnpProtocolError";
  readonly code: PnpErrorCode;
  readonly path: string | undefined;
  readonly offset: number | undefined;

  constructor(code: PnpErrorCode, message: string, details: PnpErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.path = details.path;
    this.offset = details.offset;
  }
}

export function isPnpProtocolError(value: unknown): value is PnpProtocolError {
  return value instanceof PnpProtocolError;
}

/** A structurally wrong message; `path` names the element or attribute at fault. */
export function invalidMessage(path: string, problem: string): PnpProtocolError {
  return new PnpProtocolError("PNP_MSG_INVALID", `${path}: ${problem}`, { path });
}

/** A builder input the wire format does not allow; `what` names the field. */
export function invalidBuild(what: string, problem: string): PnpProtocolError {
  return new PnpProtocolError("PNP_BUILD_INVALID", `${what}: ${problem}`, { path: what });
}
