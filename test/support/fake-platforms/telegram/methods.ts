/** The Bot API methods the fake implements, over TelegramState. A thrown ApiError becomes `{ok:false,…}`. */
import { htmlToText, ParseError } from './html.js';
import { now, type Chat, type Message, type TelegramState, type User } from './state.js';
import type { UploadedFile } from './body.js';

export class ApiError extends Error {
  constructor(
    readonly error_code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

export interface MethodContext {
  state: TelegramState;
  bot: User;
  params: Record<string, unknown>;
  files: Map<string, UploadedFile>;
  /** Counts what tests look at. */
  onEdit(): void;
}

const bad = (what: string) => new ApiError(400, `Bad Request: ${what}`);

function int(params: Record<string, unknown>, key: string): number {
  const value = typeof params[key] === 'string' && /^-?\d+$/.test(params[key] as string) ? Number(params[key]) : params[key];
  if (typeof value !== 'number' || !Number.isInteger(value)) throw bad(`${key} is required`);
  return value;
}

function chatOf(c: MethodContext, key = 'chat_id'): Chat {
  const chat = c.state.chats.get(int(c.params, key));
  if (!chat) throw bad('chat not found');
  return chat;
}

function formatted(c: MethodContext, textKey: 'text' | 'caption'): { text: string; entities?: unknown } {
  const raw = c.params[textKey];
  if (typeof raw !== 'string') return { text: '' };
  let text = raw;
  if (c.params.parse_mode === 'HTML') {
    try {
      text = htmlToText(raw);
    } catch (error) {
      if (error instanceof ParseError) throw bad(`can't parse entities: ${error.message}`);
      throw error;
    }
  } else if (c.params.parse_mode !== undefined) {
    throw bad(`unsupported parse_mode '${String(c.params.parse_mode)}' in this fake`);
  }
  if (text.length > 4096) throw bad('message is too long');
  const entities = c.params[textKey === 'text' ? 'entities' : 'caption_entities'];
  if (entities !== undefined && !Array.isArray(entities)) throw bad("can't parse entities: entities must be an array");
  return { text, ...(entities ? { entities } : {}) };
}

function newMessage(c: MethodContext, chat: Chat, content: Record<string, unknown>): Message {
  const message: Message = { message_id: c.state.nextMessageId(chat.id), date: now(), chat, from: c.bot, ...content };
  const thread = c.params.message_thread_id;
  if (typeof thread === 'number') Object.assign(message, { message_thread_id: thread, is_topic_message: true });
  const reply = c.params.reply_parameters as { message_id?: number; allow_sending_without_reply?: boolean } | undefined;
  if (reply && typeof reply === 'object') {
    const original = c.state.message(chat.id, Number(reply.message_id));
    if (original) message.reply_to_message = original;
    else if (!reply.allow_sending_without_reply) throw bad('message to be replied not found');
  }
  return c.state.store(message);
}

/** A file given as an upload (`attach://id`), a URL, or an existing file id. */
function inputFile(c: MethodContext, key: string, extension: string) {
  const value = c.params[key];
  const upload = c.files.get(key) ?? (typeof value === 'string' && value.startsWith('attach://') ? c.files.get(value.slice('attach://'.length)) : undefined);
  if (upload) return { file: c.state.addFile(upload.data, extension), filename: upload.filename };
  if (typeof value !== 'string' || !value) throw bad(`there is no ${key} in the request`);
  if (/^https?:\/\//.test(value)) return { file: c.state.addFile(Buffer.from(`downloaded from ${value}`), extension), filename: value.split('/').pop() || 'file', url: value };
  const existing = c.state.files.get(value);
  if (!existing) throw bad('wrong file identifier/HTTP URL specified');
  return { file: existing, filename: existing.file_path.split('/').pop()! };
}

function media(c: MethodContext, key: 'photo' | 'voice' | 'document' | 'audio', extension: string): Message {
  const chat = chatOf(c);
  const { file, filename, url } = inputFile(c, key, extension);
  const meta = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.data.length };
  const content: Record<string, unknown> =
    key === 'photo' ? { photo: [{ ...meta, width: 90, height: 90 }, { ...meta, width: 800, height: 600 }] } : key === 'document' ? { document: { ...meta, file_name: filename } } : { [key]: { ...meta, duration: 1 } };
  const caption = formatted(c, 'caption');
  if (caption.text) Object.assign(content, { caption: caption.text });
  if (url) Object.assign(content, { source_url: url });
  return newMessage(c, chat, content);
}

function editable(c: MethodContext): Message {
  const message = c.state.message(int(c.params, 'chat_id'), int(c.params, 'message_id'));
  if (!message) throw bad('message to edit not found');
  if (message.from?.id !== c.bot.id) throw bad("message can't be edited");
  return message;
}

function requireGroup(c: MethodContext): Chat {
  const chat = chatOf(c);
  if (chat.type === 'private') throw bad('method is available for supergroup and channel chats only');
  return chat;
}

export const METHODS: Record<string, (c: MethodContext) => unknown> = {
  getMe: (c) => ({ ...c.bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }),
  sendMessage: (c) => {
    const chat = chatOf(c);
    const { text, entities } = formatted(c, 'text');
    if (!text.trim()) throw bad('message text is empty');
    return newMessage(c, chat, { text, ...(entities ? { entities } : {}) });
  },
  sendPhoto: (c) => media(c, 'photo', 'jpg'),
  sendVoice: (c) => media(c, 'voice', 'ogg'),
  sendAudio: (c) => media(c, 'audio', 'mp3'),
  sendDocument: (c) => media(c, 'document', 'dat'),
  sendDice: (c) => {
    const emoji = typeof c.params.emoji === 'string' ? c.params.emoji : '🎲';
    if (!['🎲', '🎯', '🏀', '⚽', '🎳', '🎰'].includes(emoji)) throw bad('invalid dice emoji');
    return newMessage(c, chatOf(c), { dice: { emoji, value: 4 } });
  },
  editMessageText: (c) => {
    const message = editable(c);
    const { text, entities } = formatted(c, 'text');
    if (typeof message.text !== 'string') throw bad('there is no text in the message to edit');
    if (!text.trim()) throw bad('message text is empty');
    if (text === message.text && JSON.stringify(entities) === JSON.stringify(message.entities)) throw bad('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    Object.assign(message, { text, edit_date: now() });
    if (entities) message.entities = entities;
    else delete message.entities;
    c.onEdit();
    return message;
  },
  editMessageCaption: (c) => {
    const message = editable(c);
    const { text } = formatted(c, 'caption');
    if (text === message.caption) throw bad('message is not modified');
    Object.assign(message, { caption: text, edit_date: now() });
    c.onEdit();
    return message;
  },
  deleteMessage: (c) => {
    const chat = chatOf(c);
    if (!c.state.messages.get(chat.id)?.delete(int(c.params, 'message_id'))) throw bad('message to delete not found');
    return true;
  },
  forwardMessage: (c) => {
    const to = chatOf(c);
    const from = chatOf(c, 'from_chat_id');
    const original = c.state.message(from.id, int(c.params, 'message_id'));
    if (!original) throw bad('message to forward not found');
    const { message_id: _i, date: _d, chat: _c, from: sender, reply_to_message: _r, ...content } = original;
    return newMessage(c, to, { ...content, forward_origin: sender ? { type: 'user', date: original.date, sender_user: sender } : { type: 'hidden_user', date: original.date, sender_user_name: 'Hidden' } });
  },
  getChat: (c) => {
    const chat = chatOf(c);
    return { ...chat, accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} };
  },
  getChatMemberCount: (c) => {
    const chat = chatOf(c);
    if (chat.type === 'private') return 2;
    return [...(c.state.members.get(chat.id)?.values() ?? [])].filter((m) => !['left', 'kicked'].includes(m.status)).length;
  },
  getChatAdministrators: (c) => [...(c.state.members.get(requireGroup(c).id)?.values() ?? [])].filter((m) => m.status === 'creator' || m.status === 'administrator'),
  getChatMember: (c) => c.state.member(chatOf(c).id, int(c.params, 'user_id')),
  restrictChatMember: (c) => {
    const chat = requireGroup(c);
    const user = int(c.params, 'user_id');
    const permissions = c.params.permissions;
    if (!permissions || typeof permissions !== 'object') throw bad('permissions are required');
    const current = c.state.member(chat.id, user);
    if (current.status === 'creator') throw bad("can't remove chat owner");
    c.state.setMember(chat.id, { ...current, ...(permissions as Record<string, boolean>), status: 'restricted', is_member: true, until_date: Number(c.params.until_date ?? 0) });
    return true;
  },
  banChatMember: (c) => {
    const chat = requireGroup(c);
    const user = int(c.params, 'user_id');
    const current = c.state.member(chat.id, user);
    if (current.status === 'creator') throw bad("can't remove chat owner");
    c.state.setMember(chat.id, { status: 'kicked', user: current.user, until_date: Number(c.params.until_date ?? 0) });
    return true;
  },
  unbanChatMember: (c) => {
    const chat = requireGroup(c);
    const current = c.state.member(chat.id, int(c.params, 'user_id'));
    if (current.status === 'kicked' || !c.params.only_if_banned) c.state.setMember(chat.id, { status: 'left', user: current.user });
    return true;
  },
  leaveChat: (c) => {
    const chat = requireGroup(c);
    c.state.setMember(chat.id, { status: 'left', user: c.bot });
    return true;
  },
  getFile: (c) => {
    const file = c.state.files.get(String(c.params.file_id ?? ''));
    if (!file) throw bad('invalid file_id');
    return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.data.length, file_path: file.file_path };
  },
  pinChatMessage: (c) => {
    const chat = chatOf(c);
    if (!c.state.message(chat.id, int(c.params, 'message_id'))) throw bad('message to pin not found');
    (chat as Chat & { pinned?: number }).pinned = int(c.params, 'message_id');
    return true;
  },
  unpinChatMessage: (c) => (delete (chatOf(c) as Chat & { pinned?: number }).pinned, true),
  unpinAllChatMessages: (c) => (delete (chatOf(c) as Chat & { pinned?: number }).pinned, true),
  setChatTitle: (c) => {
    const chat = requireGroup(c);
    if (typeof c.params.title !== 'string' || !c.params.title) throw bad('chat title is empty');
    chat.title = c.params.title;
    return true;
  },
  setChatDescription: (c) => {
    const chat = requireGroup(c);
    chat.description = String(c.params.description ?? '');
    return true;
  },
  sendChatAction: (c) => {
    chatOf(c);
    if (typeof c.params.action !== 'string') throw bad('action is required');
    return true;
  },
  createChatInviteLink: (c) => ({
    invite_link: `https://t.me/+fake${requireGroup(c).id}`,
    creator: c.bot,
    creates_join_request: c.params.creates_join_request === true,
    is_primary: false,
    is_revoked: false,
    ...(typeof c.params.name === 'string' ? { name: c.params.name } : {}),
  }),
  answerCallbackQuery: (c) => {
    if (typeof c.params.callback_query_id !== 'string' || !c.params.callback_query_id) throw bad('query is too old and response timeout expired or query ID is invalid');
    return true;
  },
  approveChatJoinRequest: (c) => {
    const chat = requireGroup(c);
    const user = int(c.params, 'user_id');
    c.state.setMember(chat.id, { status: 'member', user: c.state.users.get(user) ?? { id: user, is_bot: false, first_name: `User ${user}` } });
    return true;
  },
  declineChatJoinRequest: (c) => {
    requireGroup(c);
    int(c.params, 'user_id');
    return true;
  },
};
