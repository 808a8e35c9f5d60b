import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";

export interface ManagedChild {
  readonly proc: ChildProcess;
  /** Set once the process has exited, with its code or signal. */
  exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Resolves with the first output line that matches, rejects if the process exits first. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** SIGTERM, then SIGKILL after graceMs; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns a long-running server, tees its output to a log file and lets callers await log lines. */
export function spawnManaged(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; logFile: string },
): ManagedChild {
  const proc = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = createWriteStream(options.logFile, { flags: "a" });
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  let buffered = "";
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    buffered += chunk.toString("utf8");
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      for (const waiter of waiters) {
        if (waiter.pattern.test(line)) {
          waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    }
  };
  proc.stdout?.on("data", onData);
  proc.stderr?.on("data", onData);

  const managed: ManagedChild = {
    proc,
    exited: undefined,
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        if (managed.exited) {
          reject(new Error(`${command} exited (${JSON.stringify(managed.exited)}); see ${options.logFile}`));
          return;
        }
        const waiter = {
          pattern,
          resolve: (line: string) => {
            clearTimeout(timer);
            proc.off("exit", onExit);
            resolve(line);
          },
        };
        const onExit = () => {
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`${command} exited before printing ${pattern}; see ${options.logFile}`));
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          proc.off("exit", onExit);
          reject(
            new Error(`${command} did not print ${pattern} within ${timeoutMs} ms; see ${options.logFile}`),
          );
        }, timeoutMs);
        waiters.add(waiter);
        proc.once("exit", onExit);
      });
    },
    async stop(graceMs = 10_000) {
      if (managed.exited) return;
      const gone = once(proc, "exit");
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
  proc.on("exit", (code, signal) => {
    managed.exited = { code, signal };
    log.end();
  });
  return managed;
}
