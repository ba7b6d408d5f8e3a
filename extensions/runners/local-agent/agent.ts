/**
 * The local agent: the prompt, the history and the user's message go to the pipeline's model (with its fallbacks);
 * while the model calls tools, they run through the `tools` service and the results go back, for at most 128
 * rounds. With streaming, the text reaches the adapter while the model writes it.
 */
import { RpcError, RpcErrorCode, type ChatChunk, type ConversationMessage, type ExtensionContext, type RunnerMessage, type RunnerRequest, type ToolCall, type ToolInfo, type ToolResult } from '@langbot-ts/sdk';
import { withKnowledge } from './knowledge.js';

export const MAX_TOOL_ROUNDS = 128;

type ModelSpec = string | { primary: string; fallbacks?: string[]; reasoning?: { level?: string } };

function modelOf(config: Record<string, unknown>): { model: ModelSpec; reasoning?: { level: string } } {
  const raw = config.model as ModelSpec | undefined;
  if (!raw || (typeof raw === 'object' && !raw.primary)) throw new RpcError(RpcErrorCode.ValidationFailed, 'The local agent has no model: choose one in the pipeline (AI → local agent → model).');
  if (typeof raw === 'string') return { model: raw };
  const reasoning = raw.reasoning?.level && raw.reasoning.level !== 'provider_default' ? { level: raw.reasoning.level } : undefined;
  return { model: { primary: raw.primary, fallbacks: raw.fallbacks ?? [] }, ...(reasoning ? { reasoning } : {}) };
}

/** A tool result as the next request carries it: text (images are described, not sent). */
function resultText(result: ToolResult): string {
  if (typeof result.content === 'string') return result.content;
  return result.content.map((p) => (p.type === 'text' ? p.text : p.type === 'image_url' ? '[image]' : `[file ${p.file_url.url}]`)).join('\n');
}

export async function* runAgent(ctx: ExtensionContext, request: RunnerRequest): AsyncGenerator<RunnerMessage> {
  const config = request.config ?? {};
  const { model, reasoning } = modelOf(config);
  const context = { bot_uuid: request.bot.uuid, pipeline_uuid: request.pipeline_uuid, session_id: request.session_id, runner: 'local-agent', query_id: request.query_id };
  const tools = await toolsFor(ctx, config, context, request.preferences);
  const user = await withKnowledge(ctx, config, request);
  const messages: ConversationMessage[] = [...request.prompt, ...request.messages, user];
  const origin = { bot_id: request.bot.uuid, bot_name: request.bot.name, pipeline_id: request.pipeline_uuid, session_id: request.session_id, message_id: request.query_id };

  for (let round = 0; ; round++) {
    if (round >= MAX_TOOL_ROUNDS) {
      yield { role: 'assistant', content: `Stopped after ${MAX_TOOL_ROUNDS} rounds of tool calls without an answer.`, finish_reason: 'tool_rounds' };
      return;
    }
    let text = '';
    let calls: ToolCall[] = [];
    let finish = 'stop';
    let streamed = false;
    const chunks = ctx.stream<ChatChunk | { type: 'model' }>('models', 'chat', {
      model,
      messages,
      ...(tools.length ? { tools: tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })) } : {}),
      stream: request.stream,
      ...(reasoning ? { reasoning } : {}),
      origin,
    });
    for await (const chunk of chunks) {
      if (chunk.type === 'delta' && chunk.content) {
        text += chunk.content;
        if (request.stream) {
          streamed = true;
          yield { role: 'assistant', content: text, streaming: true, is_final: false };
        }
      } else if (chunk.type === 'tool_calls') calls = chunk.tool_calls;
      else if (chunk.type === 'done') finish = chunk.finish_reason;
    }
    if (calls.length === 0) {
      yield streamed ? { role: 'assistant', content: text, streaming: true, is_final: true, finish_reason: finish } : { role: 'assistant', content: text, finish_reason: finish };
      return;
    }
    // Text the model wrote before calling tools is a message of its own.
    if (streamed) yield { role: 'assistant', content: text, streaming: true, is_final: true };
    const assistant: RunnerMessage = { role: 'assistant', content: streamed ? null : text || null, tool_calls: calls };
    yield assistant;
    messages.push({ role: 'assistant', content: text || null, tool_calls: calls });
    for (const call of calls) {
      let result: ToolResult;
      try {
        const args = call.function.arguments ? JSON.parse(call.function.arguments) : {};
        result = await ctx.call<ToolResult>('tools', 'call', { name: call.function.name, arguments: args, context });
      } catch (error) {
        result = { content: `err: ${error instanceof Error ? error.message : String(error)}`, is_error: true };
      }
      const message = { role: 'tool' as const, content: resultText(result), tool_call_id: call.id, name: call.function.name };
      yield message;
      messages.push(message);
    }
  }
}

async function toolsFor(ctx: ExtensionContext, config: Record<string, unknown>, context: Record<string, unknown>, preferences: RunnerRequest['preferences']): Promise<ToolInfo[]> {
  const all = config['enable-all-tools'] !== false;
  const selection = all ? ['*'] : Array.isArray(config.tools) ? (config.tools as string[]) : [];
  if (!all && selection.length === 0) return [];
  try {
    return await ctx.call<ToolInfo[]>('tools', 'list', { context, selection, ...(preferences ? { preferences } : {}) });
  } catch (error) {
    if (RpcError.is(error, RpcErrorCode.NotFound)) return [];
    throw error;
  }
}

