/** The unified platform API and the Telegram-only actions of `call_platform_api`, over grammY's Api. */
import { RpcError, RpcErrorCode, type Group, type GroupMember, type MemberRole, type MessageChain, type MessageReceivedEvent, type User } from '@langbot-ts/sdk';
import type { Api } from 'grammy';
import { parseChat, parseInteger, type ChatRef } from './ids.js';
import { fullName, toUser } from './inbound.js';
import { planChain } from './outbound.js';
import type { Sender } from './send.js';
import type { Streamer } from './stream.js';
import type { TgChat, TgChatMember } from './wire.js';

export interface ApiContext {
  api: Api;
  sender: Sender;
  streamer: Streamer;
  /** `<api_base_url>/file/bot<token>/` */
  fileBaseUrl: string;
}

type Args = Record<string, unknown>;

const invalid = (message: string) => new RpcError(RpcErrorCode.ValidationFailed, message);

function chain(value: unknown, field: string): MessageChain {
  if (!Array.isArray(value)) throw invalid(`\`${field}\` must be a message chain (an array of components).`);
  return value as MessageChain;
}

function requireString(args: Args, field: string): string {
  const value = args[field];
  if (typeof value !== 'string' || !value) throw invalid(`\`${field}\` must be a non-empty string.`);
  return value;
}

/** Where a received message was, and which message it was. */
function origin(event: unknown): { target: ChatRef; message_id: number } {
  const e = event as Partial<MessageReceivedEvent> | undefined;
  if (!e || typeof e !== 'object') throw invalid('`event` must be the message.received event being answered.');
  return { target: parseChat(e.chat_id, 'event.chat_id'), message_id: parseInteger(e.message_id, 'event.message_id') };
}

const ROLES: Record<string, MemberRole> = { creator: 'owner', administrator: 'admin' };

export function toMember(member: TgChatMember, group_id: number | string): GroupMember {
  const user = toUser(member.user);
  return {
    user,
    group_id,
    role: ROLES[member.status] ?? 'member',
    ...(user.nickname ? { display_name: user.nickname } : {}),
    ...(typeof member.custom_title === 'string' ? { title: member.custom_title } : {}),
  };
}

/** Every sending permission Telegram has (the split media permissions replaced `can_send_media_messages`). */
const SEND_PERMISSIONS = [
  'can_send_messages',
  'can_send_audios',
  'can_send_documents',
  'can_send_photos',
  'can_send_videos',
  'can_send_video_notes',
  'can_send_voice_notes',
  'can_send_polls',
  'can_send_other_messages',
  'can_add_web_page_previews',
] as const;

/** Telegram treats restrictions shorter than 30 s (or longer than 366 days) as forever. */
const MIN_RESTRICTION_SECONDS = 30;

export function commonApis(ctx: ApiContext) {
  const { api, sender } = ctx;
  return {
    async send_message(args: Args) {
      const target = parseChat(args.target_id, 'target_id');
      const sent = await sender.send(target, chain(args.message, 'message'));
      return { ...(sent.message_id !== undefined ? { message_id: sent.message_id } : {}), raw: { message_ids: sent.message_ids } };
    },

    async reply_message(args: Args) {
      const { target, message_id } = origin(args.event);
      const sent = await sender.send(target, chain(args.message, 'message'), args.quote_origin === true ? message_id : undefined);
      return { ...(sent.message_id !== undefined ? { message_id: sent.message_id } : {}), raw: { message_ids: sent.message_ids } };
    },

    async reply_message_chunk(args: Args) {
      const { target, message_id } = origin(args.event);
      const previous = (args.bot_message as { message_id?: unknown } | undefined)?.message_id;
      const id = previous === undefined || previous === null ? undefined : parseInteger(previous, 'bot_message.message_id');
      return ctx.streamer.chunk(target, id, chain(args.message, 'message'), args.quote_origin === true ? message_id : undefined, args.is_final === true);
    },

    async edit_message(args: Args) {
      const target = parseChat(args.chat_id);
      const plan = planChain(chain(args.new_content, 'new_content'));
      if (plan.ops.some((op) => op.kind !== 'text')) throw invalid('edit_message changes only the text (or caption) of a Telegram message; the new content may not contain media.');
      const pieces = plan.ops.flatMap((op) => (op.kind === 'text' ? op.pieces : []));
      if (pieces.length === 0) throw invalid('`new_content` has no text; Telegram cannot edit a message to be empty.');
      await sender.editText(target, parseInteger(args.message_id, 'message_id'), pieces);
    },

    async delete_message(args: Args) {
      await api.deleteMessage(parseChat(args.chat_id).chat_id, parseInteger(args.message_id, 'message_id'));
    },

    async forward_message(args: Args) {
      const to = parseChat(args.to_chat_id, 'to_chat_id');
      const from = parseChat(args.from_chat_id, 'from_chat_id');
      const sent = await api.forwardMessage(to.chat_id, from.chat_id, parseInteger(args.message_id, 'message_id'), to.message_thread_id !== undefined ? { message_thread_id: to.message_thread_id } : {});
      return { message_id: sent.message_id };
    },

    async get_group_info(args: Args): Promise<Group> {
      const { chat_id } = parseChat(args.group_id, 'group_id');
      const [chat, count] = await Promise.all([api.getChat(chat_id) as Promise<unknown> as Promise<TgChat>, api.getChatMemberCount(chat_id)]);
      return { id: chat.id, ...(chat.title ? { name: chat.title } : {}), ...(chat.description ? { description: chat.description } : {}), member_count: count };
    },

    // The Bot API cannot list the members of a group; the administrators are the only members it names.
    async get_group_member_list(args: Args): Promise<GroupMember[]> {
      const { chat_id } = parseChat(args.group_id, 'group_id');
      const admins = (await api.getChatAdministrators(chat_id)) as unknown as TgChatMember[];
      return admins.map((m) => toMember(m, chat_id));
    },

    async get_group_member_info(args: Args): Promise<GroupMember> {
      const { chat_id } = parseChat(args.group_id, 'group_id');
      const member = (await api.getChatMember(chat_id, parseInteger(args.user_id, 'user_id'))) as unknown as TgChatMember;
      return toMember(member, chat_id);
    },

    async set_group_name(args: Args) {
      const name = requireString(args, 'name');
      await api.setChatTitle(parseChat(args.group_id, 'group_id').chat_id, name);
    },

    async mute_member(args: Args) {
      const { chat_id } = parseChat(args.group_id, 'group_id');
      const duration = args.duration === undefined ? 0 : parseInteger(args.duration, 'duration');
      const permissions = Object.fromEntries(SEND_PERMISSIONS.map((p) => [p, false]));
      const until_date = duration > 0 ? Math.floor(Date.now() / 1000) + Math.max(duration, MIN_RESTRICTION_SECONDS) : 0;
      await api.restrictChatMember(chat_id, parseInteger(args.user_id, 'user_id'), permissions, { use_independent_chat_permissions: true, until_date });
    },

    // Lifting a mute gives the member the group's default permissions back rather than granting everything.
    async unmute_member(args: Args) {
      const { chat_id } = parseChat(args.group_id, 'group_id');
      const chat = (await api.getChat(chat_id)) as unknown as TgChat;
      const defaults = chat.permissions && typeof chat.permissions === 'object' ? chat.permissions : {};
      const permissions = Object.fromEntries(SEND_PERMISSIONS.map((p) => [p, defaults[p] ?? true]));
      await api.restrictChatMember(chat_id, parseInteger(args.user_id, 'user_id'), permissions, { use_independent_chat_permissions: true });
    },

    // Telegram's ban keeps the user out; kicking is a ban lifted at once, so the user may join again.
    async kick_member(args: Args) {
      const { chat_id } = parseChat(args.group_id, 'group_id');
      const user = parseInteger(args.user_id, 'user_id');
      await api.banChatMember(chat_id, user);
      await api.unbanChatMember(chat_id, user, { only_if_banned: true });
    },

    async leave_group(args: Args) {
      await api.leaveChat(parseChat(args.group_id, 'group_id').chat_id);
    },

    // getChat works for users who have talked to the bot.
    async get_user_info(args: Args): Promise<User> {
      const chat = (await api.getChat(parseInteger(args.user_id, 'user_id'))) as unknown as TgChat;
      const name = fullName(chat);
      return { id: chat.id, ...(name ? { nickname: name } : {}), ...(chat.username ? { username: chat.username } : {}) };
    },

    // The URL contains the bot token: it is for the caller to download with, never to log or show.
    async get_file_url(args: Args): Promise<string> {
      const file = await api.getFile(requireString(args, 'file_id'));
      if (!file.file_path) throw new Error('Telegram has no download path for this file (files over 20 MB cannot be downloaded by bots).');
      return ctx.fileBaseUrl + file.file_path;
    },
  };
}

type Action = (api: Api, params: Args) => Promise<unknown>;
const chatOf = (params: Args) => parseChat(params.chat_id).chat_id;
const optional = (params: Args, fields: string[]) => Object.fromEntries(fields.filter((f) => params[f] !== undefined).map((f) => [f, params[f]]));

/** The actions of `call_platform_api`; names must equal the manifest's `platformSpecificApis`. */
export const PLATFORM_ACTIONS: Record<string, Action> = {
  pin_message: (api, p) => api.pinChatMessage(chatOf(p), parseInteger(p.message_id, 'message_id'), optional(p, ['disable_notification'])),
  unpin_message: (api, p) => api.unpinChatMessage(chatOf(p), p.message_id === undefined ? undefined : parseInteger(p.message_id, 'message_id')),
  unpin_all_messages: (api, p) => api.unpinAllChatMessages(chatOf(p)),
  get_chat_administrators: (api, p) => api.getChatAdministrators(chatOf(p)),
  set_chat_title: (api, p) => api.setChatTitle(chatOf(p), requireString(p, 'title')),
  set_chat_description: (api, p) => api.setChatDescription(chatOf(p), typeof p.description === 'string' ? p.description : ''),
  get_chat_member_count: (api, p) => api.getChatMemberCount(chatOf(p)),
  send_chat_action: (api, p) => {
    const { chat_id, message_thread_id } = parseChat(p.chat_id);
    return api.sendChatAction(chat_id, (typeof p.action === 'string' ? p.action : 'typing') as 'typing', message_thread_id !== undefined ? { message_thread_id } : {});
  },
  create_chat_invite_link: (api, p) => api.createChatInviteLink(chatOf(p), optional(p, ['name', 'expire_date', 'member_limit', 'creates_join_request'])),
  answer_callback_query: (api, p) => api.answerCallbackQuery(requireString(p, 'callback_query_id'), optional(p, ['text', 'show_alert', 'url', 'cache_time'])),
  approve_chat_join_request: (api, p) => api.approveChatJoinRequest(chatOf(p), parseInteger(p.user_id, 'user_id')),
  decline_chat_join_request: (api, p) => api.declineChatJoinRequest(chatOf(p), parseInteger(p.user_id, 'user_id')),
};

export async function callPlatformApi(api: Api, action: unknown, params: unknown): Promise<Record<string, unknown>> {
  const run = typeof action === 'string' && Object.hasOwn(PLATFORM_ACTIONS, action) ? PLATFORM_ACTIONS[action] : undefined;
  if (!run) throw new RpcError(RpcErrorCode.NotSupported, `The Telegram adapter has no platform API '${String(action)}'.`, { api: 'call_platform_api', action });
  const p = params && typeof params === 'object' && !Array.isArray(params) ? (params as Args) : {};
  // Bot API results are plain JSON already; JSON round-tripping drops anything that is not.
  return { result: JSON.parse(JSON.stringify((await run(api, p)) ?? null)) };
}
