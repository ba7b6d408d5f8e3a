/**
 * The `deerflow-api` runner: the user's message goes to a run on the conversation's DeerFlow thread (made on first
 * use, made again when DeerFlow has lost it), and the answer comes back streamed or whole.
 */
import {
  ProviderErrorCode,
  ReplyChunks,
  conversationOf,
  providerError,
  type ConversationMessage,
  type RemoteIds,
  type RunnerMessage,
  type RunnerRequest,
} from '@langbot-ts/sdk';
import { DeerFlowClient, type RunPayload } from './client.js';
import { RunReader } from './run-reader.js';
import { deerFlowSettings, type DeerFlowSettings } from './settings.js';

/** `threads` holds the thread of each conversation, for the api-base it was made on (a thread of another server is not reused). */
export async function* runDeerFlow(threads: RemoteIds, request: RunnerRequest, signal?: AbortSignal): AsyncGenerator<RunnerMessage> {
  const settings = deerFlowSettings(request.config ?? {});
  const client = new DeerFlowClient(settings, signal);
  const metadata = { source: 'langbot', langbot_conversation_id: request.conversation_id, langbot_session_id: request.session_id };
  const events = await threads.withRemoteId(conversationOf(request), settings.apiBase, {
    create: () => client.createThread(metadata),
    use: (threadId) => client.streamRun(threadId, runPayload(settings, threadId, request.user_message)),
    lost: (threadId) => providerError(ProviderErrorCode.Unavailable, `DeerFlow does not find the thread ${threadId} it has just created.`),
  });

  const reader = new RunReader();
  const chunks = new ReplyChunks(request.stream);
  for await (const event of events) yield* chunks.partial(reader.take(event));
  yield chunks.final(reader.answer());
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
