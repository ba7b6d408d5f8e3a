/**
 * What Tbox's answers mean for the reply. A stream sends `event: message` frames `{lane, type, payload}`:
 * `chunk` carries answer text and the conversation id, `meta` (or `thinking`) carries the model's reasoning as a
 * JSON string `{event: "flow.node.llm.thinking", ext_data: {text}}`; `event: error` ends it. An answer that is
 * not streamed is one JSON object with `result` chunks and `reasoningContent`.
 */
import { GrowingReply, platformError, tryParseJson, type RemotePlatform, type SseEvent } from '@langbot-ts/sdk';
import { tboxStatusError, type TboxStatus } from './tbox-errors.js';

interface Frame {
  lane?: string;
  type?: string;
  payload?: unknown;
}

interface Payload {
  conversationId?: string;
  messageId?: string;
  text?: string;
  event?: string;
  ext_data?: { text?: string };
}

export interface TboxSyncAnswer extends TboxStatus {
  data?: { conversationId?: string; result?: { chunk?: string }[]; reasoningContent?: { text?: string }[] };
}

const THINKING_EVENT = 'flow.node.llm.thinking';

export class TboxChat {
  readonly reply = new GrowingReply();
  conversationId?: string;

  constructor(private readonly platform: RemotePlatform) {}

  apply(event: SseEvent): void {
    if (event.event === 'error') {
      throw tboxStatusError(this.platform, tryParseJson(event.data) as TboxStatus) ?? platformError(this.platform, 'failure', event.data);
    }
    if (event.event !== 'message') return;
    const frame = (tryParseJson(event.data) ?? {}) as Frame;
    // The payload is an object in some frames and a JSON string in others.
    const payload = ((typeof frame.payload === 'string' ? tryParseJson(frame.payload) : frame.payload) ?? {}) as Payload;
    if (payload.conversationId) this.conversationId = payload.conversationId;
    if (frame.type === 'chunk' && payload.text) this.reply.addAnswer(payload.text);
    if ((frame.type === 'meta' || frame.type === 'thinking') && payload.event === THINKING_EVENT && payload.ext_data?.text) {
      this.reply.addReasoning(payload.ext_data.text);
    }
  }

  applySync(answer: TboxSyncAnswer): void {
    const error = tboxStatusError(this.platform, answer);
    if (error) throw error;
    const data = answer.data ?? {};
    if (data.conversationId) this.conversationId = data.conversationId;
    for (const reasoning of data.reasoningContent ?? []) if (reasoning.text) this.reply.addReasoning(reasoning.text);
    for (const result of data.result ?? []) if (result.chunk) this.reply.addAnswer(result.chunk);
  }
}
