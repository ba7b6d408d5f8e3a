/**
 * OneBot v11 events → unified events. Notices and requests with a unified meaning map to it; everything else
 * (group admin changes, file uploads, pokes, honors, join requests by others, lifecycle, unknown types) becomes
 * `platform.specific` with `action` = the OneBot type path (e.g. `notice.notify.poke`, `request.group.add`) and the
 * raw event as `data`. Heartbeats and the bot's own messages yield nothing.
 */
import type { EventDraft, Group, User } from '@langbot-ts/sdk';
import { segmentsToChain, type InboundResolver } from './inbound.js';
import { optionalString, toId } from './ids.js';

export type RawEvent = Record<string, unknown>;

export interface ConvertContext {
  /** The bot's own QQ number, once known. */
  selfId?: string;
  resolver?: InboundResolver;
}

/** Unified events, or undefined for input that yields none (heartbeats, own messages). */
export async function convertEvent(raw: RawEvent, context: ConvertContext = {}): Promise<EventDraft | undefined> {
  const timestamp = typeof raw.time === 'number' && raw.time > 0 ? raw.time : undefined;
  const draft = await convert(raw, { ...context, selfId: context.selfId ?? optionalString(raw.self_id) });
  if (!draft) return undefined;
  return { ...draft, ...(timestamp ? { timestamp } : {}), source_platform_object: raw } as EventDraft;
}

const user = (id: unknown, nickname?: unknown): User => {
  const name = optionalString(nickname);
  return name ? { id: toId(id), nickname: name } : { id: toId(id) };
};
const group = (id: unknown, name?: unknown): Group => {
  const text = optionalString(name);
  return text ? { id: toId(id), name: text } : { id: toId(id) };
};
const operator = (raw: RawEvent) => (raw.operator_id === undefined || raw.operator_id === null || raw.operator_id === 0 ? {} : { operator: user(raw.operator_id) });
const specific = (action: string, raw: RawEvent): EventDraft => ({ type: 'platform.specific', action, data: raw });
const typePath = (raw: RawEvent, ...keys: string[]) => [raw.post_type, ...keys.map((k) => raw[k])].filter((p) => typeof p === 'string' && p).join('.');

async function convert(raw: RawEvent, context: ConvertContext): Promise<EventDraft | undefined> {
  switch (raw.post_type) {
    case 'message':
      return message(raw, context);
    case 'message_sent':
      // The bot's own messages, reported by some implementations; answering them would loop.
      return undefined;
    case 'notice':
      return notice(raw, context);
    case 'request':
      return request(raw);
    case 'meta_event':
      return raw.meta_event_type === 'heartbeat' ? undefined : specific(typePath(raw, 'meta_event_type', 'sub_type'), raw);
    default:
      return specific(typeof raw.post_type === 'string' && raw.post_type ? raw.post_type : 'unknown', raw);
  }
}

async function message(raw: RawEvent, context: ConvertContext): Promise<EventDraft | undefined> {
  const isSelf = context.selfId !== undefined && String(raw.user_id) === context.selfId;
  if (isSelf) return undefined;
  const complete = raw.message_id !== undefined && raw.user_id !== undefined && (raw.message_type === 'private' || (raw.message_type === 'group' && raw.group_id !== undefined));
  if (!complete) {
    return specific(typePath(raw, 'message_type', 'sub_type') || 'message', raw);
  }
  const chain = await segmentsToChain(raw.message, context.resolver);
  const time = typeof raw.time === 'number' ? raw.time : Date.now() / 1000;
  const message_chain = [{ type: 'Source' as const, id: toId(raw.message_id), time }, ...chain];
  const sender = (raw.sender ?? {}) as RawEvent;
  const anonymous = raw.anonymous as RawEvent | null | undefined;
  if (raw.message_type === 'private') {
    return { type: 'message.received', message_id: toId(raw.message_id), message_chain, sender: user(raw.user_id, sender.nickname), chat_type: 'private', chat_id: toId(raw.user_id) };
  }
  const name = anonymous?.name ?? (optionalString(sender.card) || sender.nickname);
  return {
    type: 'message.received',
    message_id: toId(raw.message_id),
    message_chain,
    sender: user(raw.user_id, name),
    chat_type: 'group',
    chat_id: toId(raw.group_id),
    group: group(raw.group_id, raw.group_name),
  };
}

function notice(raw: RawEvent, context: ConvertContext): EventDraft {
  const isSelf = context.selfId !== undefined && String(raw.user_id) === context.selfId;
  const g = () => group(raw.group_id);
  switch (raw.notice_type) {
    case 'group_recall':
      return { type: 'message.deleted', message_id: toId(raw.message_id), ...operator(raw), chat_type: 'group', chat_id: toId(raw.group_id), group: g() };
    case 'friend_recall':
      return { type: 'message.deleted', message_id: toId(raw.message_id), operator: user(raw.user_id), chat_type: 'private', chat_id: toId(raw.user_id) };
    case 'group_increase':
      if (isSelf) return { type: 'bot.invited_to_group', group: g(), ...(raw.operator_id ? { inviter: user(raw.operator_id) } : {}) };
      return {
        type: 'group.member_joined',
        group: g(),
        member: user(raw.user_id),
        ...(raw.sub_type === 'invite' && raw.operator_id ? { inviter: user(raw.operator_id) } : {}),
        join_type: raw.sub_type === 'invite' ? 'invite' : 'request',
      };
    case 'group_decrease':
      if (raw.sub_type === 'kick_me' || isSelf) return { type: 'bot.removed_from_group', group: g(), ...operator(raw) };
      return { type: 'group.member_left', group: g(), member: user(raw.user_id), is_kicked: raw.sub_type === 'kick', ...(raw.sub_type === 'kick' ? operator(raw) : {}) };
    case 'group_ban': {
      // user_id 0 is the whole group (全员禁言), which has no unified event.
      if (raw.user_id === 0 || raw.user_id === '0') return specific(typePath(raw, 'notice_type', 'sub_type'), raw);
      const duration = Number(raw.duration);
      const lasting = Number.isInteger(duration) && duration > 0 ? { duration } : {};
      if (raw.sub_type === 'lift_ban') return isSelf ? { type: 'bot.unmuted', group: g(), ...operator(raw) } : { type: 'group.member_unbanned', group: g(), member: user(raw.user_id), ...operator(raw) };
      return isSelf ? { type: 'bot.muted', group: g(), ...operator(raw), ...lasting } : { type: 'group.member_banned', group: g(), member: user(raw.user_id), ...operator(raw), ...lasting };
    }
    case 'friend_add':
      return { type: 'friend.added', user: user(raw.user_id) };
    default:
      return specific(typePath(raw, 'notice_type', 'sub_type') || 'notice', raw);
  }
}

function request(raw: RawEvent): EventDraft {
  const flag = optionalString(raw.flag);
  const comment = optionalString(raw.comment);
  if (raw.request_type === 'friend' && flag) {
    return { type: 'friend.request_received', request_id: flag, user: user(raw.user_id), ...(comment ? { message: comment } : {}) };
  }
  if (raw.request_type === 'group' && raw.sub_type === 'invite' && flag) {
    return { type: 'bot.invited_to_group', group: group(raw.group_id), inviter: user(raw.user_id), request_id: flag };
  }
  // Join requests by others are answered with call_platform_api('set_group_add_request', { flag, sub_type: 'add' }).
  return specific(typePath(raw, 'request_type', 'sub_type') || 'request', raw);
}
