/**
 * Messages of one chat are handled in order, one at a time; different chats run concurrently up to a limit.
 * Each chat's queue is bounded: what does not fit is refused at once (the caller turns that into a visible
 * reply or log entry), never dropped silently. A failing task does not hold up the ones after it.
 */
export interface QueryPoolOptions {
  /** Chats handled at the same time. */
  concurrency: number;
  /** Queued messages per chat, the running one not included. */
  perChatLimit: number;
  onError?(key: string, error: unknown): void;
}

export type Submission = { accepted: true; position: number } | { accepted: false; reason: string };

type Task = () => Promise<void> | void;

export class QueryPool {
  private readonly chats = new Map<string, { queue: Task[]; running: boolean }>();
  /** Chats with work waiting for a slot, oldest first, so no chat starves. */
  private readonly ready: string[] = [];
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: QueryPoolOptions) {
    if (!(options.concurrency >= 1) || !(options.perChatLimit >= 0)) throw new RangeError('concurrency must be ≥ 1 and perChatLimit ≥ 0.');
  }

  submit(key: string, task: Task): Submission {
    const chat = this.chats.get(key) ?? { queue: [], running: false };
    if (chat.queue.length >= this.options.perChatLimit && (chat.running || chat.queue.length > 0)) {
      return { accepted: false, reason: `This chat already has ${chat.queue.length} message(s) waiting; the limit is ${this.options.perChatLimit}.` };
    }
    chat.queue.push(task);
    this.chats.set(key, chat);
    if (!chat.running && chat.queue.length === 1) this.ready.push(key);
    this.pump();
    return { accepted: true, position: chat.queue.length - 1 + (chat.running ? 1 : 0) };
  }

  get stats(): { running: number; queued: number; chats: number } {
    let queued = 0;
    for (const chat of this.chats.values()) queued += chat.queue.length;
    return { running: this.running, queued, chats: this.chats.size };
  }

  /** Resolves when nothing is running or queued. */
  idle(): Promise<void> {
    if (this.running === 0 && this.ready.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.ready.length > 0) {
      const key = this.ready.shift()!;
      const chat = this.chats.get(key)!;
      const task = chat.queue.shift()!;
      chat.running = true;
      this.running++;
      void this.run(key, task);
    }
    if (this.running === 0 && this.ready.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async run(key: string, task: Task): Promise<void> {
    try {
      await task();
    } catch (error) {
      this.options.onError?.(key, error);
    } finally {
      const chat = this.chats.get(key)!;
      chat.running = false;
      this.running--;
      if (chat.queue.length > 0) this.ready.push(key);
      else this.chats.delete(key);
      this.pump();
    }
  }
}
