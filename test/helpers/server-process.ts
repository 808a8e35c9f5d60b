import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { inject } from "vitest";

/** Environment that points a pnpctl child process at the suite's ejabberd and Redis. */
export function serverEnv(redisPrefix: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const stack = inject("stack");
  return {
    PNP_XMPP_DOMAIN: stack.xmppDomain,
    PNP_COMPONENT_DOMAIN: stack.componentDomain,
    PNP_COMPONENT_SECRET: stack.componentSecret,
    PNP_EJABBERD_COMPONENT_PORT: String(stack.ejabberdComponentPort),
    PNP_EJABBERD_C2S_PORT: String(stack.ejabberdC2sPort),
    PNP_EJABBERD_API_PORT: String(stack.ejabberdApiPort),
    PNP_REDIS_URL: stack.redisUrl,
    PNP_REDIS_PREFIX: redisPrefix,
    PNP_LOG_PRETTY: "0",
    ...extra,
  };
}

/** Runs pnpctl through tsx as a real child process. */
export function pnpctl(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "src/cli/index.ts", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Resolves with the first stdout line that matches; rejects if the process exits first. */
export function lineMatching(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const onData = (d: Buffer) => {
      buffer += d.toString();
      const line = buffer.split("\n").find((l) => pattern.test(l));
      if (line) {
        child.stdout?.off("data", onData);
        child.off("exit", onExit);
        resolve(line);
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`exited (${code}) before printing ${pattern}: ${buffer.slice(-2000)}`));
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}

/** Starts `pnpctl serve` and resolves once it is online. */
export async function startServerProcess(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = pnpctl(["serve"], env);
  await lineMatching(child, /PnP server running/);
  return child;
}

export interface ProcessOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Collects a child's output until it exits. */
export async function output(child: ChildProcess): Promise<ProcessOutput> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => (stdout += d));
  child.stderr?.on("data", (d) => (stderr += d));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr };
}
