/**
 * Message aggregation: quick successive messages of one chat wait `delay` seconds after the last one and are then
 * handled as one (chains joined with a newline, the first message's event kept). Ten messages flush at once.
 * Flushes of one chat run one after another.
 */
import type { MessageReceivedEvent } from '@langbot-ts/sdk';

export const MAX_BUFFER_MESSAGES = 10;

interface Buffer {
  events: MessageReceivedEvent[];
  timer: ReturnType<typeof setTimeout>;
  run(event: MessageReceivedEvent): Promise<void>;
}

export class Aggregator {
  private readonly buffers = new Map<string, Buffer>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  add(key: string, event: MessageReceivedEvent, delaySeconds: number, run: (event: MessageReceivedEvent) => Promise<void>): void {
    const existing = this.buffers.get(key);
    if (existing) clearTimeout(existing.timer);
    const buffer: Buffer = existing ?? { events: [], timer: undefined as never, run };
    buffer.events.push(event);
    buffer.run = run;
    this.buffers.set(key, buffer);
    if (buffer.events.length >= MAX_BUFFER_MESSAGES) return this.flush(key);
    buffer.timer = setTimeout(() => this.flush(key), delaySeconds * 1000);
  }

  /** Handles everything buffered now; resolves when those runs are done (used at shutdown). */
  async flushAll(): Promise<void> {
    for (const key of [...this.buffers.keys()]) this.flush(key);
    await Promise.all([...this.chains.values()]);
  }

  get pending(): number {
    let n = 0;
    for (const b of this.buffers.values()) n += b.events.length;
    return n;
  }

  private flush(key: string): void {
    const buffer = this.buffers.get(key);
    if (!buffer) return;
    clearTimeout(buffer.timer);
    this.buffers.delete(key);
    const merged = merge(buffer.events);
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(() => buffer.run(merged)).catch(this.onError);
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }
}

export function merge(events: MessageReceivedEvent[]): MessageReceivedEvent {
  if (events.length === 1) return events[0];
  const [first] = events;
  const message_chain = events.flatMap((e, i) => (i === 0 ? e.message_chain : [{ type: 'Plain' as const, text: '\n' }, ...e.message_chain]));
  return { ...first, message_chain };
}
