/**
 * A typed client of the kernel services an extension calls most: bots (and sending messages), LLMs (with
 * streaming), embeddings, its own key-value storage, tools and knowledge. Each call goes through `ctx.call` /
 * `ctx.stream`, so it is checked against the manifest's `permissions.services` (bots, models, kv, tools, knowledge)
 * and works the same under every isolation mode.
 *
 *   const host = hostApi(ctx);
 *   const answer = await host.llm.invoke({ model, messages: [{ role: 'user', content: 'Hi' }] });
 */
import type { ExtensionContext } from '../../kernel/api/index.js';
import type { ChatType } from '../contracts/entities.js';
import type { MessageChain } from '../contracts/message-chain.js';
import type { ConversationMessage } from '../contracts/conversation.js';
import type { ChatChunk, EmbedResult, ToolSpec, TokenUsage } from '../contracts/models.js';
import type { ToolCall } from '../contracts/conversation.js';
import type { ToolInfo } from '../contracts/tools.js';

export interface BotInfo {
  uuid: string;
  name: string;
  adapter: string;
  enable: boolean;
  [field: string]: unknown;
}

export interface ModelInfo {
  uuid: string;
  name: string;
  provider_uuid: string;
  [field: string]: unknown;
}

export interface ChatOptions {
  /** A model uuid, or `{ primary, fallbacks }`. */
  model: string | { primary: string; fallbacks?: string[] };
  messages: ConversationMessage[];
  tools?: ToolSpec[];
}

export interface ChatAnswer {
  /** Which model answered (a fallback, perhaps). */
  model: { uuid: string; name: string } | null;
  text: string;
  reasoning: string;
  tool_calls: ToolCall[];
  finish_reason: string;
  usage?: TokenUsage;
}

export interface HostApi {
  bots: {
    list(): Promise<BotInfo[]>;
    get(uuid: string): Promise<BotInfo>;
    /** Sends to a private chat or a group through the bot's adapter; a string is sent as plain text. */
    sendMessage(botUuid: string, target: { type: ChatType; id: string }, message: MessageChain | string): Promise<unknown>;
    /** Any platform API the bot's adapter declares (`reply_message`, `get_group_info`, …). */
    callApi(botUuid: string, api: string, args: Record<string, unknown>): Promise<unknown>;
  };
  llm: {
    models(): Promise<ModelInfo[]>;
    /** The whole answer at once. */
    invoke(options: ChatOptions, signal?: AbortSignal): Promise<ChatAnswer>;
    /** The answer as it is produced: text deltas, tool calls, then `done` with the usage. */
    stream(options: ChatOptions, signal?: AbortSignal): AsyncIterable<ChatChunk>;
  };
  embeddings: {
    models(): Promise<ModelInfo[]>;
    embed(model: string, input: string[]): Promise<EmbedResult>;
  };
  /** The extension's own key-value store (JSON values), kept across restarts. */
  storage: {
    get<T = unknown>(key: string): Promise<T | null>;
    set(key: string, value: unknown): Promise<void>;
    delete(key: string): Promise<void>;
    keys(): Promise<string[]>;
  };
  tools: {
    list(): Promise<ToolInfo[]>;
    call(name: string, args: Record<string, unknown>): Promise<unknown>;
  };
  /** Needs an extension providing the `knowledge` service (a knowledge engine); none is built in yet. */
  knowledge: {
    retrieve(knowledgeBase: string, query: string, options?: { top_k?: number }): Promise<{ results: { content: string; score?: number; metadata?: Record<string, unknown> }[] }>;
  };
}

const plain = (message: MessageChain | string): MessageChain => (typeof message === 'string' ? [{ type: 'Plain', text: message }] : message);

/** Collects a chat stream into one answer. */
async function collect(items: AsyncIterable<unknown>): Promise<ChatAnswer> {
  const answer: ChatAnswer = { model: null, text: '', reasoning: '', tool_calls: [], finish_reason: '' };
  for await (const item of items as AsyncIterable<ChatChunk | { type: 'model'; uuid: string; name: string }>) {
    if (item.type === 'model') answer.model = { uuid: item.uuid, name: item.name };
    else if (item.type === 'delta') {
      answer.text += item.content ?? '';
      answer.reasoning += item.reasoning ?? '';
    } else if (item.type === 'tool_calls') answer.tool_calls.push(...item.tool_calls);
    else if (item.type === 'done') {
      answer.finish_reason = item.finish_reason;
      answer.usage = item.usage;
    }
  }
  return answer;
}

export function hostApi(ctx: Pick<ExtensionContext, 'call' | 'stream'>): HostApi {
  const chat = (options: ChatOptions, signal?: AbortSignal) => ctx.stream('models', 'chat', { ...options, stream: true }, { signal });
  const models = (type: 'llm' | 'embedding') => ctx.call<ModelInfo[]>('models', 'listModels', { type });
  return {
    bots: {
      list: () => ctx.call<BotInfo[]>('bots', 'list'),
      get: (uuid) => ctx.call<BotInfo>('bots', 'get', { uuid }),
      sendMessage: (botUuid, target, message) =>
        ctx.call('bots', 'api', { bot_uuid: botUuid, api: 'send_message', args: { target_type: target.type, target_id: target.id, message: plain(message) } }),
      callApi: (botUuid, api, args) => ctx.call('bots', 'api', { bot_uuid: botUuid, api, args }),
    },
    llm: {
      models: () => models('llm'),
      invoke: (options, signal) => collect(chat(options, signal)),
      async *stream(options, signal) {
        for await (const item of chat(options, signal) as AsyncIterable<ChatChunk | { type: 'model' }>) if (item.type !== 'model') yield item;
      },
    },
    embeddings: {
      models: () => models('embedding'),
      embed: (model, input) => ctx.call<EmbedResult>('models', 'embed', { model, input }),
    },
    storage: {
      get: async <T>(key: string) => (await ctx.call<{ value: T | null }>('kv', 'get', { key })).value,
      set: async (key, value) => void (await ctx.call('kv', 'set', { key, value })),
      delete: async (key) => void (await ctx.call('kv', 'delete', { key })),
      keys: async () => (await ctx.call<{ keys: string[] }>('kv', 'list')).keys,
    },
    tools: {
      list: () => ctx.call<ToolInfo[]>('tools', 'list', {}),
      call: (name, args) => ctx.call('tools', 'call', { name, arguments: args }),
    },
    knowledge: {
      retrieve: (knowledgeBase, query, options) => ctx.call('knowledge', 'retrieve', { knowledge_base: knowledgeBase, query, ...options }),
    },
  };
}
