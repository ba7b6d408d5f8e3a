/**
 * Which Dify conversation continues which LangBot conversation, kept in the kernel's key-value store so it
 * survives a restart. Keyed by LangBot's conversation id: when that conversation expires, LangBot starts a new
 * one and so does Dify. Each entry remembers which app (base URL and key) it belongs to, so switching the
 * pipeline to another Dify app starts afresh instead of sending an id the new app does not know.
 */
import { createHash } from 'node:crypto';
import type { ExtensionContext } from '@langbot-ts/sdk';
import type { DifySettings } from './settings.js';

interface Stored {
  id: string;
  app: string;
}

export class RemoteConversations {
  private readonly app: string;

  constructor(
    private readonly ctx: ExtensionContext,
    settings: DifySettings,
  ) {
    // A short one-way fingerprint: enough to tell apps apart, useless for recovering the key.
    this.app = createHash('sha256').update(`${settings.baseUrl}\n${settings.apiKey}`).digest('hex').slice(0, 16);
  }

  async get(langbotConversation: string): Promise<string | undefined> {
    const { value } = await this.ctx.call<{ value: Stored | null }>('kv', 'get', { key: keyOf(langbotConversation) });
    return value && value.app === this.app && typeof value.id === 'string' ? value.id : undefined;
  }

  async set(langbotConversation: string, difyConversation: string): Promise<void> {
    await this.ctx.call('kv', 'set', { key: keyOf(langbotConversation), value: { id: difyConversation, app: this.app } satisfies Stored });
  }

  async forget(langbotConversation: string): Promise<void> {
    await this.ctx.call('kv', 'delete', { key: keyOf(langbotConversation) });
  }
}

const keyOf = (langbotConversation: string) => `conversation:${langbotConversation}`;
