/**
 * One implementation behind every OpenAI-compatible preset: chat completions (streamed or not, tool calls merged
 * from their fragments, `reasoning_content`, usage), embeddings, a `/rerank` endpoint (Jina, Cohere and Voyage
 * shapes) and the model list — all through the `openai` SDK except rerank, which the SDK does not cover.
 */
import OpenAI from 'openai';
import type { ChatChunk, ChatRequest, EmbedRequest, RequesterApi, RerankRequest, TokenUsage, ToolCall } from '@langbot-ts/sdk';
import { ProviderErrorCode, providerError } from '@langbot-ts/sdk';
import { fromOpenAiError } from './errors.js';
import { toOpenAiMessages } from './messages.js';

const clients = new Map<string, OpenAI>();
function client(base_url: string, api_key: string, timeout_ms: number): OpenAI {
  const key = `${base_url}\u0000${api_key}\u0000${timeout_ms}`;
  let found = clients.get(key);
  if (!found) {
    // Retries and fallbacks are the models service's job: one attempt per call here.
    found = new OpenAI({ baseURL: base_url, apiKey: api_key || 'none', timeout: timeout_ms, maxRetries: 0 });
    if (clients.size > 256) clients.clear();
    clients.set(key, found);
  }
  return found;
}

const EFFORT: Record<string, string | undefined> = { minimal: 'minimal', low: 'low', medium: 'medium', high: 'high', xhigh: 'high', max: 'high' };

function body(args: ChatRequest) {
  const request: Record<string, unknown> = { ...args.extra_args, model: args.model, messages: toOpenAiMessages(args.messages) };
  if (args.tools?.length) request.tools = args.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
  const effort = args.reasoning ? EFFORT[args.reasoning.level] : undefined;
  if (effort && request.reasoning_effort === undefined) request.reasoning_effort = effort;
  return request;
}

async function* chat(args: ChatRequest): AsyncGenerator<ChatChunk> {
  const api = client(args.base_url, args.api_key, args.timeout_ms);
  try {
    if (!args.stream) {
      const completion = (await api.chat.completions.create({ ...body(args), stream: false } as never)) as OpenAI.Chat.Completions.ChatCompletion;
      const choice = completion.choices[0];
      const message = choice?.message as (OpenAI.Chat.Completions.ChatCompletionMessage & { reasoning_content?: string }) | undefined;
      if (message?.reasoning_content) yield { type: 'delta', reasoning: message.reasoning_content };
      if (message?.content) yield { type: 'delta', content: message.content };
      const calls = (message?.tool_calls ?? []).filter((c) => c.type === 'function') as ToolCall[];
      if (calls.length) yield { type: 'tool_calls', tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.function.name, arguments: c.function.arguments } })) };
      const usage = completion.usage;
      yield { type: 'done', finish_reason: choice?.finish_reason ?? 'stop', ...(usage ? { usage: { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens, total_tokens: usage.total_tokens } } : {}) };
      return;
    }
    const stream = (await api.chat.completions.create({ ...body(args), stream: true, stream_options: { include_usage: true } } as never)) as unknown as AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>;
    const calls: ToolCall[] = [];
    let finish: string | undefined;
    let usage: TokenUsage | undefined;
    for await (const chunk of stream) {
      if (chunk.usage) usage = { input_tokens: chunk.usage.prompt_tokens, output_tokens: chunk.usage.completion_tokens, total_tokens: chunk.usage.total_tokens };
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      const delta = choice.delta as OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta & { reasoning_content?: string };
      if (delta?.reasoning_content) yield { type: 'delta', reasoning: delta.reasoning_content };
      if (delta?.content) yield { type: 'delta', content: delta.content };
      for (const fragment of delta?.tool_calls ?? []) {
        const call = (calls[fragment.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
        if (fragment.id) call.id = fragment.id;
        if (fragment.function?.name) call.function.name += fragment.function.name;
        if (fragment.function?.arguments) call.function.arguments += fragment.function.arguments;
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
    // A connection that drops mid-answer can look like a normal end; a reply without a finish reason is cut off.
    if (finish === undefined) throw providerError(ProviderErrorCode.Unavailable, `The provider at ${args.base_url} stopped the stream before the model finished.`);
    const complete = calls.filter(Boolean);
    if (complete.length) yield { type: 'tool_calls', tool_calls: complete };
    yield { type: 'done', finish_reason: finish, ...(usage ? { usage } : {}) };
  } catch (error) {
    throw fromOpenAiError(error, args);
  }
}

async function embed(args: EmbedRequest) {
  try {
    const result = await client(args.base_url, args.api_key, args.timeout_ms).embeddings.create({ ...(args.extra_args as object), model: args.model, input: args.input });
    const vectors = [...result.data].sort((a, b) => a.index - b.index).map((d) => d.embedding as number[]);
    return { vectors, ...(result.usage ? { usage: { input_tokens: result.usage.prompt_tokens, total_tokens: result.usage.total_tokens } } : {}) };
  } catch (error) {
    throw fromOpenAiError(error, args);
  }
}

async function rerank(args: RerankRequest) {
  const url = `${args.base_url.replace(/\/+$/, '')}/rerank`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${args.api_key}` },
      body: JSON.stringify({ ...args.extra_args, model: args.model, query: args.query, documents: args.documents, ...(args.top_n ? { top_n: args.top_n } : {}) }),
      signal: AbortSignal.timeout(args.timeout_ms),
    });
  } catch (error) {
    const name = (error as Error).name;
    throw name === 'TimeoutError'
      ? providerError(ProviderErrorCode.Timeout, `The provider at ${args.base_url} did not answer within ${args.timeout_ms} ms.`)
      : providerError(ProviderErrorCode.Unavailable, `Could not reach the provider at ${args.base_url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) throw fromOpenAiError(OpenAI.APIError.generate(response.status, safeJson(text), text, response.headers), args);
  const data = safeJson(text) as { results?: { index: number; relevance_score: number }[]; data?: { index: number; relevance_score: number }[] };
  const results = (data.results ?? data.data ?? []).map((r) => ({ index: r.index, relevance_score: r.relevance_score }));
  return { results };
}

function safeJson(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

async function listModels(args: { base_url: string; api_key: string; timeout_ms: number }) {
  try {
    const models = [];
    for await (const model of client(args.base_url, args.api_key, args.timeout_ms).models.list()) models.push({ id: model.id, owned_by: model.owned_by });
    return { models };
  } catch (error) {
    throw fromOpenAiError(error, args);
  }
}

export const openAiCompatible = { chat, embed, rerank, listModels } satisfies RequesterApi;
