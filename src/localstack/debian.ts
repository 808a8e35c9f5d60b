import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * Installs a Debian package when the binary it provides is missing. Only root can do that; anyone else
 * gets the exact command to run.
 */
export function ensureDebianPackage(pkg: string, binary: string): void {
  if (existsSync(binary)) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`${binary} is missing: install it with "sudo apt-get install -y ${pkg}" and try again`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  const result = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", pkg], {
    stdio: "inherit",
    env,
  });
  if (result.status !== 0 || !existsSync(binary)) {
    throw new Error(`apt-get install ${pkg} failed (exit ${result.status}); ${binary} is still missing`);
  }
}
