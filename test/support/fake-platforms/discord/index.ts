/**
 * A fake Discord for tests: the REST API (`<base>/api/v10/...`) and the gateway (`ws://<host>/gateway`, resumes on
 * `/resume`) on one loopback HTTP server, driven by discord.js as it would drive Discord. Tests make users talk,
 * dispatch any gateway event, drop the connection and inspect what the bot did.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from './gateway.js';
import { FakeRest } from './rest.js';
import { DiscordState, type StoredMessage } from './state.js';

export { snowflake } from './state.js';
export type { RecordedRequest } from './rest.js';

type Json = Record<string, any>;

export interface FakeDiscordOptions {
  token?: string;
  heartbeatIntervalMs?: number;
}

export class FakeDiscord {
  readonly state = new DiscordState();
  readonly gateway: FakeGateway;
  readonly rest: FakeRest;
  token: string;
  private readonly hosted = new Map<string, { type: string; data: Buffer }>();
  private port = 0;

  private constructor(
    private readonly server: Server,
    options: FakeDiscordOptions,
  ) {
    this.token = options.token ?? 'MTIzNDU2Nzg5MDEyMzQ1Njc4.fake.discord-bot-token-secret';
    this.gateway = new FakeGateway(this.state, () => this.token, () => `ws://127.0.0.1:${this.port}/resume`, options.heartbeatIntervalMs ?? 41_250);
    this.rest = new FakeRest(this.state, this.gateway, () => this.token, { gateway: () => `ws://127.0.0.1:${this.port}/gateway`, base: () => this.baseUrl });
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    let fake!: FakeDiscord;
    const server = createServer((req, res) => void fake.serve(req, res));
    fake = new FakeDiscord(server, options);
    server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      if (path === '/gateway' || path === '/resume') fake.gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What the adapter's `api_base_url` should be. */
  get apiBaseUrl(): string {
    return `${this.baseUrl}/api`;
  }

  get bot(): Json {
    return this.state.bot;
  }

  get alice(): Json {
    return this.state.alice;
  }

  get bob(): Json {
    return this.state.bob;
  }

  get guild(): Json {
    return this.state.guild;
  }

  get channel(): Json {
    return this.state.channel;
  }

  /** Serves a file at `<base>/files/<name>` (for outbound media given by URL). */
  host(name: string, data: Buffer, type: string): string {
    this.hosted.set(name, { type, data });
    return `${this.baseUrl}/files/${encodeURIComponent(name)}`;
  }

  whenConnected(): Promise<void> {
    return this.gateway.whenConnected();
  }

  dispatch(t: string, d: unknown): void {
    this.gateway.dispatch(t, d);
  }

  /** `from` writes `content` to the bot in a DM; returns the message as dispatched. */
  dm(from: Json, content: string, extra: Json = {}): StoredMessage {
    const channel = this.state.dmChannel(from.id);
    const msg = this.state.message(channel.id, from, content, extra);
    this.dispatch('MESSAGE_CREATE', msg);
    return msg;
  }

  /** `from` writes `content` in the guild's #general. */
  say(from: Json, content: string, extra: Json = {}): StoredMessage {
    const m = this.state.guildMember(this.guild.id, from.id);
    const member = m && { roles: m.roles, nick: m.nick, joined_at: m.joined_at, deaf: false, mute: false };
    const msg = this.state.message(this.channel.id, from, content, { ...(member ? { member } : {}), ...extra });
    this.dispatch('MESSAGE_CREATE', msg);
    return msg;
  }

  /** The bot's messages in its DM with `peer`, as Discord shows them now (edits applied), oldest first. */
  botTexts(peer: Json = this.alice): string[] {
    const channel = this.state.dmChannel(peer.id);
    return this.state.botMessageIds.map((id) => this.state.messages.get(id)).filter((m): m is StoredMessage => !!m && m.channel_id === channel.id).map((m) => m.content);
  }

  /** The bot's message by id (undefined once deleted). */
  botMessage(id: string): StoredMessage | undefined {
    return this.state.botMessageIds.includes(id) ? this.state.messages.get(id) : undefined;
  }

  get edits(): number {
    return this.state.edits;
  }

  requests(method?: string, path?: string | RegExp) {
    return this.rest.requests.filter((r) => (!method || r.method === method) && (!path || (typeof path === 'string' ? r.path === path : path.test(r.path))));
  }

  drop(how: number | 'terminate' = 4000): void {
    this.gateway.drop(how);
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    if (path.startsWith('/api/')) return this.rest.handle(req, res, path.slice(4));
    const attachment = path.match(/^\/attachments\/(\d+)\//);
    const file = attachment ? this.state.attachments.get(attachment[1]) : undefined;
    if (file) return void res.writeHead(200, { 'content-type': file.content_type }).end(file.data);
    const hosted = path.startsWith('/files/') ? this.hosted.get(decodeURIComponent(path.slice(7))) : undefined;
    if (hosted) return void res.writeHead(200, { 'content-type': hosted.type }).end(hosted.data);
    res.writeHead(404).end();
  }
}
