/**
 * OneBot segments → message chain. `reply` segments are filled with the quoted message and `forward` segments with
 * their nodes when the implementation can answer `get_msg` / `get_forward_msg` (the resolver); otherwise a Quote
 * keeps only the id and a forward stays `Unknown` with its id in `raw`.
 *
 * Stickers (image with `sub_type` 1) stay `Image`: a Face carries only an id, and the picture is what a model sees.
 */
import type { ForwardNode, MessageChain, MessageComponent } from '@langbot-ts/sdk';
import { optionalString, toId } from './ids.js';
import { isSegment, toSegmentList, type Segment } from './segments.js';

export interface InboundResolver {
  /** `get_msg` data for a message id, or undefined when it cannot be fetched. */
  getMessage?(id: string | number): Promise<Record<string, unknown> | undefined>;
  /** `get_forward_msg` data for a forward id, or undefined. */
  getForward?(id: string): Promise<Record<string, unknown> | undefined>;
}

/** Quotes and forwards inside quotes and forwards are not fetched again past this depth. */
const MAX_DEPTH = 2;

const unknown = (raw: unknown, label = 'unsupported content'): MessageComponent => ({
  type: 'Unknown',
  text: isSegment(raw) ? `[${raw.type}]` : `[${label}]`,
  raw,
});

export async function segmentsToChain(message: unknown, resolver: InboundResolver = {}, depth = 0): Promise<MessageChain> {
  const chain: MessageChain = [];
  for (const item of toSegmentList(message)) {
    if (!isSegment(item)) {
      chain.push(unknown(item));
      continue;
    }
    chain.push(await segmentToComponent({ type: item.type, data: item.data ?? {} }, resolver, depth));
  }
  return chain;
}

async function segmentToComponent(segment: Segment, resolver: InboundResolver, depth: number): Promise<MessageComponent> {
  const data = segment.data;
  const file = optionalString(data.file);
  const url = optionalString(data.url) ?? (file && /^https?:\/\//i.test(file) ? file : undefined);
  switch (segment.type) {
    case 'text':
      return typeof data.text === 'string' ? { type: 'Plain', text: data.text } : unknown(segment);
    case 'at': {
      const qq = optionalString(data.qq);
      if (!qq) return unknown(segment);
      if (qq === 'all') return { type: 'AtAll' };
      const display = optionalString(data.name);
      return display ? { type: 'At', target: toId(qq), display } : { type: 'At', target: toId(qq) };
    }
    case 'image':
      return strip({ type: 'Image', image_id: file, url });
    case 'record':
      return strip({ type: 'Voice', voice_id: file, url, path: optionalString(data.path) });
    case 'video':
      return strip({ type: 'File', id: file, name: file?.split(/[\\/]/).pop(), url });
    case 'file': {
      const size = Number(data.file_size ?? data.size);
      return strip({ type: 'File', id: optionalString(data.file_id) ?? file, name: optionalString(data.name) ?? file, size: Number.isFinite(size) ? size : undefined, url, path: optionalString(data.path) });
    }
    case 'face': {
      const id = Number(data.id);
      if (!Number.isFinite(id)) return unknown(segment);
      const name = optionalString((data.raw as Record<string, unknown> | undefined)?.faceText)?.replace(/^\//, '');
      return strip({ type: 'Face', face_type: 'face', face_id: id, face_name: name });
    }
    case 'rps':
    case 'dice': {
      const result = Number(data.result);
      return strip({ type: 'Face', face_type: segment.type, face_id: Number.isFinite(result) ? result : undefined });
    }
    case 'reply':
      return quote(segment, resolver, depth);
    case 'forward':
      return forward(segment, resolver, depth);
    default:
      return unknown(segment);
  }
}

async function quote(segment: Segment, resolver: InboundResolver, depth: number): Promise<MessageComponent> {
  const id = optionalString(segment.data.id);
  if (!id) return unknown(segment);
  const original = depth < MAX_DEPTH ? await resolver.getMessage?.(toId(id)).catch(() => undefined) : undefined;
  if (!original) return { type: 'Quote', id: toId(id), origin: [] };
  const sender = (original.sender ?? {}) as Record<string, unknown>;
  const senderId = sender.user_id ?? original.user_id;
  const origin = await segmentsToChain(original.message, resolver, depth + 1);
  return strip({ type: 'Quote', id: toId(id), sender_id: senderId === undefined ? undefined : toId(senderId), group_id: original.group_id === undefined ? undefined : toId(original.group_id), origin });
}

async function forward(segment: Segment, resolver: InboundResolver, depth: number): Promise<MessageComponent> {
  const id = optionalString(segment.data.id);
  let items: unknown = segment.data.content;
  if (!Array.isArray(items) && id && depth < MAX_DEPTH) {
    const fetched = await resolver.getForward?.(id).catch(() => undefined);
    items = fetched?.messages ?? fetched?.message;
  }
  if (!Array.isArray(items)) return unknown(segment);
  const nodes: ForwardNode[] = [];
  for (const item of items) {
    const node = await forwardNode(item, resolver, depth + 1);
    if (node) nodes.push(node);
  }
  return { type: 'Forward', display: { title: 'Chat history', brief: '[Chat history]' }, node_list: nodes };
}

/** A node is either a `node` segment (`user_id`, `nickname`, `content`) or a whole message as NapCat sends it. */
async function forwardNode(item: unknown, resolver: InboundResolver, depth: number): Promise<ForwardNode | undefined> {
  if (typeof item !== 'object' || item === null) return undefined;
  const record = item as Record<string, unknown>;
  const fields = (record.type === 'node' && typeof record.data === 'object' && record.data !== null ? record.data : record) as Record<string, unknown>;
  const sender = (fields.sender ?? {}) as Record<string, unknown>;
  const senderId = fields.user_id ?? fields.uin ?? sender.user_id;
  const name = optionalString(fields.nickname ?? fields.name ?? sender.nickname);
  return strip({
    sender_id: senderId === undefined ? undefined : toId(senderId),
    sender_name: name,
    message_id: fields.message_id === undefined ? undefined : toId(fields.message_id),
    message_chain: await segmentsToChain(fields.content ?? fields.message, resolver, depth),
  });
}

/** Drops undefined fields, so components validate and compare cleanly. */
function strip<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
