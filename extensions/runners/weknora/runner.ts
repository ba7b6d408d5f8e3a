/**
 * The `weknora-api` runner: the user's question goes to the conversation's WeKnora session (made on first use,
 * made again when WeKnora has lost it), through agent chat or knowledge-base chat, and the answer comes back
 * streamed or whole.
 */
import { ProviderErrorCode, contentText, providerError, type RunnerMessage, type RunnerRequest } from '@langbot-ts/sdk';
import { AnswerReader } from './answer-reader.js';
import { WeKnoraClient } from './client.js';
import { conversationKey, type SessionStore } from './sessions.js';
import { DEFAULT_AGENT, DEFAULT_KNOWLEDGE_AGENT, weKnoraSettings, type WeKnoraSettings } from './settings.js';

export async function* runWeKnora(sessions: SessionStore, request: RunnerRequest, signal?: AbortSignal): AsyncGenerator<RunnerMessage> {
  const settings = weKnoraSettings(request.config ?? {});
  const client = new WeKnoraClient(settings, signal);
  const key = conversationKey(request);
  const title = `IM Chat - ${request.launcher_type}_${request.launcher_id}`;
  const newSession = () => sessions.replace(key, settings.baseUrl, () => client.createSession(title));
  const body = chatBody(settings, contentText(request.user_message.content).trim() || settings.basePrompt);

  let sessionId = (await sessions.find(key, settings.baseUrl)) ?? (await newSession());
  let events = await client.chat(sessionId, body);
  if (events === 'gone') {
    sessionId = await newSession();
    events = await client.chat(sessionId, body);
    if (events === 'gone') throw providerError(ProviderErrorCode.Unavailable, `WeKnora does not find the session ${sessionId} it has just created.`);
  }

  const reader = new AnswerReader();
  for await (const event of events) {
    const text = reader.take(event);
    if (request.stream && text !== undefined) yield { role: 'assistant', content: text, streaming: true, is_final: false };
    // The answer is complete; what may follow (suggestions, titles) is not for the chat.
    if (reader.done) break;
  }
  const answer = reader.answer();
  yield request.stream ? { role: 'assistant', content: answer, streaming: true, is_final: true } : { role: 'assistant', content: answer };
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
