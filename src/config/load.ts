import { z } from "zod";
import { type Config, configSchema, envName } from "./schema.js";

export class ConfigError extends Error {
  readonly code = "PNP_CONFIG_INVALID";
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n  ${issues.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/** Reads PNP_* variables, applies overrides (from CLI flags or tests) and validates everything at once. */
export function loadConfig(
  overrides: Partial<Record<keyof Config, unknown>> = {},
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[envName(key)];
    if (value !== undefined && value !== "") raw[key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) raw[key] = value;
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? "");
        return `${envName(key)} (${key}): ${issue.message}`;
      }),
    );
  }
  return parsed.data;
}

export function ejabberdApiUrl(config: Config): string {
  return config.ejabberdApiUrl ?? `http://${config.ejabberdHost}:${config.ejabberdApiPort}/api`;
}

export { z };
