/** The Anthropic Messages API through `@anthropic-ai/sdk`: streamed or not, tool use, thinking, usage. */
import Anthropic from '@anthropic-ai/sdk';
import { ProviderErrorCode, providerError, type ChatChunk, type ChatRequest, type RequesterApi, type ToolCall } from '@langbot-ts/sdk';
import { toAnthropic } from './messages.js';

const clients = new Map<string, Anthropic>();
function client(base_url: string, api_key: string, timeout_ms: number): Anthropic {
  const key = `${base_url}\u0000${api_key}\u0000${timeout_ms}`;
  let found = clients.get(key);
  if (!found) {
    found = new Anthropic({ baseURL: base_url || undefined, apiKey: api_key || 'none', timeout: timeout_ms, maxRetries: 0 });
    if (clients.size > 256) clients.clear();
    clients.set(key, found);
  }
  return found;
}

/** Thinking budgets for the reasoning levels (Anthropic takes a token budget, not a level). */
const BUDGET: Record<string, number | undefined> = { enabled: 4096, minimal: 1024, low: 2048, medium: 4096, high: 16_000, xhigh: 32_000, max: 64_000 };

function fromError(error: unknown, args: ChatRequest) {
  if (error instanceof Anthropic.APIConnectionTimeoutError) return providerError(ProviderErrorCode.Timeout, `Anthropic did not answer within ${args.timeout_ms} ms.`);
  if (error instanceof Anthropic.APIConnectionError) return providerError(ProviderErrorCode.Unavailable, `Could not reach ${args.base_url || 'Anthropic'}: ${(error.cause as Error | undefined)?.message ?? error.message}`);
  if (!(error instanceof Anthropic.APIError)) return error;
  const status = error.status ?? 0;
  const body = error.error as { error?: { type?: string; message?: string } } | undefined;
  const detail = body?.error?.message ?? error.message;
  const details = { status, provider_code: body?.error?.type };
  if (status === 401 || status === 403) return providerError(ProviderErrorCode.Auth, `Anthropic refused the API key (HTTP ${status}: ${detail}).`, details);
  if (status === 429 || status === 529) return providerError(ProviderErrorCode.Quota, `Anthropic's quota or rate limit was reached, or it is overloaded (HTTP ${status}: ${detail}).`, details);
  if (status === 404) return providerError(ProviderErrorCode.ModelNotFound, `Anthropic does not know the model '${args.model}' (HTTP 404: ${detail}).`, details);
  if (status >= 400 && status < 500) return providerError(ProviderErrorCode.BadRequest, `Anthropic rejected the request (HTTP ${status}: ${detail}).`, details);
  return providerError(ProviderErrorCode.Unavailable, `Anthropic failed (HTTP ${status}: ${detail}).`, details);
}

function body(args: ChatRequest) {
  const { system, messages } = toAnthropic(args.messages);
  const request: Record<string, unknown> = { max_tokens: 4096, ...args.extra_args, model: args.model, messages };
  if (system) request.system = system;
  if (args.tools?.length) request.tools = args.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters }));
  const budget = args.reasoning ? BUDGET[args.reasoning.level] : undefined;
  if (budget && request.thinking === undefined) request.thinking = { type: 'enabled', budget_tokens: budget };
  if (args.reasoning?.level === 'disabled' && request.thinking === undefined) request.thinking = { type: 'disabled' };
  return request;
}

const STOP: Record<string, string> = { end_turn: 'stop', tool_use: 'tool_calls', max_tokens: 'length', stop_sequence: 'stop' };

async function* chat(args: ChatRequest): AsyncGenerator<ChatChunk> {
  const api = client(args.base_url, args.api_key, args.timeout_ms);
  try {
    if (!args.stream) {
      const message = (await api.messages.create({ ...body(args), stream: false } as never)) as Anthropic.Message;
      const calls: ToolCall[] = [];
      for (const block of message.content) {
        if (block.type === 'text') yield { type: 'delta', content: block.text };
        else if (block.type === 'thinking') yield { type: 'delta', reasoning: block.thinking };
        else if (block.type === 'tool_use') calls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input) } });
      }
      if (calls.length) yield { type: 'tool_calls', tool_calls: calls };
      const usage = message.usage;
      yield { type: 'done', finish_reason: STOP[message.stop_reason ?? ''] ?? message.stop_reason ?? 'stop', usage: { input_tokens: usage.input_tokens, output_tokens: usage.output_tokens, total_tokens: usage.input_tokens + usage.output_tokens } };
      return;
    }
    const events = (await api.messages.create({ ...body(args), stream: true } as never)) as unknown as AsyncIterable<Anthropic.RawMessageStreamEvent>;
    const calls = new Map<number, ToolCall>();
    let input = 0;
    let output = 0;
    let stop = 'stop';
    let finished = false;
    for await (const event of events) {
      if (event.type === 'message_stop') finished = true;
      if (event.type === 'message_start') input = event.message.usage.input_tokens;
      else if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
        calls.set(event.index, { id: event.content_block.id, type: 'function', function: { name: event.content_block.name, arguments: '' } });
      } else if (event.type === 'content_block_delta') {
        if (event.delta.type === 'text_delta') yield { type: 'delta', content: event.delta.text };
        else if (event.delta.type === 'thinking_delta') yield { type: 'delta', reasoning: event.delta.thinking };
        else if (event.delta.type === 'input_json_delta') {
          const call = calls.get(event.index);
          if (call) call.function.arguments += event.delta.partial_json;
        }
      } else if (event.type === 'message_delta') {
        output = event.usage.output_tokens;
        stop = STOP[event.delta.stop_reason ?? ''] ?? event.delta.stop_reason ?? stop;
      }
    }
    if (!finished) throw providerError(ProviderErrorCode.Unavailable, `${args.base_url || 'Anthropic'} stopped the stream before the model finished.`);
    if (calls.size) yield { type: 'tool_calls', tool_calls: [...calls.values()].map((c) => ({ ...c, function: { ...c.function, arguments: c.function.arguments || '{}' } })) };
    yield { type: 'done', finish_reason: stop, usage: { input_tokens: input, output_tokens: output, total_tokens: input + output } };
  } catch (error) {
    throw fromError(error, args);
  }
}

async function listModels(args: { base_url: string; api_key: string; timeout_ms: number }) {
  try {
    const models = [];
    for await (const model of client(args.base_url, args.api_key, args.timeout_ms).models.list()) models.push({ id: model.id });
    return { models };
  } catch (error) {
    throw fromError(error, { ...args, model: '', messages: [], stream: false, extra_args: {} });
  }
}

export const anthropicMessages = { chat, listModels } satisfies RequesterApi;
