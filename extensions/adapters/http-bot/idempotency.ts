/**
 * Remembers `X-LB-Idempotency-Key`s of accepted requests for 600 s, at most 4096 of them (the oldest is forgotten
 * first), so a client may retry a request safely.
 */
export const IDEMPOTENCY_TTL_MS = 600_000;
export const IDEMPOTENCY_MAX_KEYS = 4096;

export class IdempotencyKeys {
  /** key → expiry (ms); Map order is insertion order, so the first entry is the oldest. */
  private readonly keys = new Map<string, number>();

  constructor(
    private readonly ttlMs = IDEMPOTENCY_TTL_MS,
    private readonly max = IDEMPOTENCY_MAX_KEYS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the key; false when it was already recorded and has not expired. */
  claim(key: string): boolean {
    const now = this.now();
    this.prune(now);
    if (this.keys.has(key)) return false;
    while (this.keys.size >= this.max) this.keys.delete(this.keys.keys().next().value as string);
    this.keys.set(key, now + this.ttlMs);
    return true;
  }

  /** Forgets a key whose request was not accepted after all, so a retry is not refused. */
  release(key: string): void {
    this.keys.delete(key);
  }

  get size(): number {
    return this.keys.size;
  }

  private prune(now: number): void {
    for (const [key, expiry] of this.keys) {
      if (expiry > now) break;
      this.keys.delete(key);
    }
  }
}
