/**
 * Unified message chains → the Telegram messages that show them, in order: consecutive text (with mentions) is
 * one text message, every medium its own message, a Quote makes the first message a reply.
 */
import { plainText, type MessageChain, type MessageComponent } from '@langbot-ts/sdk';
import { escapeHtml, markdownToHtml } from './markdown.js';

/** Telegram's limit for one text message (after parsing), with room for the markup parsing removes. */
export const TEXT_LIMIT = 4000;
export const DICE_EMOJI = ['🎲', '🎯', '🏀', '⚽', '🎳', '🎰'];

export type Piece = { kind: 'text'; text: string } | { kind: 'mention'; user_id: number; display: string };
export type MediaSource = { url: string } | { data: Buffer; mime?: string } | { path: string } | { file_id: string };
export type MediaKind = 'photo' | 'voice' | 'document';

export type Op = { kind: 'text'; pieces: Piece[] } | { kind: MediaKind; source: MediaSource; name?: string } | { kind: 'dice'; emoji: string };

export interface Plan {
  ops: Op[];
  /** The message the first sent message replies to (from a Quote). */
  replyTo?: number;
}

export interface Rendered {
  text: string;
  parse_mode?: 'HTML';
  entities?: { type: 'text_link'; offset: number; length: number; url: string }[];
}

const DATA_URI = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s;

/** Where a medium comes from: a data URI or bare base64, a URL, a local path or a Telegram file id. */
export function mediaSource(c: { url?: string; path?: string; base64?: string }, id: string | undefined): MediaSource | undefined {
  for (const value of [c.base64, c.url]) {
    const match = typeof value === 'string' ? DATA_URI.exec(value) : null;
    if (match) return { data: Buffer.from(match[2], 'base64'), ...(match[1] ? { mime: match[1] } : {}) };
  }
  if (typeof c.base64 === 'string' && c.base64) return { data: Buffer.from(c.base64, 'base64') };
  if (typeof c.url === 'string' && /^https?:\/\//.test(c.url)) return { url: c.url };
  if (typeof c.path === 'string' && c.path) return { path: c.path };
  if (typeof id === 'string' && id) return { file_id: id };
  return undefined;
}

function numericId(target: unknown): number | undefined {
  const n = typeof target === 'number' ? target : typeof target === 'string' && /^\d+$/.test(target) ? Number(target) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export function planChain(chain: MessageChain): Plan {
  const ops: Op[] = [];
  let replyTo: number | undefined;
  const text = (piece: Piece) => {
    const last = ops[ops.length - 1];
    if (last?.kind === 'text') last.pieces.push(piece);
    else ops.push({ kind: 'text', pieces: [piece] });
  };
  const media = (kind: MediaKind, source: MediaSource | undefined, placeholder: string, name?: string) =>
    source ? ops.push({ kind, source, ...(name ? { name } : {}) }) : text({ kind: 'text', text: placeholder });
  for (const c of chain as MessageComponent[]) {
    switch (c.type) {
      case 'Plain':
        text({ kind: 'text', text: c.text });
        break;
      case 'At': {
        const id = numericId(c.target);
        const name = c.display || String(c.target).replace(/^@/, '');
        if (id !== undefined) text({ kind: 'mention', user_id: id, display: `@${name}` });
        else text({ kind: 'text', text: `@${name}` });
        break;
      }
      case 'AtAll':
        // Telegram has no mention of everyone.
        text({ kind: 'text', text: '@all' });
        break;
      case 'Image':
        media('photo', mediaSource(c, c.image_id), '[Image]');
        break;
      case 'Voice':
        media('voice', mediaSource(c, c.voice_id), '[Voice]');
        break;
      case 'File':
        media('document', mediaSource(c, c.id), `[File] ${c.name ?? ''}`.trim(), c.name);
        break;
      case 'Face':
        if (c.face_type === 'dice') ops.push({ kind: 'dice', emoji: DICE_EMOJI.includes(c.face_name ?? '') ? c.face_name! : '🎲' });
        else text({ kind: 'text', text: c.face_name ? (/^\p{Extended_Pictographic}/u.test(c.face_name) ? c.face_name : `[${c.face_name}]`) : '[Face]' });
        break;
      case 'Forward': {
        const title = c.display?.title ?? 'Forwarded messages';
        const body = c.node_list.map((n) => `${n.sender_name ?? (n.sender_id !== undefined ? String(n.sender_id) : 'Someone')}: ${plainText(n.message_chain)}`);
        text({ kind: 'text', text: [`[${title}]`, ...body].join('\n') });
        break;
      }
      case 'Quote': {
        const id = numericId(c.id);
        if (replyTo === undefined && id !== undefined) replyTo = id;
        break;
      }
      default:
        // Source, Unknown and Platform parts have nothing to show.
        break;
    }
  }
  const kept = ops.filter((op) => op.kind !== 'text' || op.pieces.some((p) => p.kind === 'mention' || p.text.trim() !== ''));
  return { ops: kept, ...(replyTo !== undefined ? { replyTo } : {}) };
}

const length = (p: Piece) => (p.kind === 'text' ? p.text.length : p.display.length);

/** Splits text pieces into messages under the limit, preferring line breaks. */
export function splitPieces(pieces: Piece[], limit = TEXT_LIMIT): Piece[][] {
  const out: Piece[][] = [[]];
  let size = 0;
  const next = () => {
    if (out[out.length - 1].length > 0) out.push([]);
    size = 0;
  };
  const add = (piece: Piece) => {
    out[out.length - 1].push(piece);
    size += length(piece);
  };
  for (const piece of pieces) {
    if (piece.kind === 'mention') {
      if (size + length(piece) > limit) next();
      add(piece);
      continue;
    }
    let rest = piece.text;
    while (size + rest.length > limit) {
      const room = limit - size;
      const cut = rest.lastIndexOf('\n', room - 1);
      // Break after a line when one ends in the second half of the room; else start afresh, or cut a full chunk.
      const at = cut >= 0 && cut + 1 > room / 2 ? cut + 1 : size > 0 ? 0 : room;
      if (at > 0) add({ kind: 'text', text: rest.slice(0, at) });
      rest = rest.slice(at);
      next();
    }
    if (rest) add({ kind: 'text', text: rest });
  }
  return out.filter((chunk) => chunk.length > 0);
}

export function renderHtml(pieces: Piece[]): Rendered {
  const html = pieces.map((p) => (p.kind === 'text' ? markdownToHtml(p.text) : `<a href="tg://user?id=${p.user_id}">${escapeHtml(p.display)}</a>`)).join('');
  return { text: html, parse_mode: 'HTML' };
}

/** Plain text; mentions of users by id stay links (`tg://user?id=`) through entities. */
export function renderPlain(pieces: Piece[]): Rendered {
  let text = '';
  const entities: NonNullable<Rendered['entities']> = [];
  for (const p of pieces) {
    if (p.kind === 'mention') entities.push({ type: 'text_link', offset: text.length, length: p.display.length, url: `tg://user?id=${p.user_id}` });
    text += p.kind === 'text' ? p.text : p.display;
  }
  return entities.length ? { text, entities } : { text };
}

/** The text a chain shows, as one string: what streamed replies compare between chunks. */
export const piecesText = (pieces: Piece[]) => pieces.map((p) => (p.kind === 'text' ? p.text : p.display)).join('');
