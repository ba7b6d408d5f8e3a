/**
 * A fake Coze speaking its real wire protocol, for runner tests: `POST /v3/chat` answering a server-sent event
 * stream (`event:conversation.chat.created`, `conversation.message.delta` with `content` / `reasoning_content`,
 * `conversation.message.completed`, `conversation.chat.completed`, `done`), conversations created and continued
 * with `?conversation_id=`, and `POST /v1/files/upload` (multipart). Answers come from a script; delays, HTTP
 * errors, `{code, msg}` refusals, failed chats, `error` events and cut-off streams are scriptable.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface CozeRule {
  /** A regular expression tested against the user's text. */
  match?: string;
  /** The answer; `{text}` is the user's text. */
  reply?: string;
  /** The answer streamed in these pieces. */
  chunks?: string[];
  /** Reasoning streamed as `reasoning_content` before the answer. */
  reasoning?: string[];
  /** Send the answer only as a completed message, without deltas. */
  completedOnly?: boolean;
  /** Before the response headers. */
  delayMs?: number;
  /** Between streamed events. */
  chunkDelayMs?: number;
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

export interface CozeChatRequest {
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: any;
  /** The user's text (of a text message, or the text parts of an object_string). */
  text: string;
}

export interface CozeUpload {
  headers: IncomingMessage['headers'];
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FakeCoze {
  readonly chats: CozeChatRequest[] = [];
  readonly uploads: CozeUpload[] = [];
  /** Conversations that exist, by id. */
  readonly conversations = new Set<string>();
  script: CozeRule[];
  url = '';
  private server!: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: FakeCozeOptions = {}) {
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
    const url = new URL(req.url ?? '/', this.url);
    if (this.options.apiKey && req.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      return json(res, 401, { code: 4100, msg: 'authentication is invalid' });
    }
    if (req.method === 'POST' && url.pathname === '/v1/files/upload') return this.upload(req, raw, res);
    if (req.method === 'POST' && url.pathname === '/v3/chat') return this.chat(req, url, raw, res);
    json(res, 404, { code: 4000, msg: `no route ${req.method} ${url.pathname}` });
  }

  private async upload(req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const form = await new Response(raw, { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
    const file = form.get('file');
    if (!(file instanceof Blob)) return json(res, 200, { code: 4000, msg: 'file is required' });
    const id = `file-${this.uploads.length + 1}`;
    const bytes = Buffer.from(await file.arrayBuffer());
    this.uploads.push({ headers: req.headers, id, name: (file as File).name, type: file.type, bytes });
    json(res, 200, { code: 0, msg: '', data: { id, bytes: bytes.length, file_name: (file as File).name, created_at: Math.floor(Date.now() / 1000) } });
  }

  private async chat(req: IncomingMessage, url: URL, raw: Buffer, res: ServerResponse): Promise<void> {
    const body = JSON.parse(raw.toString('utf8'));
    const text = userText(body.additional_messages?.at(-1));
    this.chats.push({ query: Object.fromEntries(url.searchParams), headers: req.headers, body, text });
    const rule = this.script.find((r) => !r.match || new RegExp(r.match, 'u').test(text)) ?? { reply: 'echo: {text}' };
    if (rule.delayMs) await sleep(rule.delayMs);
    if (rule.error) return json(res, rule.error.status, { code: rule.error.code, msg: rule.error.msg });
    if (rule.refuse) return json(res, 200, rule.refuse);
    let conversation = url.searchParams.get('conversation_id');
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
    const answer = (rule.chunks ?? [rule.reply ?? '']).map((c) => c.replaceAll('{text}', text));

    res.writeHead(200, { 'content-type': 'text/event-stream;charset=UTF-8', 'cache-control': 'no-cache' });
    const send = async (event: string, data: unknown) => {
      res.write(`event:${event}\ndata:${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
      if (rule.chunkDelayMs) await sleep(rule.chunkDelayMs);
    };
    await send('conversation.chat.created', chat('created'));
    await send('conversation.chat.in_progress', chat('in_progress'));
    for (const piece of rule.reasoning ?? []) await send('conversation.message.delta', message('answer', '', { reasoning_content: piece }));
    if (!rule.completedOnly) for (const piece of answer) await send('conversation.message.delta', message('answer', piece));
    if (rule.cutOff) return void res.end();
    if (rule.streamError) {
      await send('error', rule.streamError);
      return void res.end();
    }
    if (rule.fail) {
      await send('conversation.chat.failed', chat('failed', { last_error: rule.fail }));
      await send('done', '"[DONE]"');
      return void res.end();
    }
    await send('conversation.message.completed', message('answer', answer.join(''), { created_at: 1747895335 }));
    await send('conversation.message.completed', message('verbose', JSON.stringify({ msg_type: 'generate_answer_finish', data: '{"finish_reason":0,"FinData":""}' }), { id: `${messageId}-v` }));
    await send('conversation.message.completed', message('follow_up', 'Anything else?', { id: `${messageId}-f` }));
    await send('conversation.chat.completed', chat('completed', { completed_at: 1747895338 }));
    await send('done', '"[DONE]"');
    res.end();
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

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
