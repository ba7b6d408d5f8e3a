/**
 * The `weknora-api` runner: the user's question goes to the conversation's WeKnora session (made on first use,
 * made again when WeKnora has lost it), through agent chat or knowledge-base chat, and the answer comes back
 * streamed or whole.
 */
import {
  ProviderErrorCode,
  ReplyChunks,
  contentText,
  conversationOf,
  providerError,
  type RemoteIds,
  type RunnerMessage,
  type RunnerRequest,
} from '@langbot-ts/sdk';
import { AnswerReader } from './answer-reader.js';
import { WeKnoraClient } from './client.js';
import { DEFAULT_AGENT, DEFAULT_KNOWLEDGE_AGENT, weKnoraSettings, type WeKnoraSettings } from './settings.js';

/** `sessions` holds the session of each conversation, for the base-url it was made on (a session of another server is not reused). */
export async function* runWeKnora(sessions: RemoteIds, request: RunnerRequest, signal?: AbortSignal): AsyncGenerator<RunnerMessage> {
  const settings = weKnoraSettings(request.config ?? {});
  const client = new WeKnoraClient(settings, signal);
  const title = `IM Chat - ${request.launcher_type}_${request.launcher_id}`;
  const body = chatBody(settings, contentText(request.user_message.content).trim() || settings.basePrompt);
  const events = await sessions.withRemoteId(conversationOf(request), settings.baseUrl, {
    create: () => client.createSession(title),
    use: (sessionId) => client.chat(sessionId, body),
    lost: (sessionId) => providerError(ProviderErrorCode.Unavailable, `WeKnora does not find the session ${sessionId} it has just created.`),
  });

  const reader = new AnswerReader();
  const chunks = new ReplyChunks(request.stream);
  for await (const event of events) {
    yield* chunks.partial(reader.take(event));
    // The answer is complete; what may follow (suggestions, titles) is not for the chat.
    if (reader.done) break;
  }
  yield chunks.final(reader.answer());
}

function chatBody(settings: WeKnoraSettings, query: string): Record<string, unknown> {
  const knowledgeBases = settings.knowledgeBaseIds.length ? { knowledge_base_ids: settings.knowledgeBaseIds } : {};
  if (settings.mode === 'chat') {
    const agent = settings.agentId && settings.agentId !== DEFAULT_AGENT ? settings.agentId : DEFAULT_KNOWLEDGE_AGENT;
    return { query, channel: 'im', agent_id: agent, ...knowledgeBases };
  }
  return {
    query,
    agent_enabled: true,
    channel: 'im',
    ...(settings.agentId ? { agent_id: settings.agentId } : {}),
    ...knowledgeBases,
    ...(settings.webSearch ? { web_search_enabled: true } : {}),
  };
}
