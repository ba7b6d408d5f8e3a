/**
 * The hook for knowledge retrieval: when the pipeline names knowledge bases and a `knowledge` service exists, the
 * retrieved passages (reranked when a rerank model is set) wrap the user's message in upstream's template.
 */
import { RpcError, RpcErrorCode, contentText, type ConversationMessage, type ExtensionContext, type RunnerRequest } from '@langbot-ts/sdk';

const TEMPLATE = (context: string, message: string) =>
  `Use the following context to answer the user's message. Respond in the same language as the user's input.\n<context>\n${context}\n</context>\n<user_message>\n${message}\n</user_message>`;

let warned = false;

export async function withKnowledge(ctx: ExtensionContext, config: Record<string, unknown>, request: RunnerRequest): Promise<ConversationMessage> {
  const bases = Array.isArray(config['knowledge-bases']) ? (config['knowledge-bases'] as string[]) : [];
  const text = contentText(request.user_message.content);
  if (bases.length === 0 || !text) return request.user_message;
  let passages: { text: string }[];
  try {
    passages = (await ctx.call<{ results: { text: string }[] }>('knowledge', 'retrieve', { knowledge_base_uuids: bases, query: text, top_k: 10, bot_uuid: request.bot.uuid, session_id: request.session_id })).results ?? [];
  } catch (error) {
    if (RpcError.is(error, RpcErrorCode.NotFound) || RpcError.is(error, RpcErrorCode.PermissionDenied)) {
      if (!warned) ctx.log.warn('The pipeline names knowledge bases but no knowledge service is installed; answering without them.');
      warned = true;
      return request.user_message;
    }
    throw error;
  }
  const rerankModel = typeof config['rerank-model'] === 'string' ? config['rerank-model'] : '';
  if (rerankModel && passages.length > 1) {
    const ranked = await ctx.call<{ results: { index: number }[] }>('models', 'rerank', { model: rerankModel, query: text, documents: passages.slice(0, 64).map((p) => p.text), top_n: Number(config['rerank-top-k'] ?? 5) });
    passages = ranked.results.map((r) => passages[r.index]).filter(Boolean);
  }
  if (passages.length === 0) return request.user_message;
  const context = passages.map((p, i) => `[${i + 1}] ${p.text}`).join('\n');
  return { role: 'user', content: TEMPLATE(context, text) };
}
