import { connect } from "node:net";
import { setTimeout as delay } from "node:timers/promises";

/**
 * Retries a readiness probe until it succeeds or the deadline passes. The probe is the event we wait for
 * (a port accepting, an API answering); the short pause between tries only paces the retries.
 */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  {
    timeoutMs = 30_000,
    intervalMs = 50,
    failFast,
  }: { timeoutMs?: number; intervalMs?: number; failFast?: () => Error | undefined } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const fatal = failFast?.();
    if (fatal) throw fatal;
    try {
      if (await probe()) return;
    } catch (err) {
      lastError = err;
    }
    await delay(intervalMs);
  }
  const detail = lastError instanceof Error ? `: ${lastError.message}` : "";
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
}

export function tcpAccepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
