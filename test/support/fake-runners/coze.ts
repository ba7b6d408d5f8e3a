/**
 * A fake Coze speaking its real wire protocol, for runner tests: `POST /v3/chat` answering a server-sent event
 * stream (`event:conversation.chat.created`, `conversation.message.delta` with `content` / `reasoning_content`,
 * `conversation.message.completed`, `conversation.chat.completed`, `done`), conversations created and continued
 * with `?conversation_id=`, and `POST /v1/files/upload` (multipart). Answers come from a script; delays, HTTP
 * errors, `{code, msg}` refusals, failed chats, `error` events and cut-off streams are scriptable.
 */
import type { ServerResponse } from 'node:http';
import { FakeServer, fill, formOf, json, sleep, sseEvent, stream, type BaseRule, type RecordedRequest } from './agent-platform-fake.js';

export interface CozeRule extends Omit<BaseRule, 'error' | 'hang'> {
  /** The answer; `{text}` is the user's text. */
  reply?: string;
  /** The answer streamed in these pieces. */
  chunks?: string[];
  /** Reasoning streamed as `reasoning_content` before the answer. */
  reasoning?: string[];
  /** Send the answer only as a completed message, without deltas. */
  completedOnly?: boolean;
  /** Answer with this HTTP status and a Coze error body. */
  error?: { status: number; code: number; msg: string };
  /** Refuse with HTTP 200 and a `{code, msg}` body, as Coze does for most errors. */
  refuse?: { code: number; msg: string };
  /** End the chat with `conversation.chat.failed` after the answer's deltas. */
  fail?: { code: number; msg: string };
  /** Send an `error` event after the answer's deltas. */
  streamError?: { code: number; msg: string };
  /** Close the stream after the deltas, without `conversation.chat.completed`. */
  cutOff?: boolean;
}

export interface CozeChatRequest extends RecordedRequest {
  /** The user's text (of a text message, or the text parts of an object_string). */
  text: string;
}

export interface CozeUpload {
  headers: RecordedRequest['headers'];
  id: string;
  name: string;
  type: string;
  bytes: Buffer;
}

export interface FakeCozeOptions {
  /** The accepted token; any is accepted when unset. */
  apiKey?: string;
  script?: CozeRule[];
}

export class FakeCoze extends FakeServer<CozeRule> {
  readonly chats: CozeChatRequest[] = [];
  readonly uploads: CozeUpload[] = [];
  /** Conversations that exist, by id. */
  readonly conversations = new Set<string>();

  constructor(private readonly options: FakeCozeOptions = {}) {
    super(options.script);
  }

  protected async route(request: RecordedRequest, res: ServerResponse): Promise<void> {
    if (this.options.apiKey && request.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      return json(res, 401, { code: 4100, msg: 'authentication is invalid' });
    }
    if (request.method === 'POST' && request.path === '/v1/files/upload') return this.upload(request, res);
    if (request.method === 'POST' && request.path === '/v3/chat') return this.chat(request, res);
    json(res, 404, { code: 4000, msg: `no route ${request.method} ${request.path}` });
  }

  private async upload(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const file = (await formOf(request)).get('file');
    if (!(file instanceof Blob)) return json(res, 200, { code: 4000, msg: 'file is required' });
    const id = `file-${this.uploads.length + 1}`;
    const bytes = Buffer.from(await file.arrayBuffer());
    this.uploads.push({ headers: request.headers, id, name: (file as File).name, type: file.type, bytes });
    json(res, 200, { code: 0, msg: '', data: { id, bytes: bytes.length, file_name: (file as File).name, created_at: Math.floor(Date.now() / 1000) } });
  }

  private async chat(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const body = request.body;
    const text = userText(body.additional_messages?.at(-1));
    this.chats.push({ ...request, text });
    const rule: CozeRule = this.ruleFor(text) ?? { reply: 'echo: {text}' };
    await sleep(rule.delayMs);
    if (rule.error) return json(res, rule.error.status, { code: rule.error.code, msg: rule.error.msg });
    if (rule.refuse) return json(res, 200, rule.refuse);
    let conversation = request.query.conversation_id;
    if (conversation && !this.conversations.has(conversation)) return json(res, 200, { code: 4000, msg: `conversation ${conversation} does not exist` });
    if (!conversation) {
      conversation = `conv-${this.conversations.size + 1}`;
      this.conversations.add(conversation);
    }

    const chatId = `chat-${this.chats.length}`;
    const messageId = `msg-${this.chats.length}`;
    const base = { conversation_id: conversation, bot_id: body.bot_id, section_id: conversation };
    const chat = (status: string, extra: Record<string, unknown> = {}) => ({ id: chatId, ...base, created_at: 1747895253, last_error: { code: 0, msg: '' }, status, usage: { token_count: 0, output_count: 0, input_count: 0 }, ...extra });
    const message = (type: string, content: string, extra: Record<string, unknown> = {}) => ({ id: messageId, ...base, role: 'assistant', type, content, content_type: 'text', chat_id: chatId, ...extra });
    const answer = (rule.chunks ?? [rule.reply ?? '']).map((c) => fill(c, { text }));

    const out = stream(res, 'text/event-stream;charset=UTF-8');
    const send = async (event: string, data: unknown) => {
      await out.write(sseEvent({ event, data }, true));
      await sleep(rule.chunkDelayMs);
    };
    await send('conversation.chat.created', chat('created'));
    await send('conversation.chat.in_progress', chat('in_progress'));
    for (const piece of rule.reasoning ?? []) await send('conversation.message.delta', message('answer', '', { reasoning_content: piece }));
    if (!rule.completedOnly) for (const piece of answer) await send('conversation.message.delta', message('answer', piece));
    if (rule.cutOff) return out.end();
    if (rule.streamError) {
      await send('error', rule.streamError);
      return out.end();
    }
    if (rule.fail) {
      await send('conversation.chat.failed', chat('failed', { last_error: rule.fail }));
      await send('done', '"[DONE]"');
      return out.end();
    }
    await send('conversation.message.completed', message('answer', answer.join(''), { created_at: 1747895335 }));
    await send('conversation.message.completed', message('verbose', JSON.stringify({ msg_type: 'generate_answer_finish', data: '{"finish_reason":0,"FinData":""}' }), { id: `${messageId}-v` }));
    await send('conversation.message.completed', message('follow_up', 'Anything else?', { id: `${messageId}-f` }));
    await send('conversation.chat.completed', chat('completed', { completed_at: 1747895338 }));
    await send('done', '"[DONE]"');
    out.end();
  }
}

export async function startFakeCoze(options: FakeCozeOptions = {}): Promise<FakeCoze> {
  return new FakeCoze(options).start();
}

function userText(message: { content?: string; content_type?: string } | undefined): string {
  if (!message?.content) return '';
  if (message.content_type !== 'object_string') return message.content;
  const parts = JSON.parse(message.content) as { type: string; text?: string }[];
  return parts.map((p) => (p.type === 'text' ? (p.text ?? '') : '')).join('');
}

