/**
 * The `tbox-app-api` runner: the user's message goes to an agent on Ant Group's Tbox (百宝箱) with
 * `POST {base-url}/api/chat` (`userId` is the bot's uuid), images uploaded first, continuing the Tbox
 * conversation kept for this LangBot conversation; streamed when the adapter can show partial replies.
 */
import type { ExtensionContext, RunnerMessage, RunnerRequest } from '@langbot-ts/sdk';
import { TboxChat, type TboxSyncAnswer } from './chat-events.js';
import { tboxConfig, type TboxConfig } from './config.js';
import { exchange, parseJson, type Exchange } from './http.js';
import { RemoteIds } from './remote-ids.js';
import { readSse } from './sse.js';
import { tboxResponseError } from './tbox-errors.js';
import { tboxQuery, type TboxQuery } from './user-query.js';

export async function* runTbox(ctx: ExtensionContext, request: RunnerRequest): AsyncGenerator<RunnerMessage> {
  const config = tboxConfig(request.config ?? {});
  const conversations = new RemoteIds(ctx, `tbox:${config.appId}`);
  let saved = await conversations.get(request.conversation_id);
  const query = await tboxQuery(config, request);
  if (query.skipped > 0) ctx.log.warn(`Tbox takes images only: ${query.skipped} other attachment(s) of this message were not sent.`, { query_id: request.query_id });

  const answer = await startChat(config, request, query, saved);
  const chat = new TboxChat(config.platform);
  let shown = '';
  try {
    if (answer.contentType.includes('text/event-stream')) {
      for await (const event of readSse(answer.body)) {
        chat.apply(event);
        if (chat.conversationId && chat.conversationId !== saved) {
          saved = chat.conversationId;
          await conversations.set(request.conversation_id, saved);
        }
        const text = chat.reply.text(false);
        if (request.stream && text !== shown) {
          shown = text;
          yield { role: 'assistant', content: text, streaming: true, is_final: false };
        }
      }
    } else {
      const body = await answer.text();
      const json = parseJson(body) as TboxSyncAnswer | undefined;
      if (!json) throw tboxResponseError(config.platform, answer.status, body);
      chat.applySync(json);
      if (chat.conversationId && chat.conversationId !== saved) await conversations.set(request.conversation_id, chat.conversationId);
    }
  } finally {
    answer.close();
  }
  const content = chat.reply.text(true);
  yield request.stream ? { role: 'assistant', content, streaming: true, is_final: true } : { role: 'assistant', content };
}

async function startChat(config: TboxConfig, request: RunnerRequest, query: TboxQuery, conversationId: string | undefined): Promise<Exchange> {
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
