/**
 * One running Discord bot: a discord.js Client logged in to the gateway (discord.js handles HELLO/IDENTIFY,
 * heartbeats, RESUME and reconnects), its raw dispatches turned into unified events, and its REST client for the
 * platform API. `start` resolves once the client is ready and rejects with a clear message otherwise.
 */
import { createEventSink, describeError, type EventSink, type ExtensionContext, type ExtensionLogger, type Redactor, type RunningBot } from '@langbot-ts/sdk';
import { Client, GatewayIntentBits, Partials, type GatewayDispatchPayload } from 'discord.js';
import { DiscordCalls } from './calls.js';
import { DispatchState, MalformedDispatchError } from './events.js';

export interface DiscordConfig {
  client_id: string;
  token: string;
  api_base_url: string;
}

export const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.GuildMembers,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.DirectMessageReactions,
  GatewayIntentBits.GuildModeration,
];

const READY_TIMEOUT_MS = 30_000;
/** What the adapter's APIs use: view/send/manage messages, embeds, files, history, @everyone, reactions, kick, timeouts, invites, channels. */
const INVITE_PERMISSIONS = '1099511884883';

/** Gateway close codes after which discord.js gives up, with what the operator should do. */
const FATAL_CLOSE: Record<number, string> = {
  4004: 'Discord refused the token: check the bot token (Developer Portal → Bot → Reset Token).',
  4010: 'Discord refused the shard configuration (invalid shard).',
  4011: 'Discord requires sharding for this bot; it is in too many servers for one connection.',
  4012: 'Discord refused the gateway version.',
  4013: 'Discord refused the requested intents as invalid.',
  4014: 'Discord refused a privileged intent: enable Message Content and Server Members for the application (Developer Portal → Bot → Privileged Gateway Intents).',
};

export function readConfig(config: Record<string, unknown>): DiscordConfig {
  const text = (key: string) => (typeof config[key] === 'string' ? (config[key] as string).trim() : '');
  const token = text('token').replace(/^Bot\s+/i, '');
  if (!token) throw new Error('The Discord adapter needs a bot token (config `token`).');
  if (!text('client_id')) throw new Error('The Discord adapter needs the application client id (config `client_id`).');
  const base = text('api_base_url') || 'https://discord.com/api';
  if (!/^https?:\/\//.test(base)) throw new Error('`api_base_url` must be an http(s) URL such as https://discord.com/api.');
  return { client_id: text('client_id'), token, api_base_url: base.replace(/\/+$/, '').replace(/\/v\d+$/, '') };
}

export class DiscordBot implements RunningBot {
  readonly state = new DispatchState();
  readonly calls: DiscordCalls;
  readonly sink: EventSink;
  private stopped = false;

  private constructor(
    readonly client: Client,
    readonly config: DiscordConfig,
    readonly log: ExtensionLogger,
    readonly redact: Redactor,
    sink: EventSink,
  ) {
    this.sink = sink;
    this.calls = new DiscordCalls(client.rest, redact);
  }

  static async start(ctx: Pick<ExtensionContext, 'call'>, bot_uuid: string, config: DiscordConfig, log: ExtensionLogger, redact: Redactor): Promise<DiscordBot> {
    const client = new Client({
      intents: INTENTS,
      // Uncached DM channels, messages and reactions still arrive (as partials) instead of being dropped.
      partials: [Partials.Channel, Partials.Message, Partials.Reaction, Partials.User, Partials.GuildMember],
      rest: { api: config.api_base_url },
      allowedMentions: { parse: [] },
    });
    const sink = createEventSink(ctx, { adapter: 'discord', bot_uuid, log });
    const bot = new DiscordBot(client, config, log, redact, sink);
    bot.listen();
    try {
      await bot.login();
    } catch (error) {
      await bot.stop();
      throw new Error(redact(loginError(error)));
    }
    log.info(`Discord bot ${client.user?.tag ?? client.user?.id} is connected to ${client.guilds.cache.size} server(s).`, { bot: bot_uuid });
    log.info(`Invite it to a server with https://discord.com/oauth2/authorize?client_id=${encodeURIComponent(config.client_id)}&scope=bot&permissions=${INVITE_PERMISSIONS}`, { bot: bot_uuid });
    return bot;
  }

  get selfId(): string {
    return this.client.user?.id ?? this.state.selfId;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.client.removeAllListeners();
    // An error the client still emits while closing must not become an uncaught 'error' event.
    this.client.on('error', () => undefined);
    await this.client.destroy();
    await this.sink.drain();
  }

  private async login(): Promise<void> {
    let fail!: (error: Error) => void;
    let timer: NodeJS.Timeout | undefined;
    const failed = new Promise<never>((_, reject) => {
      fail = reject;
      timer = setTimeout(() => reject(new Error(`Discord did not get ready within ${READY_TIMEOUT_MS / 1000} s.`)), READY_TIMEOUT_MS);
    });
    const onDisconnect = (event: { code: number }) => fail(new Error(FATAL_CLOSE[event.code] ?? `Discord closed the gateway connection (code ${event.code}).`));
    this.client.on('shardDisconnect', onDisconnect);
    const ready = new Promise<void>((resolve) => this.client.once('clientReady', () => resolve()));
    try {
      await Promise.race([this.client.login(this.config.token).then(() => ready), failed]);
    } finally {
      clearTimeout(timer);
      this.client.off('shardDisconnect', onDisconnect);
    }
  }

  /**
   * discord.js updates its caches from each dispatch and throws on a malformed one, inside an async gateway callback:
   * an unhandled rejection that would end the process. Its packet handler (private, but the one entry point for
   * every dispatch, queued ones included) is wrapped so such a packet is logged and skipped instead.
   */
  private guardPacketHandler(): void {
    const ws = this.client.ws as unknown as { handlePacket?: (packet?: { t?: string; s?: number }, shard?: unknown) => boolean };
    const original = ws.handlePacket;
    if (typeof original !== 'function') return;
    ws.handlePacket = (packet, shard) => {
      try {
        return original.call(ws, packet, shard);
      } catch (error) {
        this.log.warn(`discord.js could not process a ${packet?.t ?? 'gateway'} dispatch: ${describeError(error, this.redact)}`, { sequence: packet?.s });
        return true;
      }
    };
  }

  private listen(): void {
    const { client, log } = this;
    this.guardPacketHandler();
    client.on('raw', (packet: GatewayDispatchPayload) => this.onDispatch(packet));
    client.on('warn', (message) => log.warn(`discord.js: ${message}`));
    client.on('error', (error) => log.error(`discord.js: ${describeError(error, this.redact)}`));
    client.on('debug', (message) => {
      if (!/heartbeat/i.test(message)) log.debug(`discord.js: ${message}`);
    });
    client.on('shardError', (error) => log.warn(`Discord gateway error: ${describeError(error, this.redact)}`));
    client.on('shardReconnecting', () => log.info('Reconnecting to the Discord gateway.'));
    client.on('shardResume', (_id, replayed) => log.info(`Resumed the Discord gateway session (${replayed} event(s) replayed).`));
    client.on('shardDisconnect', (event) => {
      if (!this.stopped) log.error(FATAL_CLOSE[event.code] ?? `Discord closed the gateway connection for good (code ${event.code}).`);
    });
  }

  private onDispatch(packet: GatewayDispatchPayload): void {
    if (this.stopped || !packet || typeof packet.t !== 'string') return;
    try {
      for (const event of this.state.convert(packet.t, packet.d)) void this.sink.emit(event);
    } catch (error) {
      const why = error instanceof MalformedDispatchError ? error.message : describeError(error, this.redact);
      this.log.warn(`Dropped a malformed ${packet.t} dispatch from Discord: ${why}`, { sequence: packet.s });
    }
  }
}

function loginError(error: unknown): string {
  const e = error as { code?: unknown; status?: unknown; message?: unknown };
  if (e?.code === 'TokenInvalid' || e?.status === 401) return FATAL_CLOSE[4004];
  if (e?.code === 'DisallowedIntents') return FATAL_CLOSE[4014];
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith('Discord ') ? message : `Could not connect to Discord: ${message}`;
}
