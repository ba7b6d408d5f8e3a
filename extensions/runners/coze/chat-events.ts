/**
 * What the events of a Coze `/v3/chat` stream mean for the reply: answer and reasoning deltas, answers that arrive
 * complete, the conversation id, the end of the chat, and the ways a chat fails.
 */
import { GrowingReply, cutOffError, platformError, tryParseJson, type RemotePlatform, type SseEvent } from '@langbot-ts/sdk';
import { cozeCodeError, type CozeStatus } from './coze-errors.js';

interface CozeMessageData {
  id?: string;
  conversation_id?: string;
  role?: string;
  type?: string;
  content?: string;
  content_type?: string;
  reasoning_content?: string;
}

interface CozeChatData {
  conversation_id?: string;
  status?: string;
  last_error?: CozeStatus;
}

export class CozeChat {
  readonly reply = new GrowingReply();
  conversationId?: string;
  finished = false;
  private readonly answerIds = new Set<string>();
  private lastAnswerId?: string;

  constructor(private readonly platform: RemotePlatform) {}

  /** Applies one event; throws when the chat failed. */
  apply(event: SseEvent): void {
    if (event.event === 'done') {
      this.finished = true;
      return;
    }
    const data = (tryParseJson(event.data) ?? {}) as CozeMessageData & CozeChatData;
    if (data.conversation_id) this.conversationId = data.conversation_id;
    switch (event.event) {
      case 'conversation.message.delta':
        return this.delta(data);
      case 'conversation.message.completed':
        return this.completed(data);
      case 'conversation.chat.completed':
        this.finished = true;
        return;
      case 'conversation.chat.failed':
        throw cozeCodeError(this.platform, data.last_error) ?? platformError(this.platform, 'failure', 'the chat failed without an error message');
      case 'conversation.chat.requires_action':
        throw platformError(this.platform, 'request', 'the bot asked the caller to run a local plugin (requires_action), which LangBot cannot do; remove local plugins from the bot');
      case 'error':
        throw cozeCodeError(this.platform, data as CozeStatus) ?? platformError(this.platform, 'failure', event.data);
    }
  }

  /** Throws when the stream ended before Coze said the chat was over. */
  end(): void {
    if (!this.finished) throw cutOffError(this.platform);
  }

  private isAnswer(data: CozeMessageData): boolean {
    return (data.role ?? 'assistant') === 'assistant' && (data.type ?? 'answer') === 'answer' && (data.content_type ?? 'text') === 'text';
  }

  private delta(data: CozeMessageData): void {
    if (!this.isAnswer(data)) return;
    if (data.reasoning_content) this.reply.addReasoning(data.reasoning_content);
    if (data.content) {
      this.separateFrom(data.id);
      this.reply.addAnswer(data.content);
    }
    if (data.id) this.answerIds.add(data.id);
  }

  /** An answer Coze sent whole, without deltas (a workflow's message node may do so). */
  private completed(data: CozeMessageData): void {
    if (!this.isAnswer(data) || !data.content || (data.id && this.answerIds.has(data.id))) return;
    this.separateFrom(data.id);
    this.reply.addAnswer(data.content);
    if (data.id) this.answerIds.add(data.id);
  }

  /** A bot may answer in several messages; each new one starts a new paragraph. */
  private separateFrom(id: string | undefined): void {
    if (id && this.lastAnswerId && id !== this.lastAnswerId && this.reply.answerText) this.reply.addAnswer('\n\n');
    if (id) this.lastAnswerId = id;
  }
}
