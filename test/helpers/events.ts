import type { Redis } from "ioredis";

export type StreamEvent = Record<string, string> & { id: string };

/**
 * Reads a Redis stream with blocking XREAD from `fromId` until `count` events match, so tests await the
 * real event instead of sleeping. Rejects with what was seen when the deadline passes.
 */
export async function waitForEvents(
  redis: Redis,
  stream: string,
  match: (event: StreamEvent) => boolean,
  {
    count = 1,
    fromId = "0",
    timeoutMs = 15_000,
  }: { count?: number; fromId?: string; timeoutMs?: number } = {},
): Promise<StreamEvent[]> {
  const reader = redis.duplicate();
  const found: StreamEvent[] = [];
  const seen: StreamEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  let lastId = fromId;
  try {
    while (found.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `saw ${found.length}/${count} matching events in ${timeoutMs} ms; last seen: ${JSON.stringify(seen.slice(-5))}`,
        );
      }
      const reply = (await reader.xread(
        "COUNT",
        1000,
        "BLOCK",
        Math.min(left, 1000),
        "STREAMS",
        stream,
        lastId,
      )) as [string, [string, string[]][]][] | null;
      if (!reply) continue;
      for (const [, entries] of reply) {
        for (const [id, fields] of entries) {
          lastId = id;
          const event: StreamEvent = { id } as StreamEvent;
          for (let i = 0; i < fields.length; i += 2) event[fields[i]!] = fields[i + 1]!;
          seen.push(event);
          if (match(event) && found.length < count) found.push(event);
        }
      }
    }
    return found;
  } finally {
    reader.disconnect();
  }
}

/** The id of the newest entry, so a wait only sees what happens after this point. */
export async function streamTail(redis: Redis, stream: string): Promise<string> {
  const last = (await redis.xrevrange(stream, "+", "-", "COUNT", 1)) as [string, string[]][];
  return last[0]?.[0] ?? "0";
}
