import type { Disposer } from '../api/extension.js';

export interface Registration<T> {
  key: string;
  owner: string;
  value: T;
}

/**
 * A keyed registry whose every registration returns a disposer. Two owners may claim one key: the first keeps
 * it and the conflict is reported, never silently shadowed; when the first leaves, the next takes over.
 */
export class Registry<T> {
  private readonly entries = new Map<string, Registration<T>[]>();
  private readonly listeners = new Set<(key: string) => void>();

  constructor(
    readonly name: string,
    private readonly onConflict: (key: string, kept: string, other: string) => void = () => {},
  ) {}

  add(key: string, owner: string, value: T): Disposer {
    const list = this.entries.get(key) ?? [];
    const registration = { key, owner, value };
    if (list.length > 0) this.onConflict(key, list[0].owner, owner);
    list.push(registration);
    this.entries.set(key, list);
    this.emit(key);
    return () => {
      const current = this.entries.get(key);
      if (!current) return;
      const i = current.indexOf(registration);
      if (i < 0) return;
      current.splice(i, 1);
      if (current.length === 0) this.entries.delete(key);
      this.emit(key);
    };
  }

  get(key: string): Registration<T> | undefined {
    return this.entries.get(key)?.[0];
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  list(): Registration<T>[] {
    return [...this.entries.values()].map((l) => l[0]);
  }

  ownedBy(owner: string): Registration<T>[] {
    return [...this.entries.values()].flat().filter((r) => r.owner === owner);
  }

  onChange(listener: (key: string) => void): Disposer {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(key: string): void {
    for (const listener of [...this.listeners]) listener(key);
  }
}
