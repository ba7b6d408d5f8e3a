/**
 * How the agent handler turns an event into a user message: message text as it is; any other event summarised by
 * a template. Placeholders: {type}, {summary} (the event's own fields as JSON), {group}, {user}, and any top-level
 * field of the event by name ({request_id}, {action}, …).
 */
import { plainText, type UnifiedEvent } from '@langbot-ts/sdk';

export const DEFAULT_EVENT_TEMPLATE = 'A "{type}" event happened on the platform: {summary}\nDecide what to say about it, if anything.';

const COMMON = new Set(['type', 'timestamp', 'bot_uuid', 'adapter_name', 'source_platform_object']);

export function summarize(event: UnifiedEvent): string {
  return JSON.stringify(Object.fromEntries(Object.entries(event).filter(([k]) => !COMMON.has(k))));
}

export function userText(event: UnifiedEvent, template: string): string {
  if (event.type === 'message.received') return plainText(event.message_chain);
  const e = event as Record<string, any>;
  const person = e.member ?? e.user ?? e.sender ?? e.inviter ?? e.operator;
  const fields: Record<string, string> = {
    type: event.type,
    summary: summarize(event),
    group: e.group ? String(e.group.name ?? e.group.id) : '',
    user: person ? String(person.nickname ?? person.id) : '',
  };
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => fields[name] ?? (e[name] !== undefined && typeof e[name] !== 'object' ? String(e[name]) : whole));
}

/** Where an answer goes: the message's chat, the event's group, or the user it is about. */
export function replyTarget(event: UnifiedEvent): { kind: 'reply' } | { kind: 'send'; target_type: 'group' | 'private'; target_id: string | number } | undefined {
  if (event.type === 'message.received') return { kind: 'reply' };
  const e = event as Record<string, any>;
  if (e.group?.id !== undefined) return { kind: 'send', target_type: 'group', target_id: e.group.id };
  const person = e.user ?? e.member;
  if (person?.id !== undefined) return { kind: 'send', target_type: 'private', target_id: person.id };
  return undefined;
}
