/** What the pipeline itself says to chat users, in each language the platform speaks (`language` setting). */
import { localize } from '@langbot-ts/sdk';

export const NOTICES = {
  masked: { en_US: 'Your message contains inappropriate content; please rephrase it.', zh_Hans: '消息中存在不合适的内容，请修改后再发送。' },
  rateLimited: { en_US: 'Too many requests; this message was dropped by the rate limiter.', zh_Hans: '请求数超过限速器设定值，已丢弃本消息。' },
  unknownCommand: { en_US: 'Unknown command: {name}', zh_Hans: '未知命令：{name}' },
  permissionDenied: { en_US: 'Permission denied: {name}', zh_Hans: '权限不足：{name}' },
  error: { en_US: 'Error: {detail}', zh_Hans: '错误：{detail}' },
} as const;

export type NoticeKey = keyof typeof NOTICES;

export function notice(key: NoticeKey, language: string, vars: Record<string, string> = {}): string {
  return localize(NOTICES[key], language).replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}
