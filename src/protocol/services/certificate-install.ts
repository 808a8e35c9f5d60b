// certificate-install (urn:cisco:pnp:certificate-install), §2.14: trustpool and trustpoint.
// request[@correlator?]/certificateInstall/(cert/(set?/(ntp/ip-address | clock/(year, month, day, hour,
// min, sec)), (install/(trustpool/copy/source/(location | uri) | trustpoint/(label?, copy/source/(location
// | uri))) | uninstall/(trustpool | trustpoint/label))), reconnect?/(primary-server, backup-server?)).
// The clock matters because certificate validity needs the right time. The XSD gives hour 0..59, a typo:
// we build 0..23. reconnect's servers are redirection's, with https|xmpp-starttls|xmpp-tls for the primary
// (no capwap for either) and server-address optional. Response: errorInfo (3300–3337, XSVC_ERROR); an
// empty success response is the normal case.

import type { Element } from "ltx";
import { type BuildChild, checkInteger, element, leaf, requireNonEmpty } from "../build.js";
import { invalidBuild } from "../errors.js";
import { enumValue, type NamespaceReader, pathOf } from "../read.js";
import {
  buildErrorInfo,
  buildFileRef,
  type ErrorInfo,
  type FileRef,
  parseErrorInfo,
  parseFileRef,
  type ServiceCodec,
} from "./common.js";
import {
  type BackupServer,
  buildServerEndpoint,
  type PrimaryServer,
  parseServerEndpoint,
} from "./redirection.js";

export const RECONNECT_PRIMARY_PROTOCOLS = ["https", "xmpp-starttls", "xmpp-tls"] as const;
export const RECONNECT_BACKUP_PROTOCOLS = [
  "http",
  "https",
  "xmpp-socket",
  "xmpp-starttls",
  "xmpp-tls",
] as const;

export interface ClockValue {
  /** 1993–2035. */
  year: number;
  /** As IOS `clock set` takes it, e.g. "March". */
  month: string;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** cert/set: how the agent sets its clock before installing. */
export type ClockSetting = { ntpServer: string } | { clock: ClockValue };

export type CertificateAction =
  | { operation: "install"; store: "trustpool"; source: FileRef }
  | { operation: "install"; store: "trustpoint"; label?: string; source: FileRef }
  | { operation: "uninstall"; store: "trustpool" }
  | { operation: "uninstall"; store: "trustpoint"; label: string };

export interface CertificateReconnect {
  primaryServer: PrimaryServer<(typeof RECONNECT_PRIMARY_PROTOCOLS)[number]>;
  backupServer?: BackupServer<(typeof RECONNECT_BACKUP_PROTOCOLS)[number]>;
}

export interface CertificateInstallRequest {
  setClock?: ClockSetting;
  action: CertificateAction;
  /** Where to reconnect once the certificate is in place (typically the same server over https). */
  reconnect?: CertificateReconnect;
}

export interface CertificateInstallResponse {
  errorInfo?: ErrorInfo;
}

function buildCopy(source: FileRef, what: string): Element {
  return element("copy", {}, element("source", {}, buildFileRef(source, what)));
}

function buildClockSetting(setting: ClockSetting): Element {
  if ("ntpServer" in setting) {
    return element(
      "set",
      {},
      element("ntp", {}, leaf("ip-address", requireNonEmpty(setting.ntpServer, "set.ntpServer"))),
    );
  }
  const clock = setting.clock;
  return element(
    "set",
    {},
    element(
      "clock",
      {},
      leaf("year", checkInteger(clock.year, 1993, 2035, "set.clock.year")),
      leaf("month", requireNonEmpty(clock.month, "set.clock.month")),
      leaf("day", checkInteger(clock.day, 1, 31, "set.clock.day")),
      leaf("hour", checkInteger(clock.hour, 0, 23, "set.clock.hour")),
      leaf("min", checkInteger(clock.minute, 0, 59, "set.clock.minute")),
      leaf("sec", checkInteger(clock.second, 0, 59, "set.clock.second")),
    ),
  );
}

function buildAction(action: CertificateAction): Element {
  if (action.operation === "install") {
    if (action.store === "trustpool") {
      return element(
        "install",
        {},
        element("trustpool", {}, buildCopy(action.source, "install.trustpool.source")),
      );
    }
    return element(
      "install",
      {},
      element(
        "trustpoint",
        {},
        leaf("label", action.label),
        buildCopy(action.source, "install.trustpoint.source"),
      ),
    );
  }
  if (action.operation === "uninstall") {
    if (action.store === "trustpool") return element("uninstall", {}, element("trustpool"));
    return element(
      "uninstall",
      {},
      element("trustpoint", {}, leaf("label", requireNonEmpty(action.label, "uninstall.trustpoint.label"))),
    );
  }
  throw invalidBuild("certificateInstall.action", "operation must be install or uninstall");
}

function parseClockSetting(reader: NamespaceReader, set: Element): ClockSetting {
  const picked = reader.requireChoice(set, ["ntp", "clock"] as const);
  if (picked.name === "ntp") return { ntpServer: reader.requireText(picked.element, "ip-address").trim() };
  const clock = picked.element;
  return {
    clock: {
      year: reader.requireInteger(clock, "year"),
      month: reader.requireText(clock, "month").trim(),
      day: reader.requireInteger(clock, "day"),
      hour: reader.requireInteger(clock, "hour"),
      minute: reader.requireInteger(clock, "min"),
      second: reader.requireInteger(clock, "sec"),
    },
  };
}

function parseCopySource(reader: NamespaceReader, owner: Element): FileRef {
  return parseFileRef(reader, reader.requireChild(reader.requireChild(owner, "copy"), "source"));
}

function parseAction(reader: NamespaceReader, cert: Element): CertificateAction {
  const picked = reader.requireChoice(cert, ["install", "uninstall"] as const);
  const store = reader.requireChoice(picked.element, ["trustpool", "trustpoint"] as const);
  if (picked.name === "install") {
    if (store.name === "trustpool") {
      return { operation: "install", store: "trustpool", source: parseCopySource(reader, store.element) };
    }
    const action: CertificateAction = {
      operation: "install",
      store: "trustpoint",
      source: parseCopySource(reader, store.element),
    };
    const label = reader.text(store.element, "label");
    if (label !== undefined) action.label = label;
    return action;
  }
  if (store.name === "trustpool") return { operation: "uninstall", store: "trustpool" };
  return { operation: "uninstall", store: "trustpoint", label: reader.requireText(store.element, "label") };
}

export const certificateInstallCodec: ServiceCodec<CertificateInstallRequest, CertificateInstallResponse> = {
  errorInfo: "with-severity",
  correlatorOptional: true,

  buildRequest(request: CertificateInstallRequest): BuildChild[] {
    const reconnect = request.reconnect;
    return [
      element(
        "certificateInstall",
        {},
        element(
          "cert",
          {},
          request.setClock === undefined ? undefined : buildClockSetting(request.setClock),
          buildAction(request.action),
        ),
        reconnect === undefined
          ? undefined
          : element(
              "reconnect",
              {},
              buildServerEndpoint(
                "primary-server",
                reconnect.primaryServer,
                RECONNECT_PRIMARY_PROTOCOLS,
                false,
                "reconnect.primaryServer",
              ),
              reconnect.backupServer === undefined
                ? undefined
                : buildServerEndpoint(
                    "backup-server",
                    reconnect.backupServer,
                    RECONNECT_BACKUP_PROTOCOLS,
                    false,
                    "reconnect.backupServer",
                  ),
            ),
      ),
    ];
  },

  parseRequest(request: Element, reader: NamespaceReader): CertificateInstallRequest {
    const install = reader.requireChild(request, "certificateInstall");
    const cert = reader.requireChild(install, "cert");
    const result: CertificateInstallRequest = { action: parseAction(reader, cert) };
    const set = reader.child(cert, "set");
    if (set !== undefined) result.setClock = parseClockSetting(reader, set);
    const reconnect = reader.child(install, "reconnect");
    if (reconnect !== undefined) {
      const primaryElement = reader.requireChild(reconnect, "primary-server");
      const primary = parseServerEndpoint(reader, primaryElement);
      const value: CertificateReconnect = {
        primaryServer: {
          ...primary,
          protocol: enumValue(
            primary.protocol,
            RECONNECT_PRIMARY_PROTOCOLS,
            `${pathOf(primaryElement)}/protocol`,
          ),
        },
      };
      const backupElement = reader.child(reconnect, "backup-server");
      if (backupElement !== undefined) {
        const backup = parseServerEndpoint(reader, backupElement);
        value.backupServer = {
          ...backup,
          protocol: enumValue(
            backup.protocol,
            RECONNECT_BACKUP_PROTOCOLS,
            `${pathOf(backupElement)}/protocol`,
          ),
        };
      }
      result.reconnect = value;
    }
    return result;
  },

  buildResponse(response: CertificateInstallResponse): BuildChild[] {
    return [buildErrorInfo(response.errorInfo, true)];
  },

  parseResponse(response: Element, reader: NamespaceReader): CertificateInstallResponse {
    const errorInfo = parseErrorInfo(reader, response, true);
    return errorInfo === undefined ? {} : { errorInfo };
  },
};
