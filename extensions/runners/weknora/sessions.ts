/**
 * Which WeKnora session holds which LangBot conversation, kept in the kernel's key-value store so it survives a
 * restart. A session made on another server (the base-url changed) is not reused.
 */
import { createHash } from 'node:crypto';
import type { ExtensionContext, RunnerRequest } from '@langbot-ts/sdk';

interface Stored {
  session_id: string;
  base_url: string;
}

/** The conversation a request belongs to; the agent handler has none, so its chat (session) stands for it. */
export function conversationKey(request: RunnerRequest): string {
  const id = request.conversation_id ? `conversation:${request.conversation_id}` : `session:${request.session_id}`;
  return id.length <= 200 ? `session:${id}` : `session:sha256:${createHash('sha256').update(id).digest('hex')}`;
}

export class SessionStore {
  /** Sessions being created, so two messages arriving together do not make two sessions. */
  private readonly creating = new Map<string, Promise<string>>();

  constructor(private readonly ctx: ExtensionContext) {}

  async find(key: string, baseUrl: string): Promise<string | undefined> {
    const { value } = await this.ctx.call<{ value: Stored | null }>('kv', 'get', { key });
    return value && value.base_url === baseUrl && typeof value.session_id === 'string' ? value.session_id : undefined;
  }

  /** Creates a session for the conversation and remembers it (replacing one WeKnora has lost). */
  replace(key: string, baseUrl: string, create: () => Promise<string>): Promise<string> {
    const pending = this.creating.get(key);
    if (pending) return pending;
    const made = (async () => {
      const session_id = await create();
      await this.ctx.call('kv', 'set', { key, value: { session_id, base_url: baseUrl } satisfies Stored });
      return session_id;
    })().finally(() => this.creating.delete(key));
    this.creating.set(key, made);
    return made;
  }
}
