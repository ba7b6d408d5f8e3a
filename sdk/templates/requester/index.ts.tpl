import {
  ProviderErrorCode,
  defineExtension,
  providerError,
  type ChatChunk,
  type ChatRequest,
  type ConversationMessage,
  type RequesterApi,
} from '@langbot-ts/sdk';

/** POSTs JSON to the provider and turns HTTP failures into the errors the models service understands. */
async function post(base_url: string, path: string, api_key: string, timeout_ms: number, body?: unknown): Promise<any> {
  let response: Response;
  try {
    response = await fetch(`${base_url.replace(/\/+$/, '')}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${api_key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeout_ms),
    });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw providerError(ProviderErrorCode.Timeout, `No answer within ${timeout_ms} ms.`);
    throw providerError(ProviderErrorCode.Unavailable, `Could not reach ${base_url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (response.ok) return JSON.parse(text);
  const detail = `HTTP ${response.status}: ${text.slice(0, 300)}`;
  if (response.status === 401 || response.status === 403) throw providerError(ProviderErrorCode.Auth, `The API key was refused (${detail}).`);
  if (response.status === 429) throw providerError(ProviderErrorCode.Quota, `Rate limit or quota reached (${detail}).`);
  if (response.status === 404) throw providerError(ProviderErrorCode.ModelNotFound, `Unknown model or endpoint (${detail}).`);
  if (response.status < 500) throw providerError(ProviderErrorCode.BadRequest, `The request was refused (${detail}).`);
  throw providerError(ProviderErrorCode.Unavailable, `The provider failed (${detail}).`);
}

/** The conversation as OpenAI's chat API expects it: the pipeline's own roles speak as the assistant. */
const toOpenAi = (messages: ConversationMessage[]) =>
  messages.map((m) => (m.role === 'command' || m.role === 'plugin' ? { ...m, role: 'assistant' } : m));

// Not streamed, to keep the example short: one text delta, the tool calls if any, then `done`.
async function* chat(args: ChatRequest): AsyncGenerator<ChatChunk> {
  const tools = args.tools?.map((t) => ({ type: 'function', function: t }));
  const body = { ...args.extra_args, model: args.model, messages: toOpenAi(args.messages), ...(tools?.length ? { tools } : {}) };
  const answer = await post(args.base_url, '/chat/completions', args.api_key, args.timeout_ms, body);
  const choice = answer.choices?.[0];
  if (choice?.message?.content) yield { type: 'delta', content: choice.message.content };
  if (choice?.message?.tool_calls?.length) yield { type: 'tool_calls', tool_calls: choice.message.tool_calls };
  const usage = answer.usage && { input_tokens: answer.usage.prompt_tokens, output_tokens: answer.usage.completion_tokens, total_tokens: answer.usage.total_tokens };
  yield { type: 'done', finish_reason: choice?.finish_reason ?? 'stop', ...(usage ? { usage } : {}) };
}

async function listModels(args: { base_url: string; api_key: string; timeout_ms: number }) {
  const answer = await post(args.base_url, '/models', args.api_key, args.timeout_ms);
  return { models: (answer.data ?? []).map((m: { id: string; owned_by?: string }) => ({ id: m.id, owned_by: m.owned_by })) };
}

export default defineExtension({
  activate(ctx) {
    // The requester the manifest declares under contributes.requesters: `chat` for llm models, `listModels` to
    // offer the provider's models (add `embed`/`rerank` for those model types).
    ctx.provide('requesters', '{{key}}', { chat, listModels } satisfies RequesterApi);
  },
});
