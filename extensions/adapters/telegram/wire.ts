/**
 * The parts of Bot API objects this adapter reads. Everything is optional: updates come from the network, so every
 * field is checked where it is used rather than trusted because a type says so.
 */
export interface TgUser {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  last_name?: string;
  username?: string;
}

export interface TgChat {
  id: number;
  type?: 'private' | 'group' | 'supergroup' | 'channel' | string;
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
  description?: string;
  is_forum?: boolean;
  permissions?: Record<string, boolean>;
}

export interface TgEntity {
  type: string;
  offset: number;
  length: number;
  user?: TgUser;
  url?: string;
}

export interface TgFile {
  file_id: string;
  file_unique_id?: string;
  file_size?: number;
  file_name?: string;
  mime_type?: string;
  duration?: number;
  width?: number;
  height?: number;
  emoji?: string;
}

export interface TgOrigin {
  type: 'user' | 'hidden_user' | 'chat' | 'channel' | string;
  date?: number;
  sender_user?: TgUser;
  sender_user_name?: string;
  sender_chat?: TgChat;
  chat?: TgChat;
  message_id?: number;
  author_signature?: string;
}

export interface TgMessage {
  message_id: number;
  date?: number;
  edit_date?: number;
  chat: TgChat;
  from?: TgUser;
  sender_chat?: TgChat;
  message_thread_id?: number;
  is_topic_message?: boolean;
  text?: string;
  entities?: TgEntity[];
  caption?: string;
  caption_entities?: TgEntity[];
  photo?: TgFile[];
  voice?: TgFile;
  audio?: TgFile & { title?: string; performer?: string };
  document?: TgFile;
  video?: TgFile;
  animation?: TgFile;
  video_note?: TgFile;
  sticker?: TgFile & { set_name?: string };
  dice?: { emoji?: string; value?: number };
  reply_to_message?: TgMessage;
  quote?: { text?: string };
  forward_origin?: TgOrigin;
  new_chat_members?: TgUser[];
  left_chat_member?: TgUser;
  new_chat_title?: string;
  new_chat_photo?: TgFile[];
  delete_chat_photo?: boolean;
  [key: string]: unknown;
}

export interface TgChatMember {
  status: 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked' | string;
  user: TgUser;
  is_member?: boolean;
  can_send_messages?: boolean;
  until_date?: number;
  custom_title?: string;
}

export interface TgChatMemberUpdated {
  chat: TgChat;
  from?: TgUser;
  date?: number;
  old_chat_member: TgChatMember;
  new_chat_member: TgChatMember;
  invite_link?: unknown;
  via_join_request?: boolean;
}

export interface TgReaction {
  type: 'emoji' | 'custom_emoji' | 'paid' | string;
  emoji?: string;
  custom_emoji_id?: string;
}

export interface TgReactionUpdated {
  chat: TgChat;
  message_id: number;
  user?: TgUser;
  actor_chat?: TgChat;
  date?: number;
  old_reaction?: TgReaction[];
  new_reaction?: TgReaction[];
}

export type TgUpdate = { update_id: number } & Record<string, unknown>;

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
export const isChat = (value: unknown): value is TgChat => isObject(value) && Number.isSafeInteger(value.id);
export const isUser = (value: unknown): value is TgUser => isObject(value) && Number.isSafeInteger(value.id);
export const isMessage = (value: unknown): value is TgMessage => isObject(value) && Number.isSafeInteger(value.message_id) && isChat(value.chat);
