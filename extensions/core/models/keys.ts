/** API keys: each provider's keys are used in turn; lists and answers show them masked. */
export class KeyRotation {
  private readonly next = new Map<string, number>();

  /** The provider's keys starting with the one whose turn it is ('' when it has none). */
  order(providerUuid: string, keys: string[]): string[] {
    if (keys.length === 0) return [''];
    const start = (this.next.get(providerUuid) ?? 0) % keys.length;
    this.next.set(providerUuid, start + 1);
    return [...keys.slice(start), ...keys.slice(0, start)];
  }
}

/** `sk-abcdef123456` → `sk-a…3456`; short keys are hidden entirely. */
export function maskKey(key: string): string {
  return key.length <= 8 ? '…' : `${key.slice(0, 4)}…${key.slice(-4)}`;
}

/** Keys from a client that may contain masked values: a masked value stands for the stored key it masks. */
export function unmaskKeys(incoming: string[], stored: string[]): string[] {
  return incoming.map((key) => stored.find((s) => maskKey(s) === key) ?? key);
}
