/**
 * The `coze-api` runner: the user's message goes to a Coze bot with `POST /v3/chat` (always streamed on the
 * wire), continuing the Coze conversation kept for this LangBot conversation; the answer is streamed to the
 * adapter when it can show partial replies, else sent whole.
 */
import { RemoteIds, ReplyChunks, exchange, readSse, type ExtensionContext, type IdleResponse, type RunnerMessage, type RunnerRequest } from '@langbot-ts/sdk';
import { CozeChat } from './chat-events.js';
import { cozeConfig, type CozeConfig } from './config.js';
import { cozeResponseError } from './coze-errors.js';
import { cozeUserMessage, type CozeMessage } from './user-message.js';

export async function* runCoze(ctx: ExtensionContext, request: RunnerRequest): AsyncGenerator<RunnerMessage> {
  const config = cozeConfig(request.config ?? {});
  const conversation = await new RemoteIds(ctx, `coze:${config.botId}`).link(request.conversation_id);
  const message = await cozeUserMessage(config, request);

  const answer = await startChat(config, request, message, conversation.current);
  const chat = new CozeChat(config.platform);
  const chunks = new ReplyChunks(request.stream);
  try {
    for await (const event of readSse(answer.body())) {
      chat.apply(event);
      await conversation.remember(chat.conversationId);
      yield* chunks.partial(chat.reply.text(false));
      if (chat.finished) break;
    }
  } finally {
    answer.close();
  }
  chat.end();
  yield chunks.final(chat.reply.text(true));
}

async function startChat(config: CozeConfig, request: RunnerRequest, message: CozeMessage, conversationId: string | undefined): Promise<IdleResponse> {
  const url = new URL(`${config.apiBase}/v3/chat`);
  if (conversationId) url.searchParams.set('conversation_id', conversationId);
  const body = {
    bot_id: config.botId,
    // Coze keeps per-user memory (variables, long-term memory): one user per person per chat.
    user_id: `${request.launcher_id}_${request.sender_id}`,
    stream: true,
    auto_save_history: config.autoSaveHistory,
    additional_messages: [message],
  };
  const answer = await exchange(
    config.platform,
    url.toString(),
    { method: 'POST', headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify(body) },
    config.timeoutMs,
  );
  // Coze refuses with a JSON `{code, msg}` instead of a stream, often with HTTP 200.
  if (!answer.ok || !answer.contentType.includes('text/event-stream')) {
    throw cozeResponseError(config.platform, answer.status, await answer.text());
  }
  return answer;
}
