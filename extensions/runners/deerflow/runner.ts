/**
 * The `deerflow-api` runner: the user's message goes to a run on the conversation's DeerFlow thread (made on first
 * use, made again when DeerFlow has lost it), and the answer comes back streamed or whole.
 */
import { ProviderErrorCode, providerError, type ConversationMessage, type RunnerMessage, type RunnerRequest } from '@langbot-ts/sdk';
import { DeerFlowClient, type RunPayload } from './client.js';
import { RunReader } from './run-reader.js';
import { deerFlowSettings, type DeerFlowSettings } from './settings.js';
import { conversationKey, type ThreadStore } from './threads.js';

export async function* runDeerFlow(threads: ThreadStore, request: RunnerRequest, signal?: AbortSignal): AsyncGenerator<RunnerMessage> {
  const settings = deerFlowSettings(request.config ?? {});
  const client = new DeerFlowClient(settings, signal);
  const key = conversationKey(request);
  const metadata = { source: 'langbot', langbot_conversation_id: request.conversation_id, langbot_session_id: request.session_id };
  const newThread = () => threads.replace(key, settings.apiBase, () => client.createThread(metadata));

  let threadId = (await threads.find(key, settings.apiBase)) ?? (await newThread());
  let events = await client.streamRun(threadId, runPayload(settings, threadId, request.user_message));
  if (events === 'gone') {
    threadId = await newThread();
    events = await client.streamRun(threadId, runPayload(settings, threadId, request.user_message));
    if (events === 'gone') throw providerError(ProviderErrorCode.Unavailable, `DeerFlow does not find the thread ${threadId} it has just created.`);
  }

  const reader = new RunReader();
  let shown = '';
  for await (const event of events) {
    const text = reader.take(event);
    if (request.stream && text !== undefined && text !== shown) {
      shown = text;
      yield { role: 'assistant', content: text, streaming: true, is_final: false };
    }
  }
  const answer = reader.answer();
  yield request.stream ? { role: 'assistant', content: answer, streaming: true, is_final: true } : { role: 'assistant', content: answer };
}

function runPayload(settings: DeerFlowSettings, threadId: string, message: ConversationMessage): RunPayload {
  return {
    assistant_id: settings.assistantId,
    input: { messages: [{ role: 'user', content: userContent(message) }] },
    stream_mode: ['values', 'messages-tuple', 'custom'],
    config: {
      recursion_limit: settings.recursionLimit,
      configurable: {
        thread_id: threadId,
        ...(settings.modelName ? { model_name: settings.modelName } : {}),
        thinking_enabled: settings.thinking,
        is_plan_mode: settings.planMode,
        subagent_enabled: settings.subagents,
        max_concurrent_subagents: settings.maxConcurrentSubagents,
      },
    },
  };
}

/** Text as a string; with images, LangChain content parts (files have no LangChain form and are left out). */
function userContent(message: ConversationMessage): unknown {
  const content = message.content;
  if (content === null) return '';
  if (typeof content === 'string') return content;
  type Part = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };
  const parts = content.flatMap((p): Part[] => (p.type === 'text' ? [{ type: 'text', text: p.text }] : p.type === 'image_url' ? [{ type: 'image_url', image_url: p.image_url }] : []));
  return parts.every((p) => p.type === 'text') ? parts.map((p) => p.text).join('') : parts;
}
