// redirection (urn:cisco:pnp:redirection), §2.13: points the agent's profile at another server.
// request[@correlator?]/redirection[@controller-type?]/(callback?, primary-server, backup-server?). Each
// server is (protocol, server-address/((ipv4 | ipv6 | host), port?), encryption?, authentication?,
// source-interface?, reconnect-timer?). The backup's authentication block is (username?, password?, jid?),
// the primary's (username?, password-type?, password?, server-xmpp-jid?, device-xmpp-jid?), "mandatory for
// xmpp". The correlator is optional on this request (XSD). certificate-install's reconnect reuses these.

import type { Element } from "ltx";
import {
  type BuildChild,
  booleanText,
  checkInteger,
  checkOneOf,
  element,
  flag,
  leaf,
  optionalInteger,
} from "../build.js";
import { invalidBuild, invalidMessage } from "../errors.js";
import { attributeOf, enumValue, type NamespaceReader, pathOf } from "../read.js";
import {
  buildErrorInfo,
  buildServerAddress,
  type ErrorInfo,
  parseErrorInfo,
  parseServerAddress,
  type ServerAddress,
  type ServiceCodec,
} from "./common.js";

export const REDIRECT_PROTOCOLS = [
  "http",
  "https",
  "xmpp-socket",
  "xmpp-starttls",
  "xmpp-tls",
  "capwap",
] as const;
/** The xmpp values are commented "No longer supported" in the 2017 XSD; capwap redirects an AP to a WLC. */
export type RedirectProtocol = (typeof REDIRECT_PROTOCOLS)[number];

export interface ServerEncryption {
  /** Local certificate (trustpoint) label for server authentication. */
  localcert?: string;
  remotecert?: string;
  sasl?: string;
}

export interface PrimaryServerAuthentication {
  username?: string;
  /** 0: clear text, 7: type-7 obfuscated. */
  passwordType?: 0 | 7;
  password?: string;
  serverXmppJid?: string;
  deviceXmppJid?: string;
}

export interface BackupServerAuthentication {
  username?: string;
  password?: string;
  jid?: string;
}

export interface ReconnectTimer {
  /** 1–2000000. */
  pauseInSeconds: number;
  /** 2–9. */
  exponentialReconnectFactor?: number;
  random?: boolean;
}

export interface ServerEndpoint<Authentication, Protocol extends string = RedirectProtocol> {
  protocol: Protocol;
  /** Required in redirection; optional in certificate-install's reconnect. */
  address?: ServerAddress;
  /** Written inside server-address, so it needs an address. Default 80 for http, 443 for https. */
  port?: number;
  encryption?: ServerEncryption;
  authentication?: Authentication;
  sourceInterface?: string;
  reconnectTimer?: ReconnectTimer;
}

export type PrimaryServer<Protocol extends string = RedirectProtocol> = ServerEndpoint<
  PrimaryServerAuthentication,
  Protocol
>;
export type BackupServer<Protocol extends string = RedirectProtocol> = ServerEndpoint<
  BackupServerAuthentication,
  Protocol
>;

export interface RedirectionRequest {
  controllerType?: "wlc";
  /** The profile stays active after the redirection. */
  callback?: boolean;
  primaryServer: PrimaryServer & { address: ServerAddress };
  backupServer?: BackupServer & { address: ServerAddress };
}

export interface RedirectionResponse {
  errorInfo?: ErrorInfo;
}

// --- shared with certificate-install ----------------------------------------------------------------

export function buildServerEndpoint(
  name: "primary-server" | "backup-server",
  server: ServerEndpoint<PrimaryServerAuthentication | BackupServerAuthentication, string>,
  protocols: readonly string[],
  addressRequired: boolean,
  what: string,
): Element {
  if (server.address === undefined && (addressRequired || server.port !== undefined)) {
    throw invalidBuild(
      `${what}.address`,
      addressRequired ? "is required" : "is required when a port is given",
    );
  }
  const auth = server.authentication;
  let authentication: Element | undefined;
  if (auth !== undefined) {
    if (name === "primary-server") {
      const primary = auth as PrimaryServerAuthentication;
      authentication = element(
        "authentication",
        {},
        leaf("username", primary.username),
        primary.passwordType === undefined
          ? undefined
          : leaf(
              "password-type",
              checkOneOf(String(primary.passwordType), ["0", "7"], `${what}.passwordType`),
            ),
        leaf("password", primary.password),
        leaf("server-xmpp-jid", primary.serverXmppJid),
        leaf("device-xmpp-jid", primary.deviceXmppJid),
      );
    } else {
      const backup = auth as BackupServerAuthentication;
      authentication = element(
        "authentication",
        {},
        leaf("username", backup.username),
        leaf("password", backup.password),
        leaf("jid", backup.jid),
      );
    }
  }
  const timer = server.reconnectTimer;
  return element(
    name,
    {},
    leaf("protocol", checkOneOf(server.protocol, protocols, `${what}.protocol`)),
    server.address === undefined
      ? undefined
      : buildServerAddress(server.address, server.port, `${what}.address`),
    server.encryption === undefined
      ? undefined
      : element(
          "encryption",
          {},
          leaf("localcert", server.encryption.localcert),
          leaf("remotecert", server.encryption.remotecert),
          leaf("sasl", server.encryption.sasl),
        ),
    authentication,
    leaf("source-interface", server.sourceInterface),
    timer === undefined
      ? undefined
      : element(
          "reconnect-timer",
          {},
          leaf(
            "pause-in-seconds",
            checkInteger(timer.pauseInSeconds, 1, 2_000_000, `${what}.pauseInSeconds`),
          ),
          leaf(
            "exponential-reconnect-factor",
            optionalInteger(timer.exponentialReconnectFactor, 2, 9, `${what}.exponentialReconnectFactor`),
          ),
          flag("random", timer.random),
        ),
  );
}

function setText<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

export function parseServerEndpoint(
  reader: NamespaceReader,
  server: Element,
): ServerEndpoint<PrimaryServerAuthentication & BackupServerAuthentication, string> {
  const result: ServerEndpoint<PrimaryServerAuthentication & BackupServerAuthentication, string> = {
    protocol: reader.requireText(server, "protocol").trim(),
  };
  const serverAddress = reader.child(server, "server-address");
  if (serverAddress !== undefined) {
    const { address, port } = parseServerAddress(reader, serverAddress);
    result.address = address;
    if (port !== undefined) result.port = port;
  }
  const encryption = reader.child(server, "encryption");
  if (encryption !== undefined) {
    const value: ServerEncryption = {};
    setText(value, "localcert", reader.text(encryption, "localcert"));
    setText(value, "remotecert", reader.text(encryption, "remotecert"));
    setText(value, "sasl", reader.text(encryption, "sasl"));
    result.encryption = value;
  }
  const authentication = reader.child(server, "authentication");
  if (authentication !== undefined) {
    const value: PrimaryServerAuthentication & BackupServerAuthentication = {};
    setText(value, "username", reader.text(authentication, "username"));
    const passwordType = reader.child(authentication, "password-type");
    if (passwordType !== undefined) {
      value.passwordType = Number(enumValue(passwordType.getText(), ["0", "7"], pathOf(passwordType))) as
        | 0
        | 7;
    }
    setText(value, "password", reader.text(authentication, "password"));
    setText(value, "serverXmppJid", reader.text(authentication, "server-xmpp-jid"));
    setText(value, "deviceXmppJid", reader.text(authentication, "device-xmpp-jid"));
    setText(value, "jid", reader.text(authentication, "jid"));
    result.authentication = value;
  }
  setText(result, "sourceInterface", reader.text(server, "source-interface"));
  const timer = reader.child(server, "reconnect-timer");
  if (timer !== undefined) {
    const value: ReconnectTimer = { pauseInSeconds: reader.requireInteger(timer, "pause-in-seconds") };
    setText(value, "exponentialReconnectFactor", reader.integer(timer, "exponential-reconnect-factor"));
    if (reader.child(timer, "random") !== undefined) value.random = true;
    result.reconnectTimer = value;
  }
  return result;
}

// --- codec ------------------------------------------------------------------------------------------

export const redirectionCodec: ServiceCodec<RedirectionRequest, RedirectionResponse> = {
  errorInfo: "with-severity",
  correlatorOptional: true,

  buildRequest(request: RedirectionRequest): BuildChild[] {
    return [
      element(
        "redirection",
        {
          "controller-type":
            request.controllerType === undefined
              ? undefined
              : checkOneOf(request.controllerType, ["wlc"], "redirection.controllerType"),
        },
        leaf("callback", booleanText(request.callback)),
        buildServerEndpoint(
          "primary-server",
          request.primaryServer,
          REDIRECT_PROTOCOLS,
          true,
          "redirection.primaryServer",
        ),
        request.backupServer === undefined
          ? undefined
          : buildServerEndpoint(
              "backup-server",
              request.backupServer,
              REDIRECT_PROTOCOLS,
              true,
              "redirection.backupServer",
            ),
      ),
    ];
  },

  parseRequest(request: Element, reader: NamespaceReader): RedirectionRequest {
    const redirection = reader.requireChild(request, "redirection");
    const primary = reader.requireChild(redirection, "primary-server");
    const parseWithAddress = (server: Element) => {
      const parsed = parseServerEndpoint(reader, server);
      const address = parsed.address;
      if (address === undefined) {
        throw invalidMessage(`${pathOf(server)}/server-address`, "element is missing");
      }
      return {
        ...parsed,
        protocol: enumValue(parsed.protocol, REDIRECT_PROTOCOLS, `${pathOf(server)}/protocol`),
        address,
      };
    };
    const result: RedirectionRequest = { primaryServer: parseWithAddress(primary) };
    const controllerType = attributeOf(redirection, "controller-type");
    if (controllerType !== undefined) {
      result.controllerType = enumValue(controllerType, ["wlc"], pathOf(redirection, "controller-type"));
    }
    const callback = reader.boolean(redirection, "callback");
    if (callback !== undefined) result.callback = callback;
    const backup = reader.child(redirection, "backup-server");
    if (backup !== undefined) result.backupServer = parseWithAddress(backup);
    return result;
  },

  buildResponse(response: RedirectionResponse): BuildChild[] {
    return [buildErrorInfo(response.errorInfo, true)];
  },

  parseResponse(response: Element, reader: NamespaceReader): RedirectionResponse {
    const errorInfo = parseErrorInfo(reader, response, true);
    return errorInfo === undefined ? {} : { errorInfo };
  },
};
