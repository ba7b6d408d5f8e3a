/** Sending and editing messages: where a chat lives (DM channel of a user, or a server channel) and the REST calls. */
import { RpcError, RpcErrorCode, type MessageChain } from '@langbot-ts/sdk';
import { Routes } from 'discord.js';
import type { DiscordBot } from './bot.js';
import { snowflakeArg } from './calls.js';
import { readAllMedia } from './media.js';
import { buildPayloads, chainToDraft, MAX_CONTENT, type MessagePayload } from './outbound.js';

type Json = Record<string, any>;

/** The channel of a chat: a group chat's id is its channel; a private chat's id is the user, whose DM channel is opened on demand. */
export async function channelFor(bot: DiscordBot, chat_type: unknown, chat_id: unknown): Promise<string> {
  const id = snowflakeArg({ chat_id }, 'chat_id');
  if (chat_type === 'group') return id;
  if (chat_type !== 'private') throw new RpcError(RpcErrorCode.ValidationFailed, "`chat_type` must be 'private' or 'group'.");
  const known = bot.state.dmChannelOf.get(id);
  if (known) return known;
  const channel = await bot.calls.post(Routes.userChannels(), { body: { recipient_id: id } });
  bot.state.rememberDm(id, String(channel.id));
  return String(channel.id);
}

export async function postPayload(bot: DiscordBot, channelId: string, payload: MessagePayload): Promise<Json> {
  return bot.calls.post(Routes.channelMessages(channelId), {
    body: payload.body,
    ...(payload.files.length ? { files: payload.files.map((f) => ({ name: f.name, data: f.data, ...(f.contentType ? { contentType: f.contentType } : {}) })) } : {}),
  });
}

/** Sends a chain as one or more messages (long text is split); returns the ids in order. */
export async function sendChain(bot: DiscordBot, channelId: string, chain: MessageChain, options: { replyTo?: string } = {}): Promise<string[]> {
  if (!Array.isArray(chain)) throw new RpcError(RpcErrorCode.ValidationFailed, '`message` must be a message chain.');
  const draft = chainToDraft(chain);
  const payloads = buildPayloads(draft, await readAllMedia(draft.media), options);
  if (payloads.length === 0) throw new RpcError(RpcErrorCode.ValidationFailed, 'The message is empty: Discord cannot send a message without text, attachments or embeds.');
  const ids: string[] = [];
  for (const payload of payloads) ids.push(String((await postPayload(bot, channelId, payload)).id));
  return ids;
}

/** Replaces a message's text (and, when the chain has media, its attachments). */
export async function editChain(bot: DiscordBot, channelId: string, messageId: string, chain: MessageChain): Promise<Json> {
  if (!Array.isArray(chain)) throw new RpcError(RpcErrorCode.ValidationFailed, '`new_content` must be a message chain.');
  const draft = chainToDraft(chain);
  if (draft.text.length > MAX_CONTENT) throw new RpcError(RpcErrorCode.ValidationFailed, `An edited Discord message holds at most ${MAX_CONTENT} characters; this one has ${draft.text.length}.`);
  const files = await readAllMedia(draft.media);
  const body: Json = { content: draft.text, allowed_mentions: { parse: draft.everyone ? ['everyone'] : [], users: draft.mentionUsers.slice(0, 100) } };
  if (draft.embeds.length) body.embeds = draft.embeds.slice(0, 10);
  // New media replace the old attachments: `attachments` lists what the message keeps, new uploads by index.
  if (files.length) body.attachments = files.map((f, i) => ({ id: i, filename: f.name }));
  return bot.calls.patch(Routes.channelMessage(channelId, messageId), { body, ...(files.length ? { files: files.map((f) => ({ name: f.name, data: f.data, ...(f.contentType ? { contentType: f.contentType } : {}) })) } : {}) });
}
