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
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface TboxRule {
  /** A regular expression tested against the query. */
  match?: string;
  /** The answer; `{text}` is the query. */
  reply?: string;
  /** The answer streamed in these pieces. */
  chunks?: string[];
  /** Reasoning streamed as `flow.node.llm.thinking` frames before the answer. */
  thinking?: string[];
  /** Before the response headers. */
  delayMs?: number;
  /** Between streamed frames. */
  chunkDelayMs?: number;
  /** Answer with this HTTP status and a Tbox error body. */
  error?: { status: number; errorCode: string; errorMsg: string };
  /** Refuse with HTTP 200 and a Tbox error body. */
  refuse?: { errorCode: string; errorMsg: string };
  /** Send an `event:error` after the answer's pieces. */
  streamError?: { errorCode: string; errorMsg: string };
}

export interface TboxChatRequest {
  headers: IncomingMessage['headers'];
  body: any;
  text: string;
}

export interface TboxUpload {
  headers: IncomingMessage['headers'];
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FakeTbox {
  readonly chats: TboxChatRequest[] = [];
  readonly uploads: TboxUpload[] = [];
  readonly conversations = new Set<string>();
  script: TboxRule[];
  url = '';
  private server!: Server;
  private readonly sockets = new Set<Socket>();
  private traces = 0;

  constructor(private readonly options: FakeTboxOptions = {}) {
    this.script = options.script ?? [];
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res).catch((error) => res.destroy(error)));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', this.url).pathname;
    const traceId = `trace-${++this.traces}`;
    if (this.options.apiKey && req.headers.authorization !== this.options.apiKey) {
      return json(res, 401, { errorCode: 'UNAUTHORIZED', errorMsg: 'invalid authorization token', traceId });
    }
    if (req.method === 'POST' && path === '/api/file/upload') return this.upload(req, raw, res, traceId);
    if (req.method === 'POST' && path === '/api/chat') return this.chat(req, raw, res, traceId);
    json(res, 404, { errorCode: 'NOT_FOUND', errorMsg: `no route ${req.method} ${path}`, traceId });
  }

  private async upload(req: IncomingMessage, raw: Buffer, res: ServerResponse, traceId: string): Promise<void> {
    const form = await new Response(raw, { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
    const file = form.get('file');
    if (!(file instanceof Blob)) return json(res, 200, { errorCode: 'PARAM_ERROR', errorMsg: 'file is required', traceId });
    const id = `file-${this.uploads.length + 1}`;
    this.uploads.push({ headers: req.headers, id, name: (file as File).name, type: file.type, bytes: Buffer.from(await file.arrayBuffer()) });
    json(res, 200, { errorCode: '0', errorMsg: 'success', data: id, traceId });
  }

  private async chat(req: IncomingMessage, raw: Buffer, res: ServerResponse, traceId: string): Promise<void> {
    const body = JSON.parse(raw.toString('utf8'));
    const text = String(body.query ?? '');
    this.chats.push({ headers: req.headers, body, text });
    const rule = this.script.find((r) => !r.match || new RegExp(r.match, 'u').test(text)) ?? { reply: 'echo: {text}' };
    if (rule.delayMs) await sleep(rule.delayMs);
    if (rule.error) return json(res, rule.error.status, { errorCode: rule.error.errorCode, errorMsg: rule.error.errorMsg, traceId });
    if (rule.refuse) return json(res, 200, { ...rule.refuse, traceId });
    let conversationId = body.conversationId as string | undefined;
    if (conversationId && !this.conversations.has(conversationId)) return json(res, 200, { errorCode: 'CONVERSATION_NOT_FOUND', errorMsg: `conversation ${conversationId} does not exist`, traceId });
    if (!conversationId) {
      conversationId = `conv-${this.conversations.size + 1}`;
      this.conversations.add(conversationId);
    }
    const messageId = `msg-${this.chats.length}`;
    const answer = (rule.chunks ?? [rule.reply ?? '']).map((c) => c.replaceAll('{text}', text));

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

    res.writeHead(200, { 'content-type': 'text/event-stream;charset=UTF-8' });
    const send = async (event: string, data: unknown) => {
      res.write(`event:${event}\ndata:${JSON.stringify(data)}\n\n`);
      if (rule.chunkDelayMs) await sleep(rule.chunkDelayMs);
    };
    await send('message', { lane: 'default', type: 'header', payload: JSON.stringify({ mediaType: 'text', conversationId, messageId }) });
    for (const piece of rule.thinking ?? []) {
      const meta = { ext_data: { text: piece }, event: 'flow.node.llm.thinking', entity: { node_type: 'text-completion', execute_id: '6', node_name: '模型推理', node_id: 'TC_1' } };
      await send('message', { lane: 'default', type: 'meta', payload: JSON.stringify(meta) });
    }
    for (const piece of answer) await send('message', { lane: 'default', type: 'chunk', payload: JSON.stringify({ conversationId, messageId, text: piece }) });
    if (rule.streamError) await send('error', { ...rule.streamError, traceId });
    res.end();
  }
}

export async function startFakeTbox(options: FakeTboxOptions = {}): Promise<FakeTbox> {
  return new FakeTbox(options).start();
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
