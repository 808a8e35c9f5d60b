import { spawn } from "node:child_process";
import { resolve } from "node:path";

/**
 * Node reads NODE_EXTRA_CA_CERTS once, at start-up, and @xmpp/client takes no CA option. A command
 * whose devices must trust our development CA therefore runs in a process started with that variable:
 * this re-executes the current command with it set, forwarding signals and the exit code.
 * Returns false when this process already trusts the CA (the caller carries on).
 */
export function reexecTrusting(caCertPath: string | undefined): boolean {
  if (!caCertPath || process.env.NODE_EXTRA_CA_CERTS === resolve(caCertPath)) return false;
  const child = spawnTrusting(caCertPath, process.argv.slice(1), "inherit");
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return true;
}

export function spawnTrusting(caCertPath: string, args: string[], stdio: "inherit" | "ignore" = "inherit") {
  const child = spawn(process.execPath, [...process.execArgv, ...args], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: resolve(caCertPath) },
    stdio,
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  return child;
}
