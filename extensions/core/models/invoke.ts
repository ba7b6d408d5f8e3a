/**
 * Calling models: the stored model and provider become a requester call; the provider's keys rotate (a refused
 * or exhausted key moves on to the next); fallback models are tried in order until one starts answering — once
 * a stream has started, that model is committed. Every attempt is recorded as an LLM call for monitoring.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  ProviderErrorCode,
  RpcError,
  RpcErrorCode,
  type ChatChunk,
  type ConversationMessage,
  type Database,
  type EmbedResult,
  type ExtensionContext,
  type ReasoningLevel,
  type RequesterTarget,
  type RerankResult,
  type ToolSpec,
} from '@langbot-ts/sdk';
import type { KeyRotation } from './keys.js';
import type { Model, ModelStore, ModelType, Provider } from './store.js';

export const DEFAULT_TIMEOUT_MS = 120_000;

interface RequesterDeclaration {
  key: string;
  entry: { id: string; modelTypes: string[]; defaultBaseUrl?: string };
}

export interface ChatArgs {
  /** A model uuid, or upstream's `{ primary, fallbacks }`. */
  model: string | { primary: string; fallbacks?: string[] };
  messages: ConversationMessage[];
  tools?: ToolSpec[];
  stream?: boolean;
  reasoning?: { level: ReasoningLevel };
  /** For monitoring: which bot, pipeline and session asked. */
  origin?: { bot_id?: string; bot_name?: string; pipeline_id?: string; pipeline_name?: string; session_id?: string; message_id?: string };
}

/** The first item of a chat stream says which model answers. */
export type ChatItem = ChatChunk | { type: 'model'; uuid: string; name: string; provider: string };

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

const RETRY_WITH_NEXT_KEY = new Set<string>([ProviderErrorCode.Auth, ProviderErrorCode.Quota]);

interface Attempt {
  model: Model;
  provider: Provider;
  target: RequesterTarget;
  moreKeys: boolean;
  /** `2 of 3`, for messages. */
  key: string;
}

/** What failed so far: the models given up on, and each failure for the final error. */
class Tried {
  private readonly done = new Set<Model>();
  private readonly failures: string[] = [];
  private last: unknown;

  constructor(readonly models: number) {}

  add(model: Model, error: unknown): void {
    this.last = error;
    this.failures.push(`${model.name}: ${describe(error)}`);
  }

  skip(model: Model): void {
    this.done.add(model);
  }

  skipped(model: Model): boolean {
    return this.done.has(model);
  }

  /** The one failure as it was, or one error listing every model's reason. */
  error(): unknown {
    if (this.models === 1 && this.failures.length <= 1) return this.last;
    const code = RpcError.is(this.last) ? this.last.code : RpcErrorCode.Unavailable;
    return new RpcError(code, `Every model failed. ${this.failures.join(' | ')}`, { failures: this.failures });
  }
}


export class ModelInvoker {
  private requesters: Map<string, RequesterDeclaration['entry']> = new Map();
  private readAt = 0;

  constructor(
    private readonly ctx: ExtensionContext,
    private readonly store: ModelStore,
    private readonly keys: KeyRotation,
    private readonly db: Kysely<Database>,
  ) {}

  async requesterList(): Promise<RequesterDeclaration['entry'][]> {
    await this.refresh(true);
    return [...this.requesters.values()];
  }

  async requester(id: string): Promise<RequesterDeclaration['entry']> {
    await this.refresh(false);
    let found = this.requesters.get(id);
    if (!found) {
      await this.refresh(true);
      found = this.requesters.get(id);
    }
    if (!found) throw new RpcError(RpcErrorCode.NotFound, `No extension provides the requester '${id}'. Install or enable it.`, { requester: id });
    return found;
  }

  async baseUrl(provider: Provider): Promise<string> {
    return provider.base_url || (await this.requester(provider.requester)).defaultBaseUrl || '';
  }

  async *chat(args: ChatArgs): AsyncGenerator<ChatItem> {
    const chain = await this.chain('llm', args.model);
    const tried = new Tried(chain.length);
    for await (const attempt of this.attempts(chain, tried)) {
      const { model, provider, target } = attempt;
      const started = Date.now();
      let committed = false;
      try {
        const request = {
          ...target,
          messages: adaptMessages(args.messages, model),
          stream: args.stream !== false,
          ...(args.tools?.length && model.abilities.includes('func_call') ? { tools: args.tools } : {}),
          reasoning: args.reasoning ?? model.reasoning_config,
        };
        const chunks = this.ctx.stream<ChatChunk>('contributions', 'stream', { point: 'requesters', id: provider.requester, method: 'chat', args: request });
        for await (const chunk of chunks) {
          if (!committed) {
            committed = true;
            yield { type: 'model', uuid: model.uuid, name: model.name, provider: provider.name };
          }
          if (chunk.type === 'done') this.record(model, args, Date.now() - started, 'success', undefined, chunk.usage);
          yield chunk;
        }
        return;
      } catch (error) {
        this.record(model, args, Date.now() - started, 'error', describe(error));
        if (committed) throw error;
        this.failed(attempt, error, tried);
      }
    }
    throw tried.error();
  }

  async embed(args: { model: string; input: string[] }): Promise<EmbedResult & { model: string }> {
    return this.once('embedding', args.model, 'embed', (target) => ({ ...target, input: args.input }));
  }

  async rerank(args: { model: string; query: string; documents: string[]; top_n?: number }): Promise<RerankResult & { model: string }> {
    return this.once('rerank', args.model, 'rerank', (target) => ({ ...target, query: args.query, documents: args.documents, ...(args.top_n ? { top_n: args.top_n } : {}) }));
  }

  /** A non-streaming call with the same key rotation and fallbacks as chat. */
  private async once<R>(type: ModelType, uuid: string, method: string, build: (target: RequesterTarget) => Record<string, unknown>): Promise<R & { model: string }> {
    const chain = await this.chain(type, uuid);
    const tried = new Tried(chain.length);
    for await (const attempt of this.attempts(chain, tried)) {
      try {
        const result = await this.ctx.call<R>('contributions', 'invoke', { point: 'requesters', id: attempt.provider.requester, method, args: build(attempt.target), timeoutMs: DEFAULT_TIMEOUT_MS + 5_000 });
        return { ...result, model: attempt.model.uuid };
      } catch (error) {
        this.failed(attempt, error, tried);
      }
    }
    throw tried.error();
  }

  /** Each model of the chain with each of its provider's keys in turn, until `tried` says to move on. */
  private async *attempts(chain: Model[], tried: Tried): AsyncGenerator<Attempt> {
    for (const model of chain) {
      const provider = await this.store.provider(model.provider_uuid);
      const base_url = await this.baseUrl(provider);
      const keys = this.keys.order(provider.uuid, provider.api_keys);
      for (const [index, api_key] of keys.entries()) {
        if (tried.skipped(model)) break;
        yield { model, provider, moreKeys: index < keys.length - 1, key: `${index + 1} of ${keys.length}`, target: { base_url, api_key, model: model.name, extra_args: model.extra_args, timeout_ms: DEFAULT_TIMEOUT_MS } };
      }
    }
  }

  /** A refused or exhausted key moves on to the provider's next key; anything else to the next model. */
  private failed(attempt: Attempt, error: unknown, tried: Tried): void {
    tried.add(attempt.model, error);
    if (RpcError.is(error) && RETRY_WITH_NEXT_KEY.has(error.code) && attempt.moreKeys) {
      this.ctx.log.warn(`Model '${attempt.model.name}': key ${attempt.key} failed (${describe(error)}); trying the next key.`);
      return;
    }
    tried.skip(attempt.model);
    if (tried.models > 1) this.ctx.log.warn(`Model '${attempt.model.name}' failed: ${describe(error)}.`);
  }

  /** The model, then its fallbacks (the request's, else the model's own), each of this type and existing. */
  private async chain(type: ModelType, spec: ChatArgs['model']): Promise<Model[]> {
    const primary = typeof spec === 'string' ? spec : spec?.primary;
    if (!primary) throw new RpcError(RpcErrorCode.ValidationFailed, 'No model is selected: choose one in the pipeline (ai.local-agent.model) or the request.');
    const first = await this.store.model(type, primary);
    const fallbackIds = typeof spec === 'object' && spec.fallbacks?.length ? spec.fallbacks : first.fallbacks;
    const rest: Model[] = [];
    for (const id of fallbackIds) {
      if (id === primary) continue;
      try {
        rest.push(await this.store.model(type, id));
      } catch {
        this.ctx.log.warn(`Fallback model '${id}' does not exist; skipping it.`);
      }
    }
    return [first, ...rest];
  }

  private async refresh(force: boolean): Promise<void> {
    if (!force && Date.now() - this.readAt < 2_000) return;
    const entries = await this.ctx.call<RequesterDeclaration[]>('contributions', 'list', { point: 'requesters' });
    this.requesters = new Map(entries.map((e) => [e.key, e.entry]));
    this.readAt = Date.now();
  }

  /** Monitoring, off the answer's path: a failed write is logged, never thrown. */
  private record(model: Model, args: ChatArgs, duration: number, status: 'success' | 'error', error?: string, usage?: { input_tokens: number; output_tokens: number; total_tokens: number }): void {
    const o = args.origin ?? {};
    void this.db
      .insertInto('monitoring_llm_calls')
      .values({
        id: randomUUID(),
        workspace_uuid: null,
        timestamp: new Date().toISOString(),
        model_name: model.name,
        input_tokens: usage?.input_tokens ?? 0,
        output_tokens: usage?.output_tokens ?? 0,
        total_tokens: usage?.total_tokens ?? 0,
        duration,
        cost: null,
        status,
        error_message: error ?? null,
        message_id: o.message_id ?? null,
        bot_id: o.bot_id ?? null,
        bot_name: o.bot_name ?? null,
        pipeline_id: o.pipeline_id ?? null,
        pipeline_name: o.pipeline_name ?? null,
        session_id: o.session_id ?? null,
      })
      .execute()
      .catch((e) => this.ctx.log.warn(`Could not record an LLM call: ${describe(e)}`));
  }
}

/** Images become a placeholder for a model without the `vision` ability, as upstream's preprocessing does. */
function adaptMessages(messages: ConversationMessage[], model: Model): ConversationMessage[] {
  if (model.abilities.includes('vision')) return messages;
  return messages.map((m) =>
    Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url') ? { ...m, content: m.content.map((p) => (p.type === 'image_url' ? { type: 'text' as const, text: '[Image]' } : p)) } : m,
  );
}

