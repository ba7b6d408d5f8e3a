/**
 * The unified platform API on Discord. Groups are servers (guilds): `group_id` is a guild id (a channel id of a
 * server the bot is in is accepted too). Private chats are addressed by the user's id.
 * `get_file_url` passes attachment URLs through: Discord attachment URLs are already downloadable (an attachment
 * id seen in a received message is looked up; a URL is returned as is). `get_group_member_list` returns at most 10 000 members. Timeouts (`mute_member`) last at most
 * 28 days, Discord's limit; a duration of 0 or none means that maximum.
 */
import { RpcError, RpcErrorCode, type Group, type GroupMember, type MessageReceivedEvent, type MessageResult, type User } from '@langbot-ts/sdk';
import { Routes } from 'discord.js';
import type { DiscordBot } from './bot.js';
import { snowflakeArg } from './calls.js';
import { messageToChain, toGroup, toUser } from './inbound.js';
import { toGroupMember } from './members.js';
import { channelFor, editChain, sendChain } from './messages.js';

type Json = Record<string, any>;
type Args = Record<string, any>;

export const MAX_TIMEOUT_SECONDS = 28 * 24 * 3600;
const MEMBER_PAGE = 1000;
const MAX_MEMBERS = 10_000;

/** A guild id from `group_id`, which may also name a channel of a known server. */
export function guildIdOf(bot: DiscordBot, args: Args): string {
  const id = snowflakeArg(args, 'group_id');
  if (bot.state.guilds.has(id)) return id;
  const channel = bot.client.channels.cache.get(id) as { guildId?: string } | undefined;
  return channel?.guildId ?? id;
}

const result = (ids: string[]): MessageResult => ({ message_id: ids[0], raw: { message_ids: ids } });

export function platformApi(bot: (args: Args) => DiscordBot) {
  return {
    async send_message(args: Args): Promise<MessageResult> {
      const b = bot(args);
      return result(await sendChain(b, await channelFor(b, args.target_type, args.target_id), args.message));
    },

    async reply_message(args: Args): Promise<MessageResult> {
      const b = bot(args);
      const event = args.event as MessageReceivedEvent;
      if (!event || typeof event !== 'object') throw new RpcError(RpcErrorCode.ValidationFailed, '`event` must be the message event being answered.');
      const channel = await channelFor(b, event.chat_type, event.chat_id);
      return result(await sendChain(b, channel, args.message, args.quote_origin ? { replyTo: String(event.message_id) } : {}));
    },

    async edit_message(args: Args): Promise<void> {
      const b = bot(args);
      await editChain(b, await channelFor(b, args.chat_type, args.chat_id), snowflakeArg(args, 'message_id'), args.new_content);
    },

    async delete_message(args: Args): Promise<void> {
      const b = bot(args);
      const id = snowflakeArg(args, 'message_id');
      const channel = await channelFor(b, args.chat_type, args.chat_id);
      b.state.deletedByBot.set(id, true);
      try {
        await b.calls.delete(Routes.channelMessage(channel, id));
      } catch (error) {
        b.state.deletedByBot.delete(id);
        throw error;
      }
    },

    /** Discord bots have no forward call that keeps the content here, so the message is copied: text and attachments. */
    async forward_message(args: Args): Promise<MessageResult> {
      const b = bot(args);
      const from = await channelFor(b, args.from_chat_type, args.from_chat_id);
      const original = await b.calls.get(Routes.channelMessage(from, snowflakeArg(args, 'message_id')));
      const chain = messageToChain(original).filter((c) => c.type !== 'Source' && c.type !== 'Quote');
      return result(await sendChain(b, await channelFor(b, args.to_chat_type, args.to_chat_id), chain));
    },

    async get_group_info(args: Args): Promise<Group> {
      const b = bot(args);
      return toGroup(await b.calls.get(Routes.guild(guildIdOf(b, args)), { query: new URLSearchParams({ with_counts: 'true' }) }));
    },

    async get_group_member_list(args: Args): Promise<GroupMember[]> {
      const b = bot(args);
      const guildId = guildIdOf(b, args);
      const guild = await b.calls.get(Routes.guild(guildId));
      const members: Json[] = [];
      // Pages of 1000, ordered by user id; large servers stop at MAX_MEMBERS.
      for (let after = '0'; members.length < MAX_MEMBERS; ) {
        const page = (await b.calls.get(Routes.guildMembers(guildId), { query: new URLSearchParams({ limit: String(MEMBER_PAGE), after }) })) as Json[];
        members.push(...page);
        if (page.length < MEMBER_PAGE) break;
        after = String(page.at(-1)!.user.id);
      }
      return members.map((m) => toGroupMember(m, guild));
    },

    async get_group_member_info(args: Args): Promise<GroupMember> {
      const b = bot(args);
      const guildId = guildIdOf(b, args);
      const [guild, member] = await Promise.all([b.calls.get(Routes.guild(guildId)), b.calls.get(Routes.guildMember(guildId, snowflakeArg(args, 'user_id')))]);
      return toGroupMember(member, guild);
    },

    async get_user_info(args: Args): Promise<User> {
      const b = bot(args);
      return toUser(await b.calls.get(Routes.user(snowflakeArg(args, 'user_id'))));
    },

    async get_file_url(args: Args): Promise<string> {
      const b = bot(args);
      const id = args?.file_id;
      if (typeof id !== 'string' || !id) throw new RpcError(RpcErrorCode.ValidationFailed, '`file_id` must be an attachment id or URL.');
      if (/^https?:\/\//.test(id)) return id;
      const url = b.state.attachments.get(id);
      if (!url) throw new RpcError(RpcErrorCode.NotFound, `No attachment '${id}' was seen in a received message; pass the attachment's url instead.`);
      return url;
    },

    async mute_member(args: Args): Promise<void> {
      const b = bot(args);
      const seconds = Number(args.duration ?? 0);
      if (!Number.isInteger(seconds) || seconds < 0) throw new RpcError(RpcErrorCode.ValidationFailed, '`duration` must be a whole number of seconds.');
      const until = new Date(Date.now() + Math.min(seconds || MAX_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS) * 1000).toISOString();
      await b.calls.patch(Routes.guildMember(guildIdOf(b, args), snowflakeArg(args, 'user_id')), { body: { communication_disabled_until: until } });
    },

    async unmute_member(args: Args): Promise<void> {
      const b = bot(args);
      await b.calls.patch(Routes.guildMember(guildIdOf(b, args), snowflakeArg(args, 'user_id')), { body: { communication_disabled_until: null } });
    },

    async kick_member(args: Args): Promise<void> {
      const b = bot(args);
      await b.calls.delete(Routes.guildMember(guildIdOf(b, args), snowflakeArg(args, 'user_id')));
    },

    async leave_group(args: Args): Promise<void> {
      const b = bot(args);
      await b.calls.delete(Routes.userGuild(guildIdOf(b, args)));
    },
  };
}
