/**
 * Telegram chat ids in unified events. A message in a forum topic is addressed as `<chat id>#<topic id>`, so a
 * pipeline keeps one conversation per topic and replies land in the same topic (upstream's launcher id format).
 */
import { RpcError, RpcErrorCode, type Id } from '@langbot-ts/sdk';

export interface ChatRef {
  chat_id: number | string;
  message_thread_id?: number;
}

/** `@channelusername` stays a string; numeric ids become numbers. */
function chatIdOf(value: string): number | string {
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

export function parseChat(value: unknown, field = 'chat_id'): ChatRef {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return { chat_id: value };
  if (typeof value === 'string' && value.trim()) {
    const [chat, topic] = value.trim().split('#');
    if (topic !== undefined) {
      if (!/^\d+$/.test(topic)) throw new RpcError(RpcErrorCode.ValidationFailed, `\`${field}\` has an invalid topic id: '${value}'.`);
      return { chat_id: chatIdOf(chat), message_thread_id: Number(topic) };
    }
    return { chat_id: chatIdOf(chat) };
  }
  throw new RpcError(RpcErrorCode.ValidationFailed, `\`${field}\` must be a Telegram chat id (a number, '@channel' or '<chat id>#<topic id>').`);
}

export function chatKey(chat_id: number, message_thread_id?: number): Id {
  return message_thread_id === undefined ? chat_id : `${chat_id}#${message_thread_id}`;
}

export function parseInteger(value: unknown, field: string): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new RpcError(RpcErrorCode.ValidationFailed, `\`${field}\` must be an integer id.`);
  return n;
}
