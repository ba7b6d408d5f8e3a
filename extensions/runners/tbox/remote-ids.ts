/**
 * The platform's own conversation (or session) id for each LangBot conversation, kept in the kernel's key-value
 * store so a restart continues the same remote conversation. Keyed by LangBot's conversation uuid: when that
 * conversation expires, the next one starts a new remote conversation.
 */
import { createHash } from 'node:crypto';
import type { ExtensionContext } from '@langbot-ts/sdk';

const MAX_KEY = 256;

export class RemoteIds {
  /** `scope` separates ids of different bots or apps, e.g. `coze:<bot-id>`. */
  constructor(
    private readonly ctx: ExtensionContext,
    private readonly scope: string,
  ) {}

  async get(conversationId: string): Promise<string | undefined> {
    if (!conversationId) return undefined;
    const { value } = await this.ctx.call<{ value: unknown }>('kv', 'get', { key: this.key(conversationId) });
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  async set(conversationId: string, remoteId: string): Promise<void> {
    if (!conversationId || !remoteId) return;
    await this.ctx.call('kv', 'set', { key: this.key(conversationId), value: remoteId });
  }

  private key(conversationId: string): string {
    const key = `${this.scope}:${conversationId}`;
    return key.length <= MAX_KEY ? key : `${this.scope.slice(0, 32)}:${createHash('sha256').update(key).digest('hex')}`;
  }
}
