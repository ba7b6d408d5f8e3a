/**
 * Discord messages (gateway/REST JSON) → unified message chains and users. Content tokens become components:
 * `<@id>` / `<@!id>` → At, `@everyone` / `@here` (when they really pinged) → AtAll, `<:name:id>` → Face; attachments
 * become Image / Voice / File by content type; stickers become Face; embeds and buttons are kept as Platform parts
 * and anything else Discord may add (polls…) as Unknown, so nothing is silently lost.
 */
import type { Group, MessageChain, MessageComponent, User } from '@langbot-ts/sdk';

type Json = Record<string, any>;

export const CDN = 'https://cdn.discordapp.com';
/** Message types that carry user content; the rest are system notices (pins, joins, boosts…). */
export const CONTENT_MESSAGE_TYPES = new Set([0, 19]);
const FORWARD_REFERENCE = 1;
const VOICE_MESSAGE_FLAG = 1 << 13;

export function toUser(user: Json, member?: Json | null): User {
  const id = String(user.id);
  const nickname = member?.nick || user.global_name || user.username;
  return {
    id,
    ...(nickname ? { nickname: String(nickname) } : {}),
    ...(user.username ? { username: String(user.username) } : {}),
    ...(user.avatar ? { avatar_url: `${CDN}/avatars/${id}/${user.avatar}.png` } : {}),
    is_bot: user.bot === true,
  };
}

export function toGroup(guild: Json): Group {
  const id = String(guild.id);
  const count = guild.approximate_member_count ?? guild.member_count;
  return {
    id,
    ...(guild.name ? { name: String(guild.name) } : {}),
    ...(guild.description ? { description: String(guild.description) } : {}),
    ...(Number.isInteger(count) && count >= 0 ? { member_count: count } : {}),
    ...(guild.icon ? { avatar_url: `${CDN}/icons/${id}/${guild.icon}.png` } : {}),
    ...(guild.owner_id ? { owner_id: String(guild.owner_id) } : {}),
  };
}

const TOKEN = /<@!?(\d+)>|<(a?):(\w+):(\d+)>|@everyone|@here/g;

/** Message text → Plain / At / AtAll / Face, in order. */
export function contentToChain(content: string, mentions: Json[] = [], mentionEveryone = false): MessageComponent[] {
  const out: MessageComponent[] = [];
  const plain = (text: string) => {
    if (!text) return;
    const last = out.at(-1);
    if (last?.type === 'Plain') last.text += text;
    else out.push({ type: 'Plain', text });
  };
  let at = 0;
  for (const match of content.matchAll(TOKEN)) {
    plain(content.slice(at, match.index));
    at = match.index + match[0].length;
    if (match[1]) {
      const user = mentions.find((m) => String(m?.id) === match[1]);
      const display = user ? user.member?.nick || user.global_name || user.username : undefined;
      out.push({ type: 'At', target: match[1], ...(display ? { display: String(display) } : {}) });
    } else if (match[3]) {
      out.push({ type: 'Face', face_type: 'face', face_name: match[3] });
    } else if (mentionEveryone) {
      out.push({ type: 'AtAll' });
    } else {
      plain(match[0]);
    }
  }
  plain(content.slice(at));
  return out;
}

export function attachmentToComponent(attachment: Json): MessageComponent {
  const id = String(attachment.id);
  const url = String(attachment.url ?? attachment.proxy_url ?? '');
  const type = String(attachment.content_type ?? '');
  if (type.startsWith('image/')) return { type: 'Image', image_id: id, url };
  if (type.startsWith('audio/') || (attachment.flags ?? 0) & VOICE_MESSAGE_FLAG || attachment.duration_secs !== undefined) {
    return { type: 'Voice', voice_id: id, url, ...(typeof attachment.duration_secs === 'number' ? { length: attachment.duration_secs } : {}) };
  }
  return {
    type: 'File',
    id,
    url,
    ...(attachment.filename ? { name: String(attachment.filename) } : {}),
    ...(typeof attachment.size === 'number' ? { size: attachment.size } : {}),
  };
}

/** What a message says, without Source or Quote (also used for quoted and forwarded messages). */
export function messageBody(message: Json): MessageComponent[] {
  const out: MessageComponent[] = contentToChain(String(message.content ?? ''), message.mentions ?? [], message.mention_everyone === true);
  for (const attachment of message.attachments ?? []) out.push(attachmentToComponent(attachment));
  for (const sticker of message.sticker_items ?? message.stickers ?? []) out.push({ type: 'Face', face_type: 'face', face_name: String(sticker.name ?? 'sticker') });
  for (const embed of message.embeds ?? []) out.push({ type: 'Platform', platform: 'discord', component_type: 'embed', data: embed });
  if (Array.isArray(message.components) && message.components.length > 0) {
    out.push({ type: 'Platform', platform: 'discord', component_type: 'components', data: { components: message.components } });
  }
  if (message.poll) out.push({ type: 'Unknown', text: `[Poll] ${String(message.poll.question?.text ?? '')}`.trim(), raw: message.poll });
  return out;
}

export function messageToChain(message: Json): MessageChain {
  const time = Date.parse(String(message.timestamp ?? ''));
  const chain: MessageChain = [{ type: 'Source', id: String(message.id), time: Number.isNaN(time) ? Date.now() / 1000 : time / 1000 }];
  const reference = message.message_reference;
  if (reference?.type === FORWARD_REFERENCE && Array.isArray(message.message_snapshots)) {
    chain.push({ type: 'Forward', display: { title: 'Forwarded message' }, node_list: message.message_snapshots.map((s: Json) => ({ message_chain: messageBody(s.message ?? {}) })) });
    return chain;
  }
  if (reference?.message_id) {
    const quoted = message.referenced_message;
    chain.push({
      type: 'Quote',
      id: String(reference.message_id),
      ...(reference.guild_id ? { group_id: String(reference.guild_id) } : {}),
      ...(quoted?.author?.id ? { sender_id: String(quoted.author.id) } : {}),
      origin: quoted ? messageBody(quoted) : [],
    });
  }
  chain.push(...messageBody(message));
  return chain;
}
