/**
 * The unified platform API over OneBot actions. Sending always uses the array message format; Forward components
 * go out through `send_group_forward_msg` / `send_private_forward_msg` and, where the implementation lacks those
 * actions (retcode 1404), as flattened text.
 */
import {
  RpcError,
  RpcErrorCode,
  type ChatType,
  type Group,
  type GroupMember,
  type MessageChain,
  type MessageReceivedEvent,
  type MessageResult,
  type PlatformApiArgs,
  type PlatformApiParams,
  type User,
} from '@langbot-ts/sdk';
import { OneBotActionError } from './actions.js';
import type { OneBotBot } from './bot.js';
import { convertEvent } from './events.js';
import { numericId, optionalString, toId } from './ids.js';
import { chainToSegments, flattenForward, forwardNodes, splitForwards } from './outbound.js';
import type { Segment } from './segments.js';

export const ADAPTER_NAME = 'aiocqhttp';

/** QQ's longest mute is 30 days; the unified "permanent" mute becomes that. */
const MAX_MUTE_SECONDS = 30 * 24 * 3600;

/** The platform-specific actions `call_platform_api` passes through (the manifest lists the same). */
export const PLATFORM_ACTIONS = new Set([
  'get_login_info',
  'get_status',
  'get_version_info',
  'get_group_honor_info',
  'set_group_card',
  'set_group_special_title',
  'set_group_admin',
  'set_group_whole_ban',
  'set_group_add_request',
  'send_group_forward_msg',
  'send_private_forward_msg',
  'get_forward_msg',
  'get_record',
  'get_image',
  'can_send_image',
  'can_send_record',
]);

const invalid = (message: string) => new RpcError(RpcErrorCode.ValidationFailed, message);
const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.map(record) : []);

function chatType(value: unknown, name: string): ChatType {
  if (value !== 'private' && value !== 'group') throw invalid(`${name} must be 'private' or 'group'.`);
  return value;
}

function messageOf(value: unknown): MessageChain {
  if (!Array.isArray(value)) throw invalid('message must be a message chain (an array of components).');
  return value as MessageChain;
}

/** Sends segments to a chat; returns the new message id. */
async function sendSegments(bot: OneBotBot, type: ChatType, target: number, segments: Segment[]): Promise<MessageResult> {
  const data = record(type === 'group' ? await bot.call('send_group_msg', { group_id: target, message: segments }) : await bot.call('send_private_msg', { user_id: target, message: segments }));
  return data.message_id === undefined ? { raw: data } : { message_id: toId(data.message_id), raw: data };
}

export async function sendChain(bot: OneBotBot, type: ChatType, targetId: unknown, chain: MessageChain): Promise<MessageResult> {
  const target = numericId(targetId, type === 'group' ? 'target_id (a group number)' : 'target_id (a QQ number)');
  const { rest, forwards } = splitForwards(chain);
  const segments = chainToSegments(rest);
  let result: MessageResult | undefined;
  if (segments.some((s) => s.type !== 'reply')) result = await sendSegments(bot, type, target, segments);
  for (const forward of forwards) {
    const sender = { id: bot.selfId ?? '10000', name: bot.nickname ?? 'LangBot' };
    const action = type === 'group' ? 'send_group_forward_msg' : 'send_private_forward_msg';
    try {
      const data = record(await bot.call(action, { ...(type === 'group' ? { group_id: target } : { user_id: target }), messages: forwardNodes(forward, sender) }));
      result ??= data.message_id === undefined ? { raw: data } : { message_id: toId(data.message_id), raw: data };
    } catch (error) {
      if (!(error instanceof OneBotActionError && error.retcode === 1404)) throw error;
      result ??= await sendSegments(bot, type, target, [{ type: 'text', data: { text: flattenForward(forward) } }]);
    }
  }
  if (!result) throw invalid('The message has nothing the platform can show.');
  return result;
}

function toUser(data: Record<string, unknown>): User {
  const nickname = optionalString(data.nickname ?? data.nick);
  const remark = optionalString(data.remark);
  return { id: toId(data.user_id), ...(nickname ? { nickname } : {}), ...(remark ? { remark } : {}) };
}

function toGroup(data: Record<string, unknown>): Group {
  const name = optionalString(data.group_name);
  const count = Number(data.member_count);
  return { id: toId(data.group_id), ...(name ? { name } : {}), ...(Number.isInteger(count) && count >= 0 ? { member_count: count } : {}) };
}

function toMember(data: Record<string, unknown>, groupId: unknown): GroupMember {
  const role = data.role === 'owner' || data.role === 'admin' ? data.role : 'member';
  const card = optionalString(data.card);
  const title = optionalString(data.title);
  const joined = Number(data.join_time);
  return {
    user: toUser(data),
    group_id: toId(data.group_id ?? groupId),
    role,
    ...(card ? { display_name: card } : {}),
    ...(title ? { title } : {}),
    ...(Number.isFinite(joined) && joined > 0 ? { joined_at: joined } : {}),
  };
}

type Args<K extends keyof typeof PlatformApiParams> = PlatformApiArgs<K>;

export function platformApi(bot: (uuid: unknown) => OneBotBot) {
  return {
    async send_message(args: Args<'send_message'> & { bot_uuid: string }): Promise<MessageResult> {
      return sendChain(bot(args.bot_uuid), chatType(args.target_type, 'target_type'), args.target_id, messageOf(args.message));
    },

    async reply_message(args: Args<'reply_message'> & { bot_uuid: string }): Promise<MessageResult> {
      const event = record(args.event) as unknown as MessageReceivedEvent;
      const chain = messageOf(args.message);
      const quoted: MessageChain = args.quote_origin && event.message_id !== undefined ? [{ type: 'Quote', id: event.message_id, origin: [] }, ...chain] : chain;
      return sendChain(bot(args.bot_uuid), chatType(event.chat_type, 'event.chat_type'), event.chat_id, quoted);
    },

    async delete_message(args: Args<'delete_message'> & { bot_uuid: string }): Promise<void> {
      await bot(args.bot_uuid).call('delete_msg', { message_id: numericId(args.message_id, 'message_id') });
    },

    async forward_message(args: Args<'forward_message'> & { bot_uuid: string }): Promise<MessageResult> {
      const b = bot(args.bot_uuid);
      const original = record(await b.call('get_msg', { message_id: numericId(args.message_id, 'message_id') }));
      // The original segments are sent back as they are: nothing is lost converting them.
      const segments = (Array.isArray(original.message) ? original.message : typeof original.message === 'string' ? [{ type: 'text', data: { text: String(original.raw_message ?? original.message) } }] : []) as Segment[];
      const content = segments.filter((s) => s?.type !== 'reply');
      if (content.length === 0) throw invalid(`Message ${String(args.message_id)} has no content to forward.`);
      const type = chatType(args.to_chat_type, 'to_chat_type');
      return sendSegments(b, type, numericId(args.to_chat_id, 'to_chat_id'), content);
    },

    async get_message(args: Args<'get_message'> & { bot_uuid: string }): Promise<MessageReceivedEvent> {
      const b = bot(args.bot_uuid);
      const data = record(await b.call('get_msg', { message_id: numericId(args.message_id, 'message_id') }));
      const type = data.message_type === 'group' || data.message_type === 'private' ? data.message_type : chatType(args.chat_type, 'chat_type');
      const sender = record(data.sender);
      const raw = {
        ...data,
        post_type: 'message',
        message_type: type,
        message_id: data.message_id ?? args.message_id,
        user_id: data.user_id ?? sender.user_id,
        ...(type === 'group' ? { group_id: data.group_id ?? args.chat_id } : {}),
      };
      // Converted without the "own message" filter: fetching the bot's own message is legitimate.
      const event = await convertEvent(raw, { resolver: b.resolver, selfId: '' });
      if (!event || event.type !== 'message.received') throw new RpcError(RpcErrorCode.NotFound, `Message ${String(args.message_id)} could not be read.`);
      return { ...event, timestamp: event.timestamp ?? Date.now() / 1000, bot_uuid: args.bot_uuid, adapter_name: ADAPTER_NAME } as MessageReceivedEvent;
    },

    async get_group_info(args: Args<'get_group_info'> & { bot_uuid: string }): Promise<Group> {
      return toGroup({ group_id: args.group_id, ...record(await bot(args.bot_uuid).call('get_group_info', { group_id: numericId(args.group_id, 'group_id') })) });
    },

    async get_group_list(args: { bot_uuid: string }): Promise<Group[]> {
      return list(await bot(args.bot_uuid).call('get_group_list', {})).map(toGroup);
    },

    async get_group_member_list(args: Args<'get_group_member_list'> & { bot_uuid: string }): Promise<GroupMember[]> {
      return list(await bot(args.bot_uuid).call('get_group_member_list', { group_id: numericId(args.group_id, 'group_id') })).map((m) => toMember(m, args.group_id));
    },

    async get_group_member_info(args: Args<'get_group_member_info'> & { bot_uuid: string }): Promise<GroupMember> {
      const data = record(await bot(args.bot_uuid).call('get_group_member_info', { group_id: numericId(args.group_id, 'group_id'), user_id: numericId(args.user_id, 'user_id') }));
      return toMember({ user_id: args.user_id, ...data }, args.group_id);
    },

    async set_group_name(args: Args<'set_group_name'> & { bot_uuid: string }): Promise<void> {
      if (typeof args.name !== 'string' || !args.name) throw invalid('name must be a non-empty string.');
      await bot(args.bot_uuid).call('set_group_name', { group_id: numericId(args.group_id, 'group_id'), group_name: args.name });
    },

    async mute_member(args: Args<'mute_member'> & { bot_uuid: string }): Promise<void> {
      const duration = args.duration === undefined || args.duration === 0 ? MAX_MUTE_SECONDS : Number(args.duration);
      if (!Number.isInteger(duration) || duration < 0) throw invalid('duration must be a whole number of seconds.');
      await bot(args.bot_uuid).call('set_group_ban', { group_id: numericId(args.group_id, 'group_id'), user_id: numericId(args.user_id, 'user_id'), duration: Math.min(duration, MAX_MUTE_SECONDS) });
    },

    async unmute_member(args: Args<'unmute_member'> & { bot_uuid: string }): Promise<void> {
      await bot(args.bot_uuid).call('set_group_ban', { group_id: numericId(args.group_id, 'group_id'), user_id: numericId(args.user_id, 'user_id'), duration: 0 });
    },

    async kick_member(args: Args<'kick_member'> & { bot_uuid: string }): Promise<void> {
      await bot(args.bot_uuid).call('set_group_kick', { group_id: numericId(args.group_id, 'group_id'), user_id: numericId(args.user_id, 'user_id'), reject_add_request: false });
    },

    async leave_group(args: Args<'leave_group'> & { bot_uuid: string }): Promise<void> {
      await bot(args.bot_uuid).call('set_group_leave', { group_id: numericId(args.group_id, 'group_id') });
    },

    async get_user_info(args: Args<'get_user_info'> & { bot_uuid: string }): Promise<User> {
      return toUser({ user_id: args.user_id, ...record(await bot(args.bot_uuid).call('get_stranger_info', { user_id: numericId(args.user_id, 'user_id') })) });
    },

    async get_friend_list(args: { bot_uuid: string }): Promise<User[]> {
      return list(await bot(args.bot_uuid).call('get_friend_list', {})).map(toUser);
    },

    async approve_friend_request(args: Args<'approve_friend_request'> & { bot_uuid: string }): Promise<void> {
      const flag = optionalString(args.request_id);
      if (!flag) throw invalid('request_id must be the flag of the friend request.');
      await bot(args.bot_uuid).call('set_friend_add_request', { flag, approve: args.approve !== false, ...(args.remark ? { remark: args.remark } : {}) });
    },

    async approve_group_invite(args: Args<'approve_group_invite'> & { bot_uuid: string }): Promise<void> {
      const flag = optionalString(args.request_id);
      if (!flag) throw invalid('request_id must be the flag of the group invitation.');
      await bot(args.bot_uuid).call('set_group_add_request', { flag, sub_type: 'invite', type: 'invite', approve: args.approve !== false });
    },

    async call_platform_api(args: Args<'call_platform_api'> & { bot_uuid: string }): Promise<Record<string, unknown>> {
      const action = String(args.action ?? '');
      if (!PLATFORM_ACTIONS.has(action)) throw new RpcError(RpcErrorCode.NotSupported, `The OneBot adapter declares no platform API '${action}'.`, { action });
      const params = args.params ?? {};
      if (typeof params !== 'object' || Array.isArray(params)) throw invalid('params must be an object.');
      const data = await bot(args.bot_uuid).call(action, params);
      // Objects come back as the implementation sent them; lists and plain values are wrapped as { data }.
      return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : { data };
    },
  };
}
