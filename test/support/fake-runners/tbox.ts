/**
 * A fake Tbox (Ant Group's 百宝箱) open API, for runner tests: `POST /api/chat` with a raw `Authorization` token,
 * answering a server-sent event stream of `event:message` frames `{lane, type, payload}` (`header`, `meta` frames
 * whose payload is a JSON string `{event: "flow.node.llm.thinking", ext_data: {text}}`, `chunk` frames whose payload
 * is a JSON string `{conversationId, messageId, text}`) or, with `stream: false`, one JSON object
 * `{errorCode: "0", data: {conversationId, result, reasoningContent}}`; conversations created and continued with
 * `conversationId`; `POST /api/file/upload` (multipart) answering `{errorCode: "0", data: <file id>}`.
 * The wire format follows Tbox's public SDKs and API pages; where they say nothing (the exact error frames) it is
 * a faithful guess. Answers come from a script; delays, HTTP errors, refusals and `event:error` are scriptable.
 */
import type { ServerResponse } from 'node:http';
import { FakeServer, fill, formOf, json, sleep, sseEvent, stream, type BaseRule, type RecordedRequest } from './agent-platform-fake.js';

export interface TboxRule extends Omit<BaseRule, 'error' | 'hang'> {
  /** The answer; `{text}` is the query. */
  reply?: string;
  /** The answer streamed in these pieces. */
  chunks?: string[];
  /** Reasoning streamed as `flow.node.llm.thinking` frames before the answer. */
  thinking?: string[];
  /** Answer with this HTTP status and a Tbox error body. */
  error?: { status: number; errorCode: string; errorMsg: string };
  /** Refuse with HTTP 200 and a Tbox error body. */
  refuse?: { errorCode: string; errorMsg: string };
  /** Send an `event:error` after the answer's pieces. */
  streamError?: { errorCode: string; errorMsg: string };
}

export interface TboxChatRequest extends RecordedRequest {
  text: string;
}

export interface TboxUpload {
  headers: RecordedRequest['headers'];
  id: string;
  name: string;
  type: string;
  bytes: Buffer;
}

export interface FakeTboxOptions {
  /** The accepted token; any is accepted when unset. */
  apiKey?: string;
  script?: TboxRule[];
}

export class FakeTbox extends FakeServer<TboxRule> {
  readonly chats: TboxChatRequest[] = [];
  readonly uploads: TboxUpload[] = [];
  readonly conversations = new Set<string>();
  private traces = 0;

  constructor(private readonly options: FakeTboxOptions = {}) {
    super(options.script);
  }

  protected async route(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const traceId = `trace-${++this.traces}`;
    if (this.options.apiKey && request.headers.authorization !== this.options.apiKey) {
      return json(res, 401, { errorCode: 'UNAUTHORIZED', errorMsg: 'invalid authorization token', traceId });
    }
    if (request.method === 'POST' && request.path === '/api/file/upload') return this.upload(request, res, traceId);
    if (request.method === 'POST' && request.path === '/api/chat') return this.chat(request, res, traceId);
    json(res, 404, { errorCode: 'NOT_FOUND', errorMsg: `no route ${request.method} ${request.path}`, traceId });
  }

  private async upload(request: RecordedRequest, res: ServerResponse, traceId: string): Promise<void> {
    const file = (await formOf(request)).get('file');
    if (!(file instanceof Blob)) return json(res, 200, { errorCode: 'PARAM_ERROR', errorMsg: 'file is required', traceId });
    const id = `file-${this.uploads.length + 1}`;
    this.uploads.push({ headers: request.headers, id, name: (file as File).name, type: file.type, bytes: Buffer.from(await file.arrayBuffer()) });
    json(res, 200, { errorCode: '0', errorMsg: 'success', data: id, traceId });
  }

  private async chat(request: RecordedRequest, res: ServerResponse, traceId: string): Promise<void> {
    const body = request.body;
    const text = String(body.query ?? '');
    this.chats.push({ ...request, text });
    const rule: TboxRule = this.ruleFor(text) ?? { reply: 'echo: {text}' };
    await sleep(rule.delayMs);
    if (rule.error) return json(res, rule.error.status, { errorCode: rule.error.errorCode, errorMsg: rule.error.errorMsg, traceId });
    if (rule.refuse) return json(res, 200, { ...rule.refuse, traceId });
    let conversationId = body.conversationId as string | undefined;
    if (conversationId && !this.conversations.has(conversationId)) return json(res, 200, { errorCode: 'CONVERSATION_NOT_FOUND', errorMsg: `conversation ${conversationId} does not exist`, traceId });
    if (!conversationId) {
      conversationId = `conv-${this.conversations.size + 1}`;
      this.conversations.add(conversationId);
    }
    const messageId = `msg-${this.chats.length}`;
    const answer = (rule.chunks ?? [rule.reply ?? '']).map((c) => fill(c, { text }));

    if (body.stream === false) {
      return json(res, 200, {
        errorCode: '0',
        errorMsg: 'success',
        data: {
          conversationId,
          messageId,
          result: [{ lane: 'default', mediaType: 'text', chunk: answer.join('') }],
          reasoningContent: rule.thinking?.length ? [{ text: rule.thinking.join('') }] : [],
        },
        traceId,
      });
    }

    const out = stream(res, 'text/event-stream;charset=UTF-8');
    const send = async (event: string, data: unknown) => {
      await out.write(sseEvent({ event, data }, true));
      await sleep(rule.chunkDelayMs);
    };
    await send('message', { lane: 'default', type: 'header', payload: JSON.stringify({ mediaType: 'text', conversationId, messageId }) });
    for (const piece of rule.thinking ?? []) {
      const meta = { ext_data: { text: piece }, event: 'flow.node.llm.thinking', entity: { node_type: 'text-completion', execute_id: '6', node_name: '模型推理', node_id: 'TC_1' } };
      await send('message', { lane: 'default', type: 'meta', payload: JSON.stringify(meta) });
    }
    for (const piece of answer) await send('message', { lane: 'default', type: 'chunk', payload: JSON.stringify({ conversationId, messageId, text: piece }) });
    if (rule.streamError) await send('error', { ...rule.streamError, traceId });
    out.end();
  }
}

export async function startFakeTbox(options: FakeTboxOptions = {}): Promise<FakeTbox> {
  return new FakeTbox(options).start();
}

