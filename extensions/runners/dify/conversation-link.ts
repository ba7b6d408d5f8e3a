/** Sends a chat message within the Dify conversation that continues this LangBot conversation, if Dify still has it. */
import type { ExtensionContext } from '@langbot-ts/sdk';
import { RemoteConversations } from './conversations.js';
import type { Deadline } from './deadline.js';
import { difyPost } from './http.js';
import type { DifySettings } from './settings.js';

export class ConversationLink {
  private readonly store: RemoteConversations;
  private current?: string;

  constructor(
    private readonly ctx: ExtensionContext,
    private readonly settings: DifySettings,
    private readonly langbotConversation: string,
  ) {
    this.store = new RemoteConversations(ctx, settings);
  }

  /** Sends the message; a conversation Dify no longer knows (deleted, another app) is started afresh once. */
  async open(common: Record<string, unknown>, query: string, deadline: Deadline): Promise<Response> {
    this.current = await this.store.get(this.langbotConversation);
    const send = () => difyPost(this.settings, '/chat-messages', { ...common, query, conversation_id: this.current ?? '' }, deadline);
    try {
      return await send();
    } catch (error) {
      if (!this.current || (error as { details?: { status?: number } }).details?.status !== 404) throw error;
      this.ctx.log.info('Dify no longer has the conversation; starting a new one.', { langbot_conversation_id: this.langbotConversation });
      await this.store.forget(this.langbotConversation);
      this.current = undefined;
      return send();
    }
  }

  async remember(difyConversation: string): Promise<void> {
    if (difyConversation === this.current) return;
    this.current = difyConversation;
    await this.store.set(this.langbotConversation, difyConversation);
  }
}
