/** Telegram messages → unified message chains. */
import type { ForwardNode, MessageChain, MessageComponent, User } from '@langbot-ts/sdk';
import { isObject, isUser, type TgChat, type TgEntity, type TgFile, type TgMessage, type TgOrigin, type TgUser } from './wire.js';

export interface InboundContext {
  botId: number;
  botUsername: string;
  /** A photo as a data URI when fetching it is cheap; undefined otherwise (the Image keeps its file id). */
  imageData?(file: TgFile): Promise<string | undefined>;
}

/** Message fields that carry content; a message with none of them is a service message (joins, title changes…). */
export const CONTENT_KEYS = [
  'text', 'caption', 'photo', 'voice', 'audio', 'document', 'video', 'animation', 'video_note', 'sticker', 'dice',
  'location', 'venue', 'contact', 'poll', 'game', 'invoice', 'story', 'giveaway', 'giveaway_winners', 'paid_media', 'checklist',
] as const;

export const hasContent = (message: TgMessage) => CONTENT_KEYS.some((key) => message[key] !== undefined);

export function fullName(who: { first_name?: string; last_name?: string; title?: string; username?: string } | undefined): string | undefined {
  if (!who) return undefined;
  const name = [who.first_name, who.last_name].filter((p) => typeof p === 'string' && p).join(' ') || who.title || who.username;
  return name || undefined;
}

export function toUser(user: TgUser): User {
  const out: User = { id: user.id };
  const nickname = fullName(user);
  if (nickname) out.nickname = nickname;
  if (typeof user.username === 'string') out.username = user.username;
  if (typeof user.is_bot === 'boolean') out.is_bot = user.is_bot;
  return out;
}

/** Who sent a message: the user, or the chat an anonymous admin or a channel speaks as. */
export function senderOf(message: TgMessage): User {
  if (isObject(message.sender_chat) && Number.isSafeInteger(message.sender_chat.id)) {
    const chat = message.sender_chat as TgChat;
    return { id: chat.id, nickname: fullName(chat) ?? String(chat.id), ...(chat.username ? { username: chat.username } : {}) };
  }
  if (isUser(message.from)) return toUser(message.from);
  return { id: message.chat.id };
}

function pushPlain(out: MessageComponent[], text: string): void {
  if (!text) return;
  const last = out[out.length - 1];
  if (last?.type === 'Plain') out[out.length - 1] = { type: 'Plain', text: last.text + text };
  else out.push({ type: 'Plain', text });
}

/** Text with its entities: mentions become `At` (the bot's own @username becomes an At of the bot's id), the rest Plain. */
export function textComponents(text: string, entities: TgEntity[] | undefined, ctx: Pick<InboundContext, 'botId' | 'botUsername'>): MessageComponent[] {
  const mentions = (Array.isArray(entities) ? entities : [])
    .filter((e) => isObject(e) && (e.type === 'mention' || e.type === 'text_mention') && Number.isInteger(e.offset) && Number.isInteger(e.length) && e.offset >= 0 && e.length > 0 && e.offset + e.length <= text.length)
    .sort((a, b) => a.offset - b.offset);
  const out: MessageComponent[] = [];
  let at = 0;
  for (const entity of mentions) {
    if (entity.offset < at) continue; // overlapping entities are malformed; keep the first
    pushPlain(out, text.slice(at, entity.offset));
    const shown = text.slice(entity.offset, entity.offset + entity.length);
    if (entity.type === 'text_mention' && isUser(entity.user)) {
      out.push({ type: 'At', target: entity.user.id, display: fullName(entity.user) ?? shown });
    } else if (entity.type === 'mention') {
      const username = shown.replace(/^@/, '');
      const isBot = ctx.botUsername !== '' && username.toLowerCase() === ctx.botUsername.toLowerCase();
      // Telegram gives only the @username of other users; the handle is the best target there is.
      out.push({ type: 'At', target: isBot ? ctx.botId : `@${username}`, display: username });
    } else {
      pushPlain(out, shown);
    }
    at = entity.offset + entity.length;
  }
  pushPlain(out, text.slice(at));
  return out;
}

const largest = (sizes: TgFile[]) =>
  sizes.filter((s) => isObject(s) && typeof s.file_id === 'string').reduce<TgFile | undefined>((best, s) => (!best || (s.width ?? 0) * (s.height ?? 0) >= (best.width ?? 0) * (best.height ?? 0) ? s : best), undefined);

const isFile = (value: unknown): value is TgFile => isObject(value) && typeof value.file_id === 'string';

function fileComponent(file: TgFile, fallbackName: string): MessageComponent {
  return { type: 'File', id: file.file_id, name: file.file_name ?? fallbackName, ...(typeof file.file_size === 'number' ? { size: file.file_size } : {}) };
}

function unknownContent(message: TgMessage): MessageComponent | undefined {
  const location = message.location as { latitude?: number; longitude?: number } | undefined;
  if (isObject(message.venue)) return { type: 'Unknown', text: `[Venue] ${String((message.venue as { title?: unknown }).title ?? '')}`.trim(), raw: { venue: message.venue } };
  if (isObject(location)) return { type: 'Unknown', text: `[Location ${location.latitude}, ${location.longitude}]`, raw: { location } };
  for (const key of ['contact', 'poll', 'game', 'invoice', 'story', 'giveaway', 'giveaway_winners', 'paid_media', 'checklist'] as const) {
    if (message[key] !== undefined) return { type: 'Unknown', text: `[${key.replace(/_/g, ' ')}]`, raw: { [key]: message[key] } };
  }
  return undefined;
}

/** The message's own content (no Source, no Quote): media first, then its text or caption. */
export async function contentComponents(message: TgMessage, ctx: InboundContext, download: boolean): Promise<MessageComponent[]> {
  const out: MessageComponent[] = [];
  if (Array.isArray(message.photo)) {
    const best = largest(message.photo);
    if (best) {
      const base64 = download ? await ctx.imageData?.(best).catch(() => undefined) : undefined;
      out.push({ type: 'Image', image_id: best.file_id, ...(base64 ? { base64 } : {}) });
    }
  }
  if (isFile(message.voice)) out.push({ type: 'Voice', voice_id: message.voice.file_id, ...(typeof message.voice.duration === 'number' ? { length: message.voice.duration } : {}) });
  if (isFile(message.audio)) out.push({ type: 'Voice', voice_id: message.audio.file_id, ...(typeof message.audio.duration === 'number' ? { length: message.audio.duration } : {}) });
  if (isFile(message.document)) out.push(fileComponent(message.document, 'document'));
  if (isFile(message.video)) out.push(fileComponent(message.video, 'video.mp4'));
  if (isFile(message.animation)) out.push(fileComponent(message.animation, 'animation.mp4'));
  if (isFile(message.video_note)) out.push(fileComponent(message.video_note, 'video_note.mp4'));
  if (isFile(message.sticker)) out.push({ type: 'Face', face_type: 'face', face_name: message.sticker.emoji || 'sticker' });
  if (isObject(message.dice)) {
    const dice = message.dice;
    out.push({ type: 'Face', face_type: 'dice', face_name: typeof dice.emoji === 'string' ? dice.emoji : '🎲', ...(typeof dice.value === 'number' ? { face_id: dice.value } : {}) });
  }
  const unknown = unknownContent(message);
  if (unknown) out.push(unknown);
  if (typeof message.text === 'string') out.push(...textComponents(message.text, message.entities, ctx));
  else if (typeof message.caption === 'string') out.push(...textComponents(message.caption, message.caption_entities, ctx));
  if (out.length === 0) out.push({ type: 'Unknown', text: '[Unsupported message]', raw: { keys: Object.keys(message) } });
  return out;
}

function originSender(origin: TgOrigin): Pick<ForwardNode, 'sender_id' | 'sender_name'> {
  switch (origin.type) {
    case 'user':
      return isUser(origin.sender_user) ? { sender_id: origin.sender_user.id, sender_name: fullName(origin.sender_user) ?? String(origin.sender_user.id) } : {};
    case 'hidden_user':
      return typeof origin.sender_user_name === 'string' ? { sender_name: origin.sender_user_name } : {};
    case 'chat':
      return isObject(origin.sender_chat) ? { sender_id: origin.sender_chat.id, sender_name: fullName(origin.sender_chat) ?? String(origin.sender_chat.id) } : {};
    case 'channel':
      return isObject(origin.chat) ? { sender_id: origin.chat.id, sender_name: origin.author_signature ?? fullName(origin.chat) ?? String(origin.chat.id) } : {};
    default:
      return {};
  }
}

/** The whole chain of a received message: Source, the Quote it replies to, then its content (inside a Forward when forwarded). */
export async function messageChain(message: TgMessage, ctx: InboundContext): Promise<MessageChain> {
  const chain: MessageChain = [{ type: 'Source', id: message.message_id, time: typeof message.date === 'number' ? message.date : Math.floor(Date.now() / 1000) }];
  const reply = message.reply_to_message;
  if (isObject(reply) && Number.isSafeInteger(reply.message_id)) {
    const quoted = typeof message.quote?.text === 'string' ? [{ type: 'Plain' as const, text: message.quote.text }] : await contentComponents(reply, ctx, false);
    chain.push({
      type: 'Quote',
      id: reply.message_id,
      ...(isUser(reply.from) ? { sender_id: reply.from.id } : {}),
      ...(message.chat.type === 'private' ? {} : { group_id: message.chat.id }),
      origin: quoted,
    });
  }
  const content = await contentComponents(message, ctx, true);
  const origin = message.forward_origin;
  if (isObject(origin) && typeof origin.type === 'string') {
    chain.push({
      type: 'Forward',
      display: { title: 'Forwarded message', brief: '[Forwarded message]' },
      node_list: [{ ...originSender(origin), message_chain: content, ...(Number.isSafeInteger(origin.message_id) ? { message_id: origin.message_id } : {}) }],
    });
  } else {
    chain.push(...content);
  }
  return chain;
}
