import { type Logger, type LoggerOptions, pino } from "pino";

export type { Logger };

/**
 * Paths redacted from every log line. Secrets may ride in config objects, connection options or error
 * contexts, so we list the names wherever they appear, at any of the first levels of nesting.
 */
const SECRET_KEYS = [
  "password",
  "pwd",
  "secret",
  "componentSecret",
  "token",
  "authorization",
  "redisUrl",
  "signingKey",
  "privateKey",
  "keyPem",
];
export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export interface LoggerSettings {
  level?: string;
  pretty?: boolean;
  name?: string;
  /** Where lines go; a test passes a stream to read them back. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? "info",
    name: settings.name ?? "pnp",
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    base: { pid: process.pid },
  };
  if (settings.destination) return pino(options, settings.destination as pino.DestinationStream);
  if (settings.pretty) {
    return pino({
      ...options,
      transport: { target: "pino-pretty", options: { colorize: true, translateTime: "SYS:HH:MM:ss.l" } },
    });
  }
  return pino(options);
}
