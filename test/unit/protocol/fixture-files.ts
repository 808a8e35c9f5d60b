// Reads files from test/fixtures/pnp/.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const FIXTURE_ROOT = fileURLToPath(new URL("../../fixtures/pnp/", import.meta.url));

export function fixtureText(relativePath: string): string {
  return readFileSync(FIXTURE_ROOT + relativePath, "utf8");
}

export function fixtureBytes(relativePath: string): Uint8Array {
  return new Uint8Array(readFileSync(FIXTURE_ROOT + relativePath));
}
