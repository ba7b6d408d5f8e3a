/**
 * Telegram updates → unified events. Members joining or leaving show up twice when the bot is an admin (a service
 * message and a `chat_member` update); a short memory of what was just reported keeps that to one event.
 */
import type { EventDraft, Group, User } from '@langbot-ts/sdk';
import { chatKey } from './ids.js';
import { fullName, hasContent, messageChain, senderOf, toUser, type InboundContext } from './inbound.js';
import {
  isChat,
  isMessage,
  isObject,
  isUser,
  type TgChat,
  type TgChatMember,
  type TgChatMemberUpdated,
  type TgMessage,
  type TgReaction,
  type TgReactionUpdated,
  type TgUpdate,
} from './wire.js';

const DEDUPE_MS = 60_000;
const DEDUPE_LIMIT = 1_000;

/** Update types the adapter asks for; `chat_member` and `message_reaction` are only sent when requested. */
export const ALLOWED_UPDATES = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'message_reaction',
  'message_reaction_count',
  'callback_query',
  'inline_query',
  'chosen_inline_result',
  'poll',
  'poll_answer',
  'my_chat_member',
  'chat_member',
  'chat_join_request',
  'chat_boost',
  'removed_chat_boost',
] as const;

export const groupOf = (chat: TgChat): Group => ({ id: chat.id, ...(fullName(chat) ? { name: fullName(chat) } : {}) });

const isGroupChat = (chat: TgChat) => chat.type === 'group' || chat.type === 'supergroup';

function chatFields(message: TgMessage) {
  if (!isGroupChat(message.chat)) return { chat_type: 'private' as const, chat_id: message.chat.id };
  const topic = message.is_topic_message === true && Number.isSafeInteger(message.message_thread_id) ? message.message_thread_id : undefined;
  return { chat_type: 'group' as const, chat_id: chatKey(message.chat.id, topic), group: groupOf(message.chat) };
}

const inChat = (m: TgChatMember) => ['creator', 'administrator', 'member'].includes(m.status) || (m.status === 'restricted' && m.is_member !== false);
const canSpeak = (m: TgChatMember) => m.status !== 'restricted' || m.can_send_messages !== false;
const durationOf = (until: unknown, now: unknown) =>
  typeof until === 'number' && until > 0 && typeof now === 'number' && until > now ? until - now : undefined;
const reactionKey = (r: TgReaction) => (r.type === 'emoji' ? String(r.emoji ?? '') : r.type === 'custom_emoji' ? `custom:${r.custom_emoji_id ?? ''}` : String(r.type));

export class UpdateConverter {
  private readonly recent = new Map<string, number>();

  constructor(private readonly ctx: InboundContext) {}

  async convert(update: TgUpdate): Promise<EventDraft[]> {
    const { update_id: _id, ...rest } = update;
    const [kind, payload] = Object.entries(rest)[0] ?? [];
    if (!kind) return [];
    switch (kind) {
      case 'message':
        return isMessage(payload) ? this.message(payload) : this.malformed(kind);
      case 'edited_message':
        return isMessage(payload) ? this.edited(payload) : this.malformed(kind);
      case 'message_reaction':
        return isObject(payload) && isChat(payload.chat) ? this.reaction(payload as unknown as TgReactionUpdated) : this.malformed(kind);
      case 'my_chat_member':
        return this.isMemberUpdate(payload) ? this.botMember(payload) : this.malformed(kind);
      case 'chat_member':
        return this.isMemberUpdate(payload) ? this.member(payload) : this.malformed(kind);
      default:
        return [this.specific(kind, payload)];
    }
  }

  private malformed(kind: string): EventDraft[] {
    throw new Error(`A '${kind}' update lacks the fields the Bot API promises; it was dropped.`);
  }

  private specific(action: string, payload: unknown, source?: unknown): EventDraft {
    const data = isObject(payload) ? payload : { value: payload };
    return { type: 'platform.specific', action, data, ...(source !== undefined ? { source_platform_object: source } : {}) };
  }

  private isMemberUpdate(value: unknown): value is TgChatMemberUpdated {
    return (
      isObject(value) &&
      isChat(value.chat) &&
      isObject(value.old_chat_member) &&
      isObject(value.new_chat_member) &&
      isUser((value.old_chat_member as { user?: unknown }).user) &&
      isUser((value.new_chat_member as { user?: unknown }).user)
    );
  }

  /** True the first time `key` is seen within the dedupe window. */
  private firstTime(key: string): boolean {
    const now = Date.now();
    for (const [k, at] of this.recent) if (now - at > DEDUPE_MS || this.recent.size > DEDUPE_LIMIT) this.recent.delete(k);
    if (this.recent.has(key)) return false;
    this.recent.set(key, now);
    return true;
  }

  private async message(message: TgMessage): Promise<EventDraft[]> {
    // The bot's own messages (e.g. in groups it posts to) never come back as input: no echo loops.
    if (message.from?.id === this.ctx.botId) return [];
    if (!hasContent(message)) return this.service(message);
    const message_chain = await messageChain(message, this.ctx);
    return [{ type: 'message.received', message_id: message.message_id, message_chain, sender: senderOf(message), ...chatFields(message), ...(typeof message.date === 'number' ? { timestamp: message.date } : {}), source_platform_object: message }];
  }

  private async edited(message: TgMessage): Promise<EventDraft[]> {
    if (message.from?.id === this.ctx.botId || !hasContent(message)) return [];
    const new_content = await messageChain(message, this.ctx);
    return [{ type: 'message.edited', message_id: message.message_id, new_content, editor: senderOf(message), ...chatFields(message), source_platform_object: message }];
  }

  private service(message: TgMessage): EventDraft[] {
    const chat = message.chat;
    const group = groupOf(chat);
    const operator = isUser(message.from) ? toUser(message.from) : undefined;
    const events: EventDraft[] = [];
    for (const member of Array.isArray(message.new_chat_members) ? message.new_chat_members.filter(isUser) : []) {
      // The bot's own joining and leaving are reported by my_chat_member.
      if (member.id === this.ctx.botId || !this.firstTime(`${chat.id}:${member.id}:joined`)) continue;
      const self = operator?.id === member.id;
      events.push({ type: 'group.member_joined', group, member: toUser(member), ...(operator && !self ? { inviter: operator } : {}), join_type: self ? 'direct' : 'invite' });
    }
    const left = message.left_chat_member;
    if (isUser(left) && left.id !== this.ctx.botId && this.firstTime(`${chat.id}:${left.id}:left`)) {
      const kicked = operator !== undefined && operator.id !== left.id;
      events.push({ type: 'group.member_left', group, member: toUser(left), is_kicked: kicked, ...(kicked ? { operator } : {}) });
    }
    if (typeof message.new_chat_title === 'string') {
      events.push({ type: 'group.info_updated', group: { ...group, name: message.new_chat_title }, changed_fields: ['name'], ...(operator ? { operator } : {}) });
    }
    if (Array.isArray(message.new_chat_photo) || message.delete_chat_photo === true) {
      events.push({ type: 'group.info_updated', group, changed_fields: ['avatar'], ...(operator ? { operator } : {}) });
    }
    const handled = message.new_chat_members !== undefined || message.left_chat_member !== undefined || message.new_chat_title !== undefined || message.new_chat_photo !== undefined || message.delete_chat_photo !== undefined;
    return handled ? events : [this.specific('service_message', message)];
  }

  private reaction(update: TgReactionUpdated): EventDraft[] {
    const who: User | undefined = isUser(update.user) ? toUser(update.user) : isChat(update.actor_chat) ? { id: update.actor_chat.id, nickname: fullName(update.actor_chat) ?? String(update.actor_chat.id) } : undefined;
    if (!who || !Number.isSafeInteger(update.message_id)) return [this.specific('message_reaction', update)];
    const keys = (list: unknown) => new Set((Array.isArray(list) ? list : []).filter(isObject).map((r) => reactionKey(r as unknown as TgReaction)));
    const before = keys(update.old_reaction);
    const after = keys(update.new_reaction);
    const chat = isGroupChat(update.chat) ? { chat_type: 'group' as const, chat_id: update.chat.id, group: groupOf(update.chat) } : { chat_type: 'private' as const, chat_id: update.chat.id };
    const base = { type: 'message.reaction' as const, message_id: update.message_id, user: who, ...chat, source_platform_object: update };
    return [...[...after].filter((r) => !before.has(r)).map((reaction) => ({ ...base, reaction, is_add: true })), ...[...before].filter((r) => !after.has(r)).map((reaction) => ({ ...base, reaction, is_add: false }))];
  }

  private botMember(update: TgChatMemberUpdated): EventDraft[] {
    const { old_chat_member: before, new_chat_member: after } = update;
    if (!isGroupChat(update.chat)) return [this.specific('my_chat_member', update)];
    const group = groupOf(update.chat);
    const by = isUser(update.from) ? { operator: toUser(update.from) } : {};
    if (!inChat(before) && inChat(after)) return [{ type: 'bot.invited_to_group', group, ...(isUser(update.from) ? { inviter: toUser(update.from) } : {}) }];
    if (inChat(before) && !inChat(after)) return [{ type: 'bot.removed_from_group', group, ...by }];
    if (inChat(after) && canSpeak(before) && !canSpeak(after)) {
      const duration = durationOf(after.until_date, update.date);
      return [{ type: 'bot.muted', group, ...by, ...(duration !== undefined ? { duration } : {}) }];
    }
    if (inChat(after) && !canSpeak(before) && canSpeak(after)) return [{ type: 'bot.unmuted', group, ...by }];
    return [this.specific('my_chat_member', update)];
  }

  private member(update: TgChatMemberUpdated): EventDraft[] {
    const { old_chat_member: before, new_chat_member: after } = update;
    const chat = update.chat;
    const group = groupOf(chat);
    const member = toUser(after.user);
    const actor = isUser(update.from) && update.from.id !== after.user.id ? toUser(update.from) : undefined;
    if (!inChat(before) && inChat(after)) {
      if (!this.firstTime(`${chat.id}:${member.id}:joined`)) return [];
      const join_type = update.via_join_request ? 'request' : actor || update.invite_link ? 'invite' : 'direct';
      return [{ type: 'group.member_joined', group, member, ...(actor ? { inviter: actor } : {}), join_type }];
    }
    if (inChat(before) && after.status === 'kicked') {
      const duration = durationOf(after.until_date, update.date);
      return [{ type: 'group.member_banned', group, member, ...(actor ? { operator: actor } : {}), ...(duration !== undefined ? { duration } : {}) }];
    }
    if (inChat(before) && after.status === 'left') {
      if (!this.firstTime(`${chat.id}:${member.id}:left`)) return [];
      return [{ type: 'group.member_left', group, member, is_kicked: actor !== undefined, ...(actor ? { operator: actor } : {}) }];
    }
    return [this.specific('chat_member', update)];
  }
}
