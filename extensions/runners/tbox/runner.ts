/**
 * The `tbox-app-api` runner: the user's message goes to an agent on Ant Group's Tbox (百宝箱) with
 * `POST {base-url}/api/chat` (`userId` is the bot's uuid), images uploaded first, continuing the Tbox
 * conversation kept for this LangBot conversation; streamed when the adapter can show partial replies.
 */
import { RemoteIds, ReplyChunks, exchange, readSse, tryParseJson, type ExtensionContext, type IdleResponse, type RunnerMessage, type RunnerRequest } from '@langbot-ts/sdk';
import { TboxChat, type TboxSyncAnswer } from './chat-events.js';
import { tboxConfig, type TboxConfig } from './config.js';
import { tboxResponseError } from './tbox-errors.js';
import { tboxQuery, type TboxQuery } from './user-query.js';

export async function* runTbox(ctx: ExtensionContext, request: RunnerRequest): AsyncGenerator<RunnerMessage> {
  const config = tboxConfig(request.config ?? {});
  const conversation = await new RemoteIds(ctx, `tbox:${config.appId}`).link(request.conversation_id);
  const query = await tboxQuery(config, request);
  if (query.skipped > 0) ctx.log.warn(`Tbox takes images only: ${query.skipped} other attachment(s) of this message were not sent.`, { query_id: request.query_id });

  const answer = await startChat(config, request, query, conversation.current);
  const chat = new TboxChat(config.platform);
  const chunks = new ReplyChunks(request.stream);
  try {
    if (answer.contentType.includes('text/event-stream')) {
      for await (const event of readSse(answer.body())) {
        chat.apply(event);
        await conversation.remember(chat.conversationId);
        yield* chunks.partial(chat.reply.text(false));
      }
    } else {
      const body = await answer.text();
      const json = tryParseJson(body) as TboxSyncAnswer | undefined;
      if (!json) throw tboxResponseError(config.platform, answer.status, body);
      chat.applySync(json);
      await conversation.remember(chat.conversationId);
    }
  } finally {
    answer.close();
  }
  yield chunks.final(chat.reply.text(true));
}

async function startChat(config: TboxConfig, request: RunnerRequest, query: TboxQuery, conversationId: string | undefined): Promise<IdleResponse> {
  const body = {
    appId: config.appId,
    query: query.query,
    userId: request.bot.uuid,
    stream: request.stream,
    ...(conversationId ? { conversationId } : {}),
    ...(query.files.length ? { files: query.files } : {}),
  };
  const headers = { authorization: config.apiKey, 'content-type': 'application/json', accept: request.stream ? 'text/event-stream' : 'application/json' };
  const answer = await exchange(config.platform, `${config.baseUrl}/api/chat`, { method: 'POST', headers, body: JSON.stringify(body) }, config.timeoutMs);
  if (!answer.ok) throw tboxResponseError(config.platform, answer.status, await answer.text());
  return answer;
}
