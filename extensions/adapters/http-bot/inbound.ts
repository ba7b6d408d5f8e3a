/**
 * Inbound bodies → unified events. A body is `{session_id, session_type?, sender?: {id, name}, message: [segments]}`
 * where the segments are message-chain components as LangBot dumps them (`{type: 'Plain', text}`,
 * `{type: 'Image', url}`, …). Segments of unknown types become `Unknown` components keeping the raw segment;
 * `Text` is read as `Plain` (upstream's examples use it); a client's own `Source` segments are dropped, as the
 * message id is assigned here.
 */
import { randomUUID } from 'node:crypto';
import { decodeChain, type EventDraft, type MessageChain, type User } from '@langbot-ts/sdk';
import type { SessionType } from './config.js';

export interface InboundMessage {
  session_id: string;
  session_type: SessionType;
  sender?: { id?: string; name?: string };
  message: MessageChain;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const idText = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined);

/** The session a request is about: `{session_id, session_type?}`, shared by messages and /reset. */
export function parseSession(body: unknown, fallback: SessionType): Parsed<{ session_id: string; session_type: SessionType }> {
  if (!isRecord(body)) return { ok: false, error: 'The body must be a JSON object.' };
  const session_id = idText(body.session_id);
  if (session_id === undefined) return { ok: false, error: '`session_id` is required: a non-empty string (or number).' };
  if (session_id.length > 256) return { ok: false, error: '`session_id` must be at most 256 characters.' };
  const type = body.session_type ?? fallback;
  if (type !== 'person' && type !== 'group') return { ok: false, error: "`session_type` must be 'person' or 'group'." };
  return { ok: true, value: { session_id, session_type: type } };
}

export function parseInbound(body: unknown, fallback: SessionType): Parsed<InboundMessage> {
  const session = parseSession(body, fallback);
  if (!session.ok) return session;
  const record = body as Record<string, unknown>;
  if (!Array.isArray(record.message)) return { ok: false, error: '`message` is required: an array of message segments.' };
  if (record.sender !== undefined && record.sender !== null && !isRecord(record.sender)) return { ok: false, error: '`sender` must be an object `{id, name}`.' };
  const segments = record.message.map((segment) => (isRecord(segment) && segment.type === 'Text' ? { ...segment, type: 'Plain' } : segment));
  const message = decodeChain(segments).filter((component) => component.type !== 'Source');
  const sender = isRecord(record.sender) ? { id: idText(record.sender.id), name: typeof record.sender.name === 'string' ? record.sender.name : undefined } : undefined;
  return { ok: true, value: { ...session.value, ...(sender ? { sender } : {}), message } };
}

export const newMessageId = () => `in_${randomUUID().replace(/-/g, '')}`;

/** A person session is a private chat with the session id as peer; a group session is a group with that id. */
export function toEvent(inbound: InboundMessage, message_id: string, now = Date.now() / 1000): EventDraft {
  const sender: User = { id: inbound.sender?.id ?? inbound.session_id };
  if (inbound.sender?.name) sender.nickname = inbound.sender.name;
  const chain: MessageChain = [{ type: 'Source', id: message_id, time: now }, ...inbound.message];
  const common = { type: 'message.received' as const, timestamp: now, message_id, message_chain: chain, sender };
  return inbound.session_type === 'group'
    ? { ...common, chat_type: 'group', chat_id: inbound.session_id, group: { id: inbound.session_id } }
    : { ...common, chat_type: 'private', chat_id: inbound.session_id };
}
