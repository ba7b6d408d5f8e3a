/**
 * Streaming by editing: the first chunk sends a message, later chunks edit it with the text so far. Edits are
 * throttled to about one a second per reply (a chunk inside that window is skipped, its text arrives with a
 * later one), the final chunk is always written, and unchanged text is never re-sent. Text past 2000 characters
 * continues in further messages. The state lives in `bot_message`, which the pipeline hands back on every chunk.
 */
import { RpcError, RpcErrorCode, type MessageChain, type MessageReceivedEvent } from '@langbot-ts/sdk';
import { Routes } from 'discord.js';
import type { DiscordBot } from './bot.js';
import { channelFor, postPayload, sendChain } from './messages.js';
import { allowedMentions, chainToDraft, splitText } from './outbound.js';

export const EDIT_INTERVAL_MS = 1000;

export interface StreamState {
  message_id?: string;
  channel_id?: string;
  message_ids?: string[];
  /** The text each message holds now. */
  texts?: string[];
  edited_at?: number;
}

export interface ChunkArgs {
  event: MessageReceivedEvent;
  bot_message?: Record<string, unknown>;
  message: MessageChain;
  quote_origin?: boolean;
  is_final?: boolean;
}

export async function replyChunk(bot: DiscordBot, args: ChunkArgs, now = Date.now): Promise<StreamState> {
  if (!args?.event || typeof args.event !== 'object') throw new RpcError(RpcErrorCode.ValidationFailed, '`event` must be the message event being answered.');
  const state = (args.bot_message ?? {}) as StreamState;
  const final = args.is_final === true;
  const draft = chainToDraft(Array.isArray(args.message) ? args.message : []);
  const parts = draft.text ? splitText(draft.text) : [];
  const ids = [...(state.message_ids ?? [])];
  const texts = [...(state.texts ?? [])];
  const channelId = state.channel_id ?? (await channelFor(bot, args.event.chat_type, args.event.chat_id));
  const mentions = allowedMentions(draft);

  if (ids.length > 0 && !final && now() - (state.edited_at ?? 0) < EDIT_INTERVAL_MS) return state;
  let wrote = false;
  for (let i = 0; i < parts.length; i++) {
    if (i < ids.length) {
      if (parts[i] === texts[i]) continue;
      await bot.calls.patch(Routes.channelMessage(channelId, ids[i]), { body: { content: parts[i], allowed_mentions: mentions } });
    } else {
      const body: Record<string, unknown> = { content: parts[i], allowed_mentions: mentions };
      if (i === 0 && args.quote_origin) body.message_reference = { message_id: String(args.event.message_id), fail_if_not_exists: false };
      ids.push(String((await postPayload(bot, channelId, { body, files: [] })).id));
    }
    texts[i] = parts[i];
    wrote = true;
  }
  // Media cannot be streamed; they follow the finished text as one more message.
  if (final && draft.media.length > 0) {
    await sendChain(bot, channelId, draft.media);
  }
  return { ...(ids[0] ? { message_id: ids[0] } : {}), channel_id: channelId, message_ids: ids, texts, edited_at: wrote ? now() : (state.edited_at ?? 0) };
}
