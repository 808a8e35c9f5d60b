// Idempotency by correlator: a request seen again (a retransmission, a duplicate delivery) returns the
// first result and applies nothing. A small LRU per device; a Map keeps insertion order, so the oldest
// entry is the first key and a hit moves its entry to the end.

export class CorrelatorCache<T = unknown> {
  private readonly entries = new Map<string, T>();

  constructor(readonly capacity = 8) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError("capacity must be a positive integer");
  }

  get size(): number {
    return this.entries.size;
  }

  has(correlator: string): boolean {
    return this.entries.has(correlator);
  }

  /** The stored result, refreshed as most recently used. */
  get(correlator: string): T | undefined {
    const value = this.entries.get(correlator);
    if (value === undefined) return undefined;
    this.entries.delete(correlator);
    this.entries.set(correlator, value);
    return value;
  }

  set(correlator: string, value: T): void {
    this.entries.delete(correlator);
    this.entries.set(correlator, value);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /**
   * Runs `operation` once per correlator: a repeat returns the first result with `replayed: true`.
   * An empty correlator is never cached (each call runs).
   */
  run<R extends T>(correlator: string, operation: () => R): { result: R; replayed: boolean } {
    if (correlator === "") return { result: operation(), replayed: false };
    if (this.entries.has(correlator)) return { result: this.get(correlator) as R, replayed: true };
    const result = operation();
    this.set(correlator, result);
    return { result, replayed: false };
  }

  clear(): void {
    this.entries.clear();
  }
}
