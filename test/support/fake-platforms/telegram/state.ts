/** What the fake Telegram remembers: users, chats, members, messages (edits applied) and uploaded files. */
export interface User {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
}

export interface Chat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  username?: string;
  first_name?: string;
  description?: string;
  is_forum?: boolean;
  permissions?: Record<string, boolean>;
}

export type Message = Record<string, unknown> & { message_id: number; date: number; chat: Chat; from?: User };

export interface Member {
  status: 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';
  user: User;
  [key: string]: unknown;
}

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  data: Buffer;
}

export const now = () => Math.floor(Date.now() / 1000);

export class TelegramState {
  readonly users = new Map<number, User>();
  readonly chats = new Map<number, Chat>();
  readonly members = new Map<number, Map<number, Member>>();
  readonly messages = new Map<number, Map<number, Message>>();
  readonly files = new Map<string, StoredFile>();
  private readonly sequence = new Map<number, number>();
  private fileSeq = 0;

  addUser(user: User): User {
    this.users.set(user.id, user);
    this.chats.set(user.id, { id: user.id, type: 'private', first_name: user.first_name, ...(user.username ? { username: user.username } : {}) });
    return user;
  }

  addGroup(chat: Chat, members: Member[]): Chat {
    this.chats.set(chat.id, chat);
    this.members.set(chat.id, new Map(members.map((m) => [m.user.id, m])));
    return chat;
  }

  member(chatId: number, userId: number): Member {
    const user = this.users.get(userId) ?? { id: userId, is_bot: false, first_name: `User ${userId}` };
    return this.members.get(chatId)?.get(userId) ?? { status: 'left', user };
  }

  setMember(chatId: number, member: Member): void {
    if (!this.members.has(chatId)) this.members.set(chatId, new Map());
    this.members.get(chatId)!.set(member.user.id, member);
  }

  nextMessageId(chatId: number): number {
    const next = (this.sequence.get(chatId) ?? 0) + 1;
    this.sequence.set(chatId, next);
    return next;
  }

  store(message: Message): Message {
    if (!this.messages.has(message.chat.id)) this.messages.set(message.chat.id, new Map());
    this.messages.get(message.chat.id)!.set(message.message_id, message);
    return message;
  }

  message(chatId: number, messageId: number): Message | undefined {
    return this.messages.get(chatId)?.get(messageId);
  }

  addFile(data: Buffer, extension: string): StoredFile {
    const n = ++this.fileSeq;
    const file = { file_id: `file-${n}-${extension}`, file_unique_id: `u${n}`, file_path: `files/file_${n}.${extension}`, data };
    this.files.set(file.file_id, file);
    return file;
  }
}
