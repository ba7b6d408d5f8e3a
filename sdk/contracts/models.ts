/**
 * Model contracts: what a requester contribution implements (`requesters:<id>`), what the `models` service offers
 * runners, and the provider errors both speak. A requester turns one provider's wire format into these shapes;
 * the models service adds stored providers and models, key rotation and fallback models on top.
 */
import { RpcError } from '../../kernel/api/index.js';
import type { ConversationMessage, ToolCall } from './conversation.js';

/** A tool as a model sees it: OpenAI's function shape. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export const REASONING_LEVELS = ['provider_default', 'disabled', 'enabled', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type ReasoningLevel = (typeof REASONING_LEVELS)[number];

/** Where and as whom a requester calls: resolved by the models service from the stored provider and model. */
export interface RequesterTarget {
  base_url: string;
  api_key: string;
  /** The provider's model name. */
  model: string;
  /** Merged into the request body (temperature, top_p, provider-specific fields). */
  extra_args: Record<string, unknown>;
  timeout_ms: number;
}

export interface ChatRequest extends RequesterTarget {
  messages: ConversationMessage[];
  tools?: ToolSpec[];
  stream: boolean;
  reasoning?: { level: ReasoningLevel };
}

export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
}

/**
 * What `chat` yields: text and reasoning as deltas while they arrive; tool calls complete (the requester merges
 * streamed fragments); one `done` last, with why the model stopped and the usage when the provider reports it.
 */
export type ChatChunk =
  | { type: 'delta'; content?: string; reasoning?: string }
  | { type: 'tool_calls'; tool_calls: ToolCall[] }
  | { type: 'done'; finish_reason: string; usage?: TokenUsage };

export interface EmbedRequest extends RequesterTarget {
  input: string[];
}
export interface EmbedResult {
  vectors: number[][];
  usage?: { input_tokens: number; total_tokens: number };
}

export interface RerankRequest extends RequesterTarget {
  query: string;
  documents: string[];
  top_n?: number;
}
export interface RerankResult {
  results: { index: number; relevance_score: number }[];
}

export interface ProviderModel {
  id: string;
  owned_by?: string;
}

/** What a `requesters` contribution implements (methods for the model types it declares). */
export interface RequesterApi {
  chat?(args: ChatRequest): AsyncIterable<ChatChunk>;
  embed?(args: EmbedRequest): Promise<EmbedResult>;
  rerank?(args: RerankRequest): Promise<RerankResult>;
  listModels(args: { base_url: string; api_key: string; timeout_ms: number }): Promise<{ models: ProviderModel[] }>;
}

/** Provider failures, told apart so users get a clear message and the models service knows what to try next. */
export const ProviderErrorCode = {
  /** The key was refused: try the provider's next key. */
  Auth: 'PROVIDER_AUTH',
  /** Quota or rate limit: try the next key. */
  Quota: 'PROVIDER_QUOTA',
  Timeout: 'PROVIDER_TIMEOUT',
  ModelNotFound: 'MODEL_NOT_FOUND',
  /** The provider refused the request itself (too long, bad parameter). */
  BadRequest: 'PROVIDER_BAD_REQUEST',
  /** The provider failed or could not be reached. */
  Unavailable: 'PROVIDER_UNAVAILABLE',
} as const;
export type ProviderErrorCode = (typeof ProviderErrorCode)[keyof typeof ProviderErrorCode];

export function providerError(code: ProviderErrorCode, message: string, details: Record<string, unknown> = {}): RpcError {
  return new RpcError(code, message, details);
}

export const isProviderError = (error: unknown): error is RpcError => RpcError.is(error) && Object.values(ProviderErrorCode).includes(error.code as ProviderErrorCode);
