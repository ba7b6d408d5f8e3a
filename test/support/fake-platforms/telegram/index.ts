/**
 * A fake Telegram Bot API server speaking the real wire protocol: `POST|GET /bot<token>/<method>` with JSON,
 * form-urlencoded or multipart bodies, `{ok:true,result}` / `{ok:false,error_code,description}` answers,
 * getUpdates long polling (offset, timeout, allowed_updates, one poller at a time), webhooks (updates POSTed with
 * the secret token header), and file downloads at `/file/bot<token>/<path>`. Tests inject updates as users would
 * cause them and read what the bot sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseBody } from './body.js';
import { ApiError, METHODS } from './methods.js';
import { now, TelegramState, type Chat, type Message, type User } from './state.js';

export type { Chat, Message, User } from './state.js';

/** Update types Telegram sends when `allowed_updates` is empty. */
const DEFAULT_EXCLUDED = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

interface Poll {
  offset: number;
  response: ServerResponse;
  timer: NodeJS.Timeout;
  allowed: string[] | undefined;
}

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  files: string[];
}

export interface FakeTelegramOptions {
  token?: string;
  port?: number;
}

export class FakeTelegram {
  readonly state = new TelegramState();
  readonly calls: ApiCall[] = [];
  readonly bot: User = { id: 555_000_111, is_bot: true, first_name: 'Conformance Bot', username: 'conformance_bot' };
  readonly alice: User;
  readonly bob: User;
  readonly group: Chat;
  edits = 0;
  webhook: { url: string; secret_token?: string; allowed_updates?: string[] } | undefined;
  readonly webhookAnswers: number[] = [];

  private server!: Server;
  private port = 0;
  private updateId = 100;
  private queue: (Record<string, unknown> & { update_id: number })[] = [];
  private poll: Poll | undefined;
  private allowed: string[] | undefined;
  private downUntil = 0;
  private readonly failures = new Map<string, ApiError[]>();

  private constructor(readonly token: string) {
    this.alice = this.state.addUser({ id: 1001, is_bot: false, first_name: 'Alice', last_name: 'Liddell', username: 'alice' });
    this.bob = this.state.addUser({ id: 1002, is_bot: false, first_name: 'Bob', username: 'bob' });
    this.state.addUser(this.bot);
    this.group = this.state.addGroup(
      { id: -1_001_234_567_890, type: 'supergroup', title: 'Test group', description: 'A group for tests', is_forum: true, permissions: { can_send_messages: true, can_send_photos: true, can_send_polls: false } },
      [
        { status: 'creator', user: this.alice, is_anonymous: false },
        { status: 'administrator', user: this.bot, can_restrict_members: true, can_delete_messages: true, can_pin_messages: true },
        { status: 'member', user: this.bob },
      ],
    );
  }

  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const fake = new FakeTelegram(options.token ?? '555000111:AAFakeTokenForConformance_abcdefXYZ');
    await fake.listen(options.port ?? 0);
    return fake;
  }

  /** The `api_base_url` to give the adapter. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  // ---- what tests do on the platform side ----

  /** Queues an update (or posts it to the webhook), as Telegram does; returns it with its update_id. */
  async inject(update: Record<string, unknown>): Promise<Record<string, unknown> & { update_id: number }> {
    const full = { update_id: ++this.updateId, ...update };
    if (this.webhook) {
      const answer = await fetch(this.webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.webhook.secret_token ? { 'x-telegram-bot-api-secret-token': this.webhook.secret_token } : {}) },
        body: JSON.stringify(full),
      });
      await answer.arrayBuffer();
      this.webhookAnswers.push(answer.status);
      return full;
    }
    this.queue.push(full);
    this.answerPoll();
    return full;
  }

  /** A user message in a chat (private with the sender by default); `fields` adds or overrides message fields. */
  async userSays(text: string | undefined, options: { from?: User; chat?: Chat; fields?: Record<string, unknown> } = {}): Promise<Message> {
    const from = options.from ?? this.alice;
    const chat = options.chat ?? this.state.chats.get(from.id)!;
    const message = this.state.store({ message_id: this.state.nextMessageId(chat.id), date: now(), chat, from, ...(text !== undefined ? { text } : {}), ...options.fields });
    await this.inject({ message });
    return message;
  }

  /** Messages the bot sent to a chat, as shown now (edits applied), oldest first. */
  botMessages(chatId: number): Message[] {
    return [...(this.state.messages.get(chatId)?.values() ?? [])].filter((m) => m.from?.id === this.bot.id);
  }

  botTexts(chatId: number): string[] {
    return this.botMessages(chatId).map((m) => String(m.text ?? m.caption ?? ''));
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The next call of `method` fails with this Bot API error. */
  failNext(method: string, error_code: number, description: string, parameters?: Record<string, unknown>): void {
    const list = this.failures.get(method) ?? [];
    list.push(new ApiError(error_code, description, parameters));
    this.failures.set(method, list);
  }

  /** A file the bot can fetch with getFile and download. */
  addFile(data: Buffer, extension: string) {
    return this.state.addFile(data, extension);
  }

  /** The server answers every request with 502 for `ms` and cuts the pending long poll. */
  outage(ms: number): void {
    this.downUntil = Date.now() + ms;
    const poll = this.poll;
    this.poll = undefined;
    if (poll) {
      clearTimeout(poll.timer);
      poll.response.socket?.destroy();
    }
  }

  /** Stops listening (dropping every connection) and listens again on the same port; state survives. */
  async restart(pauseMs = 300): Promise<void> {
    await this.shutdown();
    await new Promise((r) => setTimeout(r, pauseMs));
    await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.shutdown();
  }

  // ---- the server ----

  private async listen(port: number): Promise<void> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private async shutdown(): Promise<void> {
    if (this.poll) {
      clearTimeout(this.poll.timer);
      this.poll = undefined;
    }
    const server = this.server;
    if (!server?.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private fail(res: ServerResponse, error: ApiError): void {
    this.send(res, error.error_code, { ok: false, error_code: error.error_code, description: error.description, ...(error.parameters ? { parameters: error.parameters } : {}) });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    if (Date.now() < this.downUntil) {
      res.writeHead(502, { 'content-type': 'text/html' });
      return void res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    }
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) {
      const found = file[1] === this.token ? [...this.state.files.values()].find((f) => f.file_path === decodeURIComponent(file[2])) : undefined;
      if (!found) return this.send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return void res.end(found.data);
    }
    const call = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!call) return this.send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (call[1] !== this.token) return this.send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = call[2];
    let parsed;
    try {
      parsed = parseBody(req.headers['content-type'], Buffer.concat(chunks), url.searchParams);
    } catch (error) {
      return this.fail(res, new ApiError(400, `Bad Request: ${(error as Error).message}`));
    }
    this.calls.push({ method, params: parsed.params, files: [...parsed.files.keys()] });
    const injected = this.failures.get(method)?.shift();
    if (injected) return this.fail(res, injected);
    try {
      switch (method) {
        case 'getUpdates':
          return this.getUpdates(parsed.params, res);
        case 'setWebhook':
          return this.setWebhook(parsed.params, res);
        case 'deleteWebhook':
          this.webhook = undefined;
          if (parsed.params.drop_pending_updates === true) this.queue = [];
          return this.send(res, 200, { ok: true, result: true, description: 'Webhook was deleted' });
        case 'getWebhookInfo':
          return this.send(res, 200, { ok: true, result: { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.queue.length } });
      }
      const run = METHODS[method];
      if (!run) return this.send(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
      const result = run({ state: this.state, bot: this.bot, params: parsed.params, files: parsed.files, onEdit: () => this.edits++ });
      this.send(res, 200, { ok: true, result });
    } catch (error) {
      if (error instanceof ApiError) return this.fail(res, error);
      this.fail(res, new ApiError(500, `Internal Server Error: ${(error as Error).message}`));
    }
  }

  private setWebhook(params: Record<string, unknown>, res: ServerResponse): void {
    if (typeof params.url !== 'string') return this.fail(res, new ApiError(400, 'Bad Request: bad webhook: url is required'));
    if (params.url === '') this.webhook = undefined;
    else {
      const secret = params.secret_token;
      if (secret !== undefined && (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) return this.fail(res, new ApiError(400, 'Bad Request: secret token contains unallowed characters'));
      this.webhook = { url: params.url, ...(typeof secret === 'string' ? { secret_token: secret } : {}), ...(Array.isArray(params.allowed_updates) ? { allowed_updates: params.allowed_updates as string[] } : {}) };
    }
    this.send(res, 200, { ok: true, result: true, description: 'Webhook was set' });
  }

  private getUpdates(params: Record<string, unknown>, res: ServerResponse): void {
    if (this.webhook) return this.fail(res, new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"));
    if (Array.isArray(params.allowed_updates)) this.allowed = params.allowed_updates.length ? (params.allowed_updates as string[]) : undefined;
    const offset = Number(params.offset ?? 0);
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    if (this.poll) {
      // Telegram allows one poller per bot.
      const previous = this.poll;
      this.poll = undefined;
      clearTimeout(previous.timer);
      this.fail(previous.response, new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    }
    const ready = this.deliverable(offset, Number(params.limit ?? 100));
    const timeout = Number(params.timeout ?? 0);
    if (ready.length > 0 || timeout <= 0) return this.send(res, 200, { ok: true, result: ready });
    const timer = setTimeout(() => {
      if (this.poll?.response === res) this.poll = undefined;
      this.send(res, 200, { ok: true, result: [] });
    }, timeout * 1000);
    this.poll = { offset, response: res, timer, allowed: this.allowed };
    res.on('close', () => {
      if (this.poll?.response === res) {
        clearTimeout(timer);
        this.poll = undefined;
      }
    });
  }

  private deliverable(offset: number, limit: number) {
    const allowed = this.allowed;
    const wanted = (u: Record<string, unknown>) => {
      const kind = Object.keys(u).find((k) => k !== 'update_id') ?? '';
      return allowed ? allowed.includes(kind) : !DEFAULT_EXCLUDED.has(kind);
    };
    // Updates the bot did not ask for are dropped, as Telegram does.
    this.queue = this.queue.filter(wanted);
    return this.queue.filter((u) => u.update_id >= offset).slice(0, Math.max(1, Math.min(limit, 100)));
  }

  private answerPoll(): void {
    const poll = this.poll;
    if (!poll) return;
    const ready = this.deliverable(poll.offset, 100);
    if (ready.length === 0) return;
    this.poll = undefined;
    clearTimeout(poll.timer);
    this.send(poll.response, 200, { ok: true, result: ready });
  }
}
