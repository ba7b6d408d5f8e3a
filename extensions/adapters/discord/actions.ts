/**
 * Discord-only actions, reached through `call_platform_api({ action, params })`. Each answers a plain object (lists
 * are wrapped, e.g. `{ channels: [...] }`; actions without a body answer `{ ok: true }`).
 */
import { NotSupportedError, RpcError, RpcErrorCode } from '@langbot-ts/sdk';
import { ChannelType, Routes } from 'discord.js';
import type { DiscordBot } from './bot.js';
import { snowflakeArg, stringArg } from './calls.js';

type Json = Record<string, any>;
type Action = (bot: DiscordBot, params: Json) => Promise<Json>;

const CHANNEL_TYPES: Record<string, number> = {
  text: ChannelType.GuildText,
  voice: ChannelType.GuildVoice,
  category: ChannelType.GuildCategory,
  announcement: ChannelType.GuildAnnouncement,
  forum: ChannelType.GuildForum,
  stage: ChannelType.GuildStageVoice,
};

/** A reaction emoji as the REST path wants it: a Unicode emoji, or `name:id` for a custom one (`<:name:id>` accepted). */
export function emojiParam(params: Json): string {
  const raw = stringArg(params, 'emoji')!;
  const custom = raw.match(/^<?a?:?(\w+):(\d+)>?$/);
  return encodeURIComponent(custom ? `${custom[1]}:${custom[2]}` : raw);
}

const ok = { ok: true };

function optionalInt(params: Json, name: string, min: number, max: number): number | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) throw new RpcError(RpcErrorCode.ValidationFailed, `\`${name}\` must be a whole number from ${min} to ${max}.`);
  return value;
}

export const ACTIONS: Record<string, Action> = {
  get_channel: (b, p) => b.calls.get(Routes.channel(snowflakeArg(p, 'channel_id'))),
  get_guild: (b, p) => b.calls.get(Routes.guild(snowflakeArg(p, 'guild_id')), { query: new URLSearchParams({ with_counts: 'true' }) }),
  get_guild_channels: async (b, p) => ({ channels: await b.calls.get(Routes.guildChannels(snowflakeArg(p, 'guild_id'))) }),
  get_guild_roles: async (b, p) => ({ roles: await b.calls.get(Routes.guildRoles(snowflakeArg(p, 'guild_id'))) }),
  create_channel: (b, p) => {
    const type = p.type === undefined ? ChannelType.GuildText : typeof p.type === 'number' ? p.type : CHANNEL_TYPES[String(p.type)];
    if (type === undefined) throw new RpcError(RpcErrorCode.ValidationFailed, `\`type\` must be one of ${Object.keys(CHANNEL_TYPES).join(', ')} or a Discord channel type number.`);
    const body: Json = { name: stringArg(p, 'name'), type };
    const topic = stringArg(p, 'topic', { optional: true });
    if (topic) body.topic = topic;
    if (p.parent_id !== undefined) body.parent_id = snowflakeArg(p, 'parent_id');
    return b.calls.post(Routes.guildChannels(snowflakeArg(p, 'guild_id')), { body });
  },
  create_invite: (b, p) => {
    const body: Json = {};
    const maxAge = optionalInt(p, 'max_age', 0, 604800);
    const maxUses = optionalInt(p, 'max_uses', 0, 100);
    if (maxAge !== undefined) body.max_age = maxAge;
    if (maxUses !== undefined) body.max_uses = maxUses;
    if (p.unique === true) body.unique = true;
    return b.calls.post(Routes.channelInvites(snowflakeArg(p, 'channel_id')), { body });
  },
  pin_message: async (b, p) => (await b.calls.put(Routes.channelMessagesPin(snowflakeArg(p, 'channel_id'), snowflakeArg(p, 'message_id'))), ok),
  unpin_message: async (b, p) => (await b.calls.delete(Routes.channelMessagesPin(snowflakeArg(p, 'channel_id'), snowflakeArg(p, 'message_id'))), ok),
  add_reaction: async (b, p) => (await b.calls.put(Routes.channelMessageOwnReaction(snowflakeArg(p, 'channel_id'), snowflakeArg(p, 'message_id'), emojiParam(p))), ok),
  remove_reaction: async (b, p) => {
    const channel = snowflakeArg(p, 'channel_id');
    const message = snowflakeArg(p, 'message_id');
    const route = p.user_id === undefined ? Routes.channelMessageOwnReaction(channel, message, emojiParam(p)) : Routes.channelMessageUserReaction(channel, message, emojiParam(p), snowflakeArg(p, 'user_id'));
    await b.calls.delete(route);
    return ok;
  },
  typing: async (b, p) => (await b.calls.post(Routes.channelTyping(snowflakeArg(p, 'channel_id'))), ok),
};

export async function callPlatformApi(bot: DiscordBot, args: Json): Promise<Json> {
  const action = ACTIONS[String(args?.action ?? '')];
  if (!action || !Object.hasOwn(ACTIONS, String(args.action))) throw new NotSupportedError(`call_platform_api:${String(args?.action)}`);
  const params = args.params ?? {};
  if (typeof params !== 'object' || Array.isArray(params)) throw new RpcError(RpcErrorCode.ValidationFailed, '`params` must be an object.');
  return (await action(bot, params)) ?? ok;
}
