import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface ExtauthSettings {
  redisUrl: string;
  redisPrefix: string;
  xmppDomain: string;
}

/**
 * The command line ejabberd runs as `extauth_program`: this Node running main.js (built) or main.ts
 * through tsx (source checkout). The settings go to `settingsFile` (mode 0600), not on the command line.
 * ejabberd splits the program string on spaces and it is written into a double-quoted YAML string, so
 * paths with spaces, quotes or backslashes are refused.
 */
export function extauthProgram(settingsFile: string, settings: ExtauthSettings): string {
  const file = resolve(settingsFile);
  writeFileSync(file, `${JSON.stringify(settings)}\n`, { mode: 0o600 });
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, "main.js");
  const parts = existsSync(built)
    ? [process.execPath, built, file]
    : [process.execPath, "--import", tsxLoaderUrl(), join(here, "main.ts"), file];
  for (const part of parts)
    if (/[\s"\\]/.test(part))
      throw new Error(`extauth program path ${JSON.stringify(part)} has a space, quote or backslash`);
  return parts.join(" ");
}

function tsxLoaderUrl(): string {
  const pkg = createRequire(import.meta.url).resolve("tsx/package.json");
  return pathToFileURL(join(dirname(pkg), "dist", "loader.mjs")).href;
}
