/**
 * Gateway dispatches → unified events. Works on the raw dispatch JSON (what Discord sends), with a little memory of
 * its own: the bot's id, the guilds it was in at READY (so a GUILD_CREATE for another guild means it was invited),
 * which DM channel belongs to which user, and the bot's own timeouts. The bot's own messages, edits and reactions
 * are never echoed back as events.
 *
 * Chat mapping: a DM is a private chat whose chat_id is the *user's* id; a server message is a group chat whose
 * chat_id is the channel id and whose `group` is the server (guild).
 */
import type { EventDraft, Group, User } from '@langbot-ts/sdk';
import { CONTENT_MESSAGE_TYPES, contentToChain, messageToChain, toGroup, toUser } from './inbound.js';

type Json = Record<string, any>;

/** Plumbing the gateway sends that is no event for anyone. */
const IGNORED = new Set(['READY', 'RESUMED', 'GUILD_MEMBERS_CHUNK', 'PRESENCE_UPDATE', 'VOICE_STATE_UPDATE', 'VOICE_SERVER_UPDATE', 'TYPING_START', 'USER_UPDATE']);
const MAX_REMEMBERED = 5000;

export class MalformedDispatchError extends Error {}

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === '') throw new MalformedDispatchError(`missing ${what}`);
  return value;
}

/** A Map that forgets its oldest entries past a size, for caches fed by the platform. */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit = MAX_REMEMBERED) {
    super();
  }
  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.limit) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

export class DispatchState {
  selfId = '';
  readonly guilds = new Map<string, Group>();
  /** user id → DM channel id, and back. */
  readonly dmChannelOf = new BoundedMap<string, string>();
  readonly dmUserOf = new BoundedMap<string, string>();
  /** Attachment id → URL, for get_file_url. */
  readonly attachments = new BoundedMap<string, string>();
  /** Messages the bot deleted itself (their MESSAGE_DELETE is no event). */
  readonly deletedByBot = new BoundedMap<string, true>(500);
  /** Guild id → the bot's timeout end (ms), while it is timed out there. */
  private readonly timeouts = new Map<string, number>();

  rememberDm(userId: string, channelId: string): void {
    this.dmChannelOf.set(userId, channelId);
    this.dmUserOf.set(channelId, userId);
  }

  group(guildId: string): Group {
    return this.guilds.get(guildId) ?? { id: guildId };
  }

  /** The unified events a dispatch stands for (none for plumbing and the bot's own doings). */
  convert(t: string, d: unknown): EventDraft[] {
    const data = (d && typeof d === 'object' ? d : {}) as Json;
    switch (t) {
      case 'READY':
        this.selfId = String(need(data.user?.id, 'user.id'));
        for (const g of data.guilds ?? []) if (!this.guilds.has(String(g.id))) this.guilds.set(String(g.id), { id: String(g.id) });
        return [];
      case 'MESSAGE_CREATE':
        return this.messageCreate(data);
      case 'MESSAGE_UPDATE':
        return this.messageUpdate(data);
      case 'MESSAGE_DELETE':
        return this.messageDelete(String(need(data.id, 'id')), data);
      case 'MESSAGE_DELETE_BULK':
        return (need(data.ids, 'ids') as unknown[]).flatMap((id) => this.messageDelete(String(id), data));
      case 'MESSAGE_REACTION_ADD':
      case 'MESSAGE_REACTION_REMOVE':
        return this.reaction(data, t === 'MESSAGE_REACTION_ADD');
      case 'GUILD_MEMBER_ADD':
      case 'GUILD_MEMBER_REMOVE':
      case 'GUILD_BAN_ADD':
      case 'GUILD_BAN_REMOVE':
        return this.member(t, data);
      case 'GUILD_MEMBER_UPDATE':
        return this.memberUpdate(data);
      case 'GUILD_CREATE':
        return this.guildCreate(data);
      case 'GUILD_UPDATE':
        return this.guildUpdate(data);
      case 'GUILD_DELETE':
        return this.guildDelete(data);
      default:
        return IGNORED.has(t) ? [] : [this.specific(t, data, d)];
    }
  }

  private specific(t: string, data: Json, original: unknown = data): EventDraft {
    const payload = original && typeof original === 'object' && !Array.isArray(original) ? data : { value: original ?? null };
    return { type: 'platform.specific', action: t.toLowerCase(), data: payload };
  }

  /** Where a message-like dispatch happened: chat_type / chat_id / group. */
  private where(data: Json, peer?: string): { chat_type: 'private' | 'group'; chat_id: string; group?: Group } {
    const channelId = String(need(data.channel_id, 'channel_id'));
    if (data.guild_id) return { chat_type: 'group', chat_id: channelId, group: this.group(String(data.guild_id)) };
    if (peer && peer !== this.selfId) this.rememberDm(peer, channelId);
    return { chat_type: 'private', chat_id: this.dmUserOf.get(channelId) ?? peer ?? channelId };
  }

  private sender(data: Json): User {
    const author = need(data.author, 'author') as Json;
    need(author.id, 'author.id');
    return toUser(author, data.member);
  }

  private messageCreate(data: Json): EventDraft[] {
    const sender = this.sender(data);
    if (sender.id === this.selfId) return [];
    const id = String(need(data.id, 'id'));
    if (!CONTENT_MESSAGE_TYPES.has(Number(data.type ?? 0))) return [this.specific('SYSTEM_MESSAGE', data)];
    const chain = messageToChain(data);
    for (const a of data.attachments ?? []) if (a?.id && a.url) this.attachments.set(String(a.id), String(a.url));
    return [{ type: 'message.received', message_id: id, message_chain: chain, sender, ...this.where(data, String(sender.id)), source_platform_object: { channel_id: String(data.channel_id), guild_id: data.guild_id ?? null } }];
  }

  private messageUpdate(data: Json): EventDraft[] {
    // Discord also sends MESSAGE_UPDATE when it merely adds link embeds; only a changed text is an edit.
    if (typeof data.content !== 'string' || !data.edited_timestamp || !data.author) return [];
    const editor = this.sender(data);
    if (editor.id === this.selfId) return [];
    const id = String(need(data.id, 'id'));
    const chain = messageToChain(data).filter((c) => c.type !== 'Source');
    return [{ type: 'message.edited', message_id: id, new_content: chain.length > 0 ? chain : contentToChain(data.content), editor, ...this.where(data, String(editor.id)) }];
  }

  private messageDelete(id: string, data: Json): EventDraft[] {
    if (this.deletedByBot.delete(id)) return [];
    return [{ type: 'message.deleted', message_id: id, ...this.where(data) }];
  }

  private reaction(data: Json, isAdd: boolean): EventDraft[] {
    const userId = String(need(data.user_id, 'user_id'));
    if (userId === this.selfId) return [];
    const emoji = need(data.emoji, 'emoji') as Json;
    const reaction = emoji.id ? `${emoji.name ?? '_'}:${emoji.id}` : String(need(emoji.name, 'emoji.name'));
    const user = data.member?.user ? toUser(data.member.user, data.member) : { id: userId };
    return [{ type: 'message.reaction', message_id: String(need(data.message_id, 'message_id')), user, reaction, is_add: isAdd, ...this.where(data, userId) }];
  }

  private member(t: string, data: Json): EventDraft[] {
    const group = this.group(String(need(data.guild_id, 'guild_id')));
    const member = toUser(need(data.user, 'user'), data);
    need(member.id, 'user.id');
    if (member.id === this.selfId) return [];
    switch (t) {
      case 'GUILD_MEMBER_ADD':
        return [{ type: 'group.member_joined', group, member }];
      case 'GUILD_MEMBER_REMOVE':
        return [{ type: 'group.member_left', group, member }];
      case 'GUILD_BAN_ADD':
        return [{ type: 'group.member_banned', group, member }];
      default:
        return [{ type: 'group.member_unbanned', group, member }];
    }
  }

  /** The bot's own timeout (communication_disabled_until) is bot.muted / bot.unmuted; other member updates are platform-specific. */
  private memberUpdate(data: Json): EventDraft[] {
    const guildId = String(need(data.guild_id, 'guild_id'));
    if (String(need(data.user?.id, 'user.id')) !== this.selfId) return [this.specific('GUILD_MEMBER_UPDATE', data)];
    const until = data.communication_disabled_until ? Date.parse(data.communication_disabled_until) : NaN;
    const group = this.group(guildId);
    if (until > Date.now()) {
      this.timeouts.set(guildId, until);
      return [{ type: 'bot.muted', group, duration: Math.ceil((until - Date.now()) / 1000) }];
    }
    return this.timeouts.delete(guildId) ? [{ type: 'bot.unmuted', group }] : [];
  }

  private guildCreate(data: Json): EventDraft[] {
    const id = String(need(data.id, 'id'));
    const known = this.guilds.has(id);
    const group = toGroup(data);
    this.guilds.set(id, group);
    if (data.unavailable === true || known) return [];
    return [{ type: 'bot.invited_to_group', group }];
  }

  private guildUpdate(data: Json): EventDraft[] {
    const id = String(need(data.id, 'id'));
    const before = this.guilds.get(id);
    const group = { ...toGroup(data), ...(data.member_count === undefined && before?.member_count !== undefined ? { member_count: before.member_count } : {}) };
    this.guilds.set(id, group);
    const fields = ['name', 'description', 'avatar_url', 'owner_id'] as const;
    const changed = before ? fields.filter((f) => before[f] !== group[f]) : [];
    return [{ type: 'group.info_updated', group, ...(changed.length ? { changed_fields: changed } : {}) }];
  }

  private guildDelete(data: Json): EventDraft[] {
    const id = String(need(data.id, 'id'));
    // `unavailable` means an outage, not that the bot left.
    if (data.unavailable === true) return [];
    const group = this.group(id);
    this.guilds.delete(id);
    return [{ type: 'bot.removed_from_group', group }];
  }
}
