/**
 * The fake Discord REST API under `/api/v10`: JSON bodies and multipart/form-data (`payload_json` + `files[n]`),
 * `Authorization: Bot <token>`, Discord's error bodies (`{ code, message }`), and the gateway dispatches Discord
 * sends for what the bot does (its own MESSAGE_CREATE / MESSAGE_UPDATE / MESSAGE_DELETE, GUILD_DELETE on leave…).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeGateway } from './gateway.js';
import { snowflake, type DiscordState, type StoredMessage } from './state.js';

type Json = Record<string, any>;

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  files: RecordedFile[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body.message));
  }
}

const notFound = (what: string, code: number) => new HttpError(404, { message: `Unknown ${what}`, code });
const MAX_CONTENT = 2000;

type Handler = (req: RecordedRequest, params: string[]) => unknown;

export class FakeRest {
  readonly requests: RecordedRequest[] = [];
  /** Set to make the next requests fail with this status and Discord error body. */
  failNext?: { status: number; body: Json };
  private readonly routes: [string, RegExp, Handler][] = [];

  constructor(
    private readonly state: DiscordState,
    private readonly gateway: FakeGateway,
    private readonly token: () => string,
    private readonly urls: { gateway: () => string; base: () => string },
  ) {
    const s = this.state;
    const route = (method: string, pattern: string, handler: Handler) =>
      this.routes.push([method, new RegExp(`^${pattern.replace(/:\w+/g, '([^/]+)')}$`), handler]);

    route('GET', '/gateway/bot', () => ({
      url: this.urls.gateway(),
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
    }));
    route('GET', '/users/:id', (_r, [id]) => (id === '@me' ? s.bot : (s.users.get(id) ?? fail(notFound('User', 10013)))));
    route('POST', '/users/@me/channels', (r) => s.dmChannel(String(r.body?.recipient_id)));
    route('DELETE', '/users/@me/guilds/:id', (_r, [id]) => {
      if (!s.guilds.delete(id)) throw notFound('Guild', 10004);
      this.gateway.dispatch('GUILD_DELETE', { id });
      return undefined;
    });
    route('GET', '/channels/:id', (_r, [id]) => this.channel(id));
    route('POST', '/channels/:id/messages', (r, [id]) => this.createMessage(r, id));
    route('GET', '/channels/:id/messages/:mid', (_r, [id, mid]) => this.message(id, mid));
    route('PATCH', '/channels/:id/messages/:mid', (r, [id, mid]) => this.editMessage(r, id, mid));
    route('DELETE', '/channels/:id/messages/:mid', (_r, [id, mid]) => {
      const msg = this.message(id, mid);
      s.messages.delete(msg.id);
      this.gateway.dispatch('MESSAGE_DELETE', { id: msg.id, channel_id: id, ...(msg.guild_id ? { guild_id: msg.guild_id } : {}) });
      return undefined;
    });
    route('POST', '/channels/:id/typing', (_r, [id]) => void this.channel(id));
    route('PUT', '/channels/:id/messages/pins/:mid', (_r, [id, mid]) => void (this.message(id, mid).pinned = true));
    route('DELETE', '/channels/:id/messages/pins/:mid', (_r, [id, mid]) => void (this.message(id, mid).pinned = false));
    route('PUT', '/channels/:id/messages/:mid/reactions/:emoji/@me', (_r, [id, mid, emoji]) => {
      const msg = this.message(id, mid);
      this.gateway.dispatch('MESSAGE_REACTION_ADD', { user_id: s.bot.id, channel_id: id, message_id: msg.id, emoji: parseEmoji(decodeURIComponent(emoji)), ...(msg.guild_id ? { guild_id: msg.guild_id } : {}) });
      return undefined;
    });
    route('DELETE', '/channels/:id/messages/:mid/reactions/:emoji/:user', (_r, [id, mid]) => void this.message(id, mid));
    route('POST', '/channels/:id/invites', (r, [id]) => ({ code: `inv${snowflake().slice(-6)}`, type: 0, channel: this.channel(id), max_age: r.body?.max_age ?? 86400, max_uses: r.body?.max_uses ?? 0, uses: 0, temporary: false, created_at: new Date().toISOString() }));
    route('GET', '/guilds/:id', (r, [id]) => {
      const g = this.guild(id);
      const { channels: _c, members: _m, ...rest } = g;
      return r.query.get('with_counts') === 'true' ? { ...rest, approximate_member_count: g.members.length, approximate_presence_count: 1 } : rest;
    });
    route('GET', '/guilds/:id/channels', (_r, [id]) => this.guild(id).channels);
    route('POST', '/guilds/:id/channels', (r, [id]) => {
      const g = this.guild(id);
      if (typeof r.body?.name !== 'string' || !r.body.name) throw new HttpError(400, { message: 'Invalid Form Body', code: 50035 });
      const channel = { id: snowflake(), type: r.body.type ?? 0, guild_id: id, name: r.body.name, topic: r.body.topic ?? null, parent_id: r.body.parent_id ?? null, position: g.channels.length, permission_overwrites: [], nsfw: false };
      g.channels.push(channel);
      s.channels.set(channel.id, channel);
      this.gateway.dispatch('CHANNEL_CREATE', channel);
      return channel;
    });
    route('GET', '/guilds/:id/roles', (_r, [id]) => this.guild(id).roles);
    route('GET', '/guilds/:id/members', (r, [id]) => {
      const after = BigInt(r.query.get('after') ?? '0');
      return this.guild(id).members.filter((m: Json) => BigInt(m.user.id) > after).sort((a: Json, b: Json) => (BigInt(a.user.id) < BigInt(b.user.id) ? -1 : 1)).slice(0, Number(r.query.get('limit') ?? 1));
    });
    route('GET', '/guilds/:id/members/:uid', (_r, [id, uid]) => this.member(id, uid));
    route('PATCH', '/guilds/:id/members/:uid', (r, [id, uid]) => {
      const member = this.member(id, uid);
      if ('communication_disabled_until' in (r.body ?? {})) member.communication_disabled_until = r.body.communication_disabled_until;
      if ('nick' in (r.body ?? {})) member.nick = r.body.nick;
      return member;
    });
    route('DELETE', '/guilds/:id/members/:uid', (_r, [id, uid]) => {
      const g = this.guild(id);
      this.member(id, uid);
      g.members = g.members.filter((m: Json) => m.user.id !== uid);
      this.gateway.dispatch('GUILD_MEMBER_REMOVE', { guild_id: id, user: s.users.get(uid) });
      return undefined;
    });
  }

  /** Handles `/api/...` requests; `rest` is the path after `/api`. */
  async handle(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    const url = new URL(rest, 'http://fake');
    const version = url.pathname.match(/^\/v(\d+)(\/.*)$/);
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: version?.[2] ?? url.pathname, query: url.searchParams, headers: req.headers, body: undefined, files: [] };
    try {
      const raw = await readBody(req);
      await parseBody(recorded, raw, String(req.headers['content-type'] ?? ''));
      this.requests.push(recorded);
      if (!version || version[1] !== '10') throw new HttpError(404, { message: '404: Not Found', code: 0 });
      if (req.headers.authorization !== `Bot ${this.token()}`) throw new HttpError(401, { message: '401: Unauthorized', code: 0 });
      if (this.failNext) {
        const { status, body } = this.failNext;
        this.failNext = undefined;
        throw new HttpError(status, body);
      }
      const found = this.routes.find(([method, pattern]) => method === recorded.method && pattern.test(recorded.path));
      if (!found) throw new HttpError(404, { message: '404: Not Found', code: 0 });
      const result = await found[2](recorded, found[1].exec(recorded.path)!.slice(1));
      if (result === undefined) {
        res.writeHead(204).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      }
    } catch (error) {
      const e = error instanceof HttpError ? error : new HttpError(500, { message: String(error), code: 0 });
      res.writeHead(e.status, { 'content-type': 'application/json' }).end(JSON.stringify(e.body));
    }
  }

  private channel(id: string): Json {
    return this.state.channels.get(id) ?? fail(notFound('Channel', 10003));
  }

  private guild(id: string): Json {
    return this.state.guilds.get(id) ?? fail(notFound('Guild', 10004));
  }

  private member(guildId: string, userId: string): Json {
    this.guild(guildId);
    return this.state.guildMember(guildId, userId) ?? fail(notFound('Member', 10007));
  }

  private message(channelId: string, id: string): StoredMessage {
    this.channel(channelId);
    const msg = this.state.messages.get(id);
    if (!msg || msg.channel_id !== channelId) throw notFound('Message', 10008);
    return msg;
  }

  private attachments(r: RecordedRequest): Json[] {
    return r.files.map((f) => {
      const id = snowflake();
      this.state.attachments.set(id, { id, filename: f.filename, content_type: f.contentType, data: f.data });
      return { id, filename: f.filename, size: f.data.length, content_type: f.contentType, url: `${this.urls.base()}/attachments/${id}/${encodeURIComponent(f.filename)}`, proxy_url: `${this.urls.base()}/attachments/${id}/${encodeURIComponent(f.filename)}` };
    });
  }

  private checkContent(body: Json | undefined, files: RecordedFile[], existing?: StoredMessage): void {
    const content = body?.content ?? existing?.content ?? '';
    if (typeof content !== 'string' || content.length > MAX_CONTENT) {
      throw new HttpError(400, { message: 'Invalid Form Body', code: 50035, errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } } });
    }
    const embeds = body?.embeds ?? existing?.embeds ?? [];
    const attachments = files.length + (existing && !body?.attachments ? existing.attachments.length : 0);
    if (!content && attachments === 0 && embeds.length === 0 && !body?.sticker_ids?.length) {
      throw new HttpError(400, { message: 'Cannot send an empty message', code: 50006 });
    }
  }

  private createMessage(r: RecordedRequest, channelId: string): StoredMessage {
    const channel = this.channel(channelId);
    const body = r.body ?? {};
    this.checkContent(body, r.files);
    const reference = body.message_reference;
    let referenced: StoredMessage | undefined;
    if (reference?.message_id) {
      referenced = this.state.messages.get(String(reference.message_id));
      if (!referenced && reference.fail_if_not_exists !== false) throw new HttpError(400, { message: 'Invalid Form Body', code: 50035 });
    }
    const msg = this.state.message(channel.id, this.state.bot, body.content ?? '', {
      attachments: this.attachments(r),
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      allowed_mentions: body.allowed_mentions,
      ...(referenced ? { type: 19, message_reference: { type: 0, message_id: referenced.id, channel_id: referenced.channel_id, ...(referenced.guild_id ? { guild_id: referenced.guild_id } : {}) }, referenced_message: referenced } : {}),
    });
    this.state.botMessageIds.push(msg.id);
    this.gateway.dispatch('MESSAGE_CREATE', msg);
    return msg;
  }

  private editMessage(r: RecordedRequest, channelId: string, id: string): StoredMessage {
    const msg = this.message(channelId, id);
    if (msg.author.id !== this.state.bot.id) throw new HttpError(403, { message: 'Cannot edit a message authored by another user', code: 50005 });
    const body = r.body ?? {};
    this.checkContent(body, r.files, msg);
    if (typeof body.content === 'string') msg.content = body.content;
    if (Array.isArray(body.embeds)) msg.embeds = body.embeds;
    if (Array.isArray(body.attachments)) msg.attachments = msg.attachments.filter((a: Json) => body.attachments.some((k: Json) => k.id === a.id));
    msg.attachments = [...msg.attachments, ...this.attachments(r)];
    msg.edited_timestamp = new Date().toISOString();
    this.state.edits++;
    this.gateway.dispatch('MESSAGE_UPDATE', msg);
    return msg;
  }
}

function fail(error: HttpError): never {
  throw error;
}

export function parseEmoji(text: string): Json {
  const custom = text.match(/^<?a?:?([\w~]+):(\d+)>?$/);
  return custom ? { id: custom[2], name: custom[1] } : { id: null, name: text };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseBody(recorded: RecordedRequest, raw: Buffer, contentType: string): Promise<void> {
  if (raw.length === 0) return;
  if (contentType.startsWith('application/json')) {
    recorded.body = JSON.parse(raw.toString('utf8'));
    return;
  }
  if (contentType.startsWith('multipart/form-data')) {
    // Node's own multipart parser (undici's FormData), independent of the client that built the body.
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') recorded.body = JSON.parse(value);
        continue;
      }
      recorded.files.push({ field, filename: value.name, contentType: value.type || 'application/octet-stream', data: Buffer.from(await value.arrayBuffer()) });
    }
    return;
  }
  recorded.body = raw.toString('utf8');
}
