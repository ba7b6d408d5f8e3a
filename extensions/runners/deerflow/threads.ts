/**
 * Which DeerFlow thread holds which LangBot conversation, kept in the kernel's key-value store so it survives a
 * restart. A thread made on another server (the api-base changed) is not reused.
 */
import { createHash } from 'node:crypto';
import type { ExtensionContext, RunnerRequest } from '@langbot-ts/sdk';

interface Stored {
  thread_id: string;
  api_base: string;
}

/** The conversation a request belongs to; the agent handler has none, so its chat (session) stands for it. */
export function conversationKey(request: RunnerRequest): string {
  const id = request.conversation_id ? `conversation:${request.conversation_id}` : `session:${request.session_id}`;
  return id.length <= 200 ? `thread:${id}` : `thread:sha256:${createHash('sha256').update(id).digest('hex')}`;
}

export class ThreadStore {
  /** Threads being created, so two messages arriving together do not make two threads. */
  private readonly creating = new Map<string, Promise<string>>();

  constructor(private readonly ctx: ExtensionContext) {}

  async find(key: string, apiBase: string): Promise<string | undefined> {
    const { value } = await this.ctx.call<{ value: Stored | null }>('kv', 'get', { key });
    return value && value.api_base === apiBase && typeof value.thread_id === 'string' ? value.thread_id : undefined;
  }

  /** Creates a thread for the conversation and remembers it (replacing one DeerFlow has lost). */
  replace(key: string, apiBase: string, create: () => Promise<string>): Promise<string> {
    const pending = this.creating.get(key);
    if (pending) return pending;
    const made = (async () => {
      const thread_id = await create();
      await this.ctx.call('kv', 'set', { key, value: { thread_id, api_base: apiBase } satisfies Stored });
      return thread_id;
    })().finally(() => this.creating.delete(key));
    this.creating.set(key, made);
    return made;
  }
}
