/**
 * Unified message chains → Discord message payloads. Text is split at Discord's 2000-character limit (at a line
 * break or space where possible); At → `<@id>`, AtAll → `@everyone`; media become attachments (at most 10 per
 * message); Quote → message_reference; Forward is flattened to text; Face → `:name:`. `allowed_mentions` pings
 * exactly the At / AtAll parts of the chain, so an `@everyone` that a model writes as plain text pings nobody.
 */
import type { File as FileComponent, Image, MessageChain, MessageComponent, Voice } from '@langbot-ts/sdk';
import { plainText } from '@langbot-ts/sdk';

type Json = Record<string, any>;

export const MAX_CONTENT = 2000;
export const MAX_ATTACHMENTS = 10;

export type MediaComponent = Image | Voice | FileComponent;

export interface OutboundDraft {
  text: string;
  media: MediaComponent[];
  /** The message a Quote component points at. */
  quoteId?: string;
  mentionUsers: string[];
  everyone: boolean;
  embeds: Json[];
  components: Json[];
}

export interface UploadFile {
  name: string;
  data: Buffer;
  contentType?: string;
}

export interface MessagePayload {
  body: Json;
  files: UploadFile[];
}

function componentText(c: MessageComponent): string {
  switch (c.type) {
    case 'Plain':
      return c.text;
    case 'At':
      return `<@${c.target}>`;
    case 'AtAll':
      return '@everyone';
    case 'Face':
      return c.face_name ? `:${c.face_name}:` : '';
    case 'Forward':
      return c.node_list.map((n) => `${n.sender_name ?? (n.sender_id !== undefined ? `<@${n.sender_id}>` : '')}: ${plainText(n.message_chain.filter((x) => x.type !== 'Source'))}`.trim()).join('\n');
    case 'Unknown':
      return c.text;
    default:
      return '';
  }
}

export function chainToDraft(chain: MessageChain): OutboundDraft {
  const draft: OutboundDraft = { text: '', media: [], mentionUsers: [], everyone: false, embeds: [], components: [] };
  for (const c of chain) {
    if (c.type === 'Image' || c.type === 'Voice' || c.type === 'File') draft.media.push(c);
    else if (c.type === 'Quote' && c.id !== undefined) draft.quoteId ??= String(c.id);
    else if (c.type === 'At' && !draft.mentionUsers.includes(String(c.target))) draft.mentionUsers.push(String(c.target));
    else if (c.type === 'AtAll') draft.everyone = true;
    else if (c.type === 'Platform' && c.platform === 'discord' && c.component_type === 'embed' && c.data) draft.embeds.push(c.data);
    else if (c.type === 'Platform' && c.platform === 'discord' && c.component_type === 'components' && Array.isArray(c.data?.components)) draft.components.push(...(c.data.components as Json[]));
    if (c.type === 'Forward' && draft.text && !draft.text.endsWith('\n')) draft.text += '\n';
    draft.text += componentText(c);
  }
  return draft;
}

/** Splits text into pieces of at most `limit` characters, preferring a line break, then a space, as the cut. */
export function splitText(text: string, limit = MAX_CONTENT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = window.lastIndexOf('\n');
    if (cut < limit / 2) cut = window.lastIndexOf(' ');
    if (cut < limit / 2) cut = limit;
    // Never cut a surrogate pair in two.
    if (cut === limit && /[\uD800-\uDBFF]/.test(rest[cut - 1])) cut--;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest || parts.length === 0) parts.push(rest);
  return parts;
}

export function allowedMentions(draft: Pick<OutboundDraft, 'mentionUsers' | 'everyone'>): Json {
  return { parse: draft.everyone ? ['everyone'] : [], users: draft.mentionUsers.slice(0, 100), replied_user: true };
}

/**
 * The messages to send for a draft whose media are already read: text pieces first (the first one carries the
 * reply reference, embeds and components), the attachments with the last piece, ten at a time.
 */
export function buildPayloads(draft: OutboundDraft, files: UploadFile[], options: { replyTo?: string } = {}): MessagePayload[] {
  const texts = draft.text ? splitText(draft.text) : [];
  const batches: UploadFile[][] = [];
  for (let i = 0; i < files.length; i += MAX_ATTACHMENTS) batches.push(files.slice(i, i + MAX_ATTACHMENTS));
  const count = Math.max(texts.length, 1) + Math.max(batches.length - 1, 0);
  const payloads: MessagePayload[] = [];
  const mentions = allowedMentions(draft);
  const replyTo = options.replyTo ?? draft.quoteId;
  for (let i = 0; i < count; i++) {
    const body: Json = { allowed_mentions: mentions };
    if (texts[i]) body.content = texts[i];
    if (i === 0) {
      if (replyTo) body.message_reference = { message_id: replyTo, fail_if_not_exists: false };
      if (draft.embeds.length) body.embeds = draft.embeds.slice(0, 10);
      if (draft.components.length) body.components = draft.components.slice(0, 5);
    }
    const batch = i >= Math.max(texts.length, 1) - 1 ? batches[i - (Math.max(texts.length, 1) - 1)] : undefined;
    payloads.push({ body, files: batch ?? [] });
  }
  return payloads.filter((p) => p.body.content || p.files.length || p.body.embeds || p.body.components);
}
