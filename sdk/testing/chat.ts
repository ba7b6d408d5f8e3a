/**
 * A chat-level test harness: a real kernel with the message core (storage, bots, pipelines, handlers), a mock
 * adapter that records what the bot sends, and a runner that answers from a script. Tests read
 *
 *   const chat = await startChat();
 *   expect(await chat.user('alice').inGroup('g1').says('@bot hello')).toEqual(['echo: hello']);
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Writable } from 'node:stream';
import { StateStore } from '../../kernel/config/state-store.js';
import { Kernel, REPO_ROOT } from '../../kernel/kernel.js';
import { chain as buildChain, plainText, type ChainPart, type MessageChain } from '../contracts/index.js';

/** One rule of the scripted runner; the first whose `match` (a regular expression) fits the user's text answers. */
export interface ScriptRule {
  match?: string;
  /** A template: {text}, {sender}, {history} (messages before this one), {prompt} (the system prompt). */
  reply?: string;
  /** Streamed in these pieces (each chunk carries the text so far) when the adapter streams. */
  chunks?: string[];
  /** Fails the run with this message. */
  error?: string;
  /** Names of tools "called" before the answer. */
  tool_calls?: string[];
  delayMs?: number;
}

export interface ChatOptions {
  /** Pipeline config, merged section by section over the default pipeline's. */
  pipeline?: Record<string, Record<string, Record<string, unknown>>>;
  script?: ScriptRule[];
  /** Use the adapter that streams replies by editing. */
  streaming?: boolean;
  /** The bot's own platform id (what `@bot` mentions). */
  account_id?: string;
  /** Bot event-handler rules; default: messages to the pipeline. */
  event_handlers?: Record<string, unknown>[];
  /** More extension folders, installed as drop-ins (listeners, commands, stages…). */
  extensions?: string[];
  /** Settings of built-in extensions, by id (e.g. `langbot.pipeline: { admins: [...] }`). */
  config?: Record<string, Record<string, unknown>>;
  /** Reuse a data folder (to test what survives a restart). */
  dataDir?: string;
  /** Run the bot on this adapter instead of the recording mock (e.g. a real adapter against a fake platform). */
  adapter?: { name: string; config: Record<string, unknown> };
}

export interface SentMessage {
  api: string;
  args: Record<string, unknown>;
  /** The text of the sent chain. */
  text: string;
  chain: MessageChain;
}

const HARNESS = join(REPO_ROOT, 'sdk/testing/harness-extension');
/** Bundles are keyed by content, so every harness of a test run can share them. */
const SHARED_BUNDLES = join(tmpdir(), 'langbot-test-bundles');

export class ChatHarness {
  private sentCount = 0;
  private eventSeq = 0;

  private constructor(
    readonly kernel: Kernel,
    readonly dataDir: string,
    readonly bot_uuid: string,
    readonly pipeline_uuid: string,
    readonly logs: string[],
  ) {}

  static async start(options: ChatOptions = {}): Promise<ChatHarness> {
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'langbot-chat-'));
    cpSync(HARNESS, join(dataDir, 'extensions', 'chat-harness'), { recursive: true, preserveTimestamps: true });
    for (const dir of options.extensions ?? []) cpSync(dir, join(dataDir, 'extensions', basename(dir)), { recursive: true, preserveTimestamps: true });
    const logs: string[] = [];
    const destination = new Writable({ write: (chunk, _e, cb) => (logs.push(String(chunk)), cb()) });
    // The HTTP server takes a free port on loopback unless a test says otherwise, so parallel kernels never collide.
    const settings = { 'langbot.http': { host: '127.0.0.1', port: 0 }, ...options.config };
    const state = await StateStore.open(dataDir);
    for (const [id, config] of Object.entries(settings)) await state.setExtension(id, { config });
    const kernel = await Kernel.start({ dataDir, profile: 'headless', watch: false, logging: { destination, level: 'debug' }, bundleCacheDir: SHARED_BUNDLES });
    const call = (method: string, args: Record<string, unknown>) => kernel.manager.invoke('tools', 'chat-harness', method, args, { timeoutMs: 30_000 }) as Promise<any>;

    const existing = (await call('bots', { method: 'list' })) as { uuid: string; event_handlers: { handler_config: { pipeline_uuid?: string } }[] }[];
    let bot_uuid: string;
    let pipeline_uuid: string;
    if (existing.length > 0) {
      bot_uuid = existing[0].uuid;
      pipeline_uuid = String(existing[0].event_handlers[0]?.handler_config.pipeline_uuid ?? '');
    } else {
      const defaults = await call('pipelines', { method: 'defaultConfig' });
      const config = mergeSections(mergeSections(defaults, { ai: { runner: { runner: 'scripted' } } }), options.pipeline ?? {});
      const pipeline = await call('pipelines', { method: 'create', args: { name: 'Test pipeline', config, is_default: true } });
      pipeline_uuid = pipeline.uuid;
      const rules = options.event_handlers ?? [{ event_type: 'message.received', handler_type: 'pipeline', handler_config: { pipeline_uuid } }];
      const bot = await call('bots', {
        method: 'create',
        args: {
          name: 'Test bot',
          adapter: options.adapter?.name ?? (options.streaming ? 'harness-stream' : 'harness'),
          adapter_config: options.adapter?.config ?? { account_id: options.account_id ?? 'bot-1' },
          event_handlers: rules,
          enable: true,
        },
      });
      bot_uuid = bot.uuid;
    }
    if (options.script) await call('setScript', { script: options.script });
    return new ChatHarness(kernel, dataDir, bot_uuid, pipeline_uuid, logs);
  }

  call<T = any>(method: string, args: Record<string, unknown> = {}): Promise<T> {
    return this.kernel.manager.invoke('tools', 'chat-harness', method, args, { timeoutMs: 30_000 }) as Promise<T>;
  }

  setScript(script: ScriptRule[]): Promise<unknown> {
    return this.call('setScript', { script });
  }

  /** Changes the pipeline's config, section by section. */
  async configure(patch: Record<string, Record<string, Record<string, unknown>>>): Promise<void> {
    const pipeline = await this.call('pipelines', { method: 'get', args: { uuid: this.pipeline_uuid } });
    await this.call('pipelines', { method: 'update', args: { uuid: this.pipeline_uuid, config: mergeSections(pipeline.config, patch) } });
  }

  user(id: string, nickname = id): Speaker {
    return new Speaker(this, id, nickname);
  }

  /** The base URL of the kernel's HTTP server (webhook ingress), e.g. `http://127.0.0.1:40123`. */
  async httpUrl(): Promise<string> {
    return ((await this.call('http')) as { url: string }).url;
  }

  /** The bot's recent events as the router received them, oldest first. */
  async botEvents(): Promise<Record<string, unknown>[]> {
    const entries = (await this.call('bots', { method: 'events', args: { uuid: this.bot_uuid } })) as { event: Record<string, unknown> }[];
    return entries.map((e) => e.event);
  }

  /** Emits any unified event for the bot (filled with bot_uuid, adapter_name and timestamp). */
  emit(event: Record<string, unknown>): Promise<{ accepted: boolean; handler_type: string; via: string; reason?: string }> {
    return this.call('emit', { event: { timestamp: Date.now() / 1000, bot_uuid: this.bot_uuid, adapter_name: 'harness', ...event } });
  }

  nextMessageId(): string {
    return `in-${++this.eventSeq}`;
  }

  /** Waits until the bots' query pool has nothing running or queued. */
  idle(): Promise<unknown> {
    return this.call('idle');
  }

  /** Everything the bot sent since the last call of `sent()`. */
  async sent(): Promise<SentMessage[]> {
    const items = (await this.call('outbox', { since: this.sentCount })) as { api: string; args: Record<string, unknown> }[];
    this.sentCount += items.length;
    return items.map(({ api, args }) => {
      const chain = (args.message ?? args.new_content ?? []) as MessageChain;
      return { api, args, chain, text: Array.isArray(chain) ? plainText(chain) : '' };
    });
  }

  /** The requests the scripted runner received, oldest first. */
  runs(): Promise<{ messages: { role: string; content: unknown }[]; prompt: { role: string; content: unknown }[]; user_message: { content: unknown }; variables: Record<string, unknown>; stream: boolean }[]> {
    return this.call('runs');
  }

  async stop(): Promise<void> {
    await this.kernel.stop();
  }
}

export class Speaker {
  private group?: { id: string; name?: string };

  constructor(
    private readonly harness: ChatHarness,
    readonly id: string,
    readonly nickname: string,
  ) {}

  inGroup(id: string, name?: string): Speaker {
    const speaker = new Speaker(this.harness, this.id, this.nickname);
    speaker.group = { id, ...(name ? { name } : {}) };
    return speaker;
  }

  /** The event for a message, as the adapter would emit it. `@bot` in text becomes a mention of the bot. */
  message(...parts: ChainPart[]): Record<string, unknown> {
    const chain = buildChain(...parts).flatMap((c) =>
      c.type === 'Plain' && c.text.includes('@bot')
        ? c.text.split(/(@bot)/).filter(Boolean).map((t) => (t === '@bot' ? { type: 'At' as const, target: 'bot-1', display: 'bot' } : { type: 'Plain' as const, text: t }))
        : [c],
    );
    return {
      type: 'message.received',
      message_id: this.harness.nextMessageId(),
      message_chain: chain,
      sender: { id: this.id, nickname: this.nickname },
      chat_type: this.group ? 'group' : 'private',
      chat_id: this.group ? this.group.id : this.id,
      ...(this.group ? { group: this.group } : {}),
    };
  }

  /** Sends a message and returns the texts the bot sent back once it is done with it. */
  async says(...parts: ChainPart[]): Promise<string[]> {
    return (await this.saysAndGet(...parts)).map((m) => m.text);
  }

  async saysAndGet(...parts: ChainPart[]): Promise<SentMessage[]> {
    const accepted = await this.harness.emit(this.message(...parts));
    if (!accepted.accepted) throw new Error(`The message was refused: ${accepted.reason}`);
    await this.harness.idle();
    return this.harness.sent();
  }
}

function mergeSections(base: Record<string, any>, patch: Record<string, Record<string, Record<string, unknown>> | Record<string, unknown>>): Record<string, any> {
  const out = structuredClone(base);
  for (const [section, stages] of Object.entries(patch)) {
    out[section] ??= {};
    for (const [stage, fields] of Object.entries(stages)) out[section][stage] = { ...(out[section][stage] ?? {}), ...(fields as Record<string, unknown>) };
  }
  return out;
}

export const startChat = (options?: ChatOptions) => ChatHarness.start(options);
