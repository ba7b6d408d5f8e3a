/** Sends planned messages through grammY, falling back to plain text when Telegram cannot parse the formatting. */
import { InputFile, type Api } from 'grammy';
import type { ChatRef } from './ids.js';
import { planChain, renderHtml, renderPlain, splitPieces, type MediaSource, type Op, type Piece, type Rendered } from './outbound.js';
import type { MessageChain } from '@langbot-ts/sdk';

export interface SentMessages {
  /** The first message sent (the one a streamed reply keeps editing). */
  message_id?: number;
  message_ids: number[];
}

type Extra = Record<string, unknown>;

const apiError = (error: unknown) => error as { error_code?: number; description?: string };

/** Telegram's answer when formatting is broken: "Bad Request: can't parse entities: …". */
export const isParseError = (error: unknown) => apiError(error).error_code === 400 && /parse entities|find end (of the )?(entity|tag)|unsupported start tag|unexpected end tag/i.test(apiError(error).description ?? '');
export const isNotModified = (error: unknown) => apiError(error).error_code === 400 && /message is not modified/i.test(apiError(error).description ?? '');

const MIME_EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'audio/ogg': 'ogg', 'audio/mpeg': 'mp3', 'application/pdf': 'pdf' };

function input(source: MediaSource, fallbackName: string, name?: string): string | InputFile {
  if ('url' in source) return source.url;
  if ('file_id' in source) return source.file_id;
  if ('path' in source) return new InputFile(source.path, name);
  const ext = source.mime ? MIME_EXT[source.mime] : undefined;
  return new InputFile(source.data, name ?? (ext ? `${fallbackName}.${ext}` : fallbackName));
}

export class Sender {
  constructor(
    private readonly api: Api,
    private readonly markdown: () => boolean,
    private readonly onFallback: (reason: string) => void = () => undefined,
  ) {}

  /** Sends a chain to a chat; `replyTo` (or the chain's Quote) makes the first message a reply. */
  async send(target: ChatRef, chain: MessageChain, replyTo?: number): Promise<SentMessages> {
    const plan = planChain(chain);
    return this.sendOps(target, plan.ops, replyTo ?? plan.replyTo);
  }

  async sendOps(target: ChatRef, ops: Op[], replyTo?: number): Promise<SentMessages> {
    const sent: number[] = [];
    let reply = replyTo;
    for (const op of ops) {
      const extra: Extra = {
        ...(target.message_thread_id !== undefined ? { message_thread_id: target.message_thread_id } : {}),
        ...(reply !== undefined ? { reply_parameters: { message_id: reply, allow_sending_without_reply: true } } : {}),
      };
      for (const id of await this.sendOp(target, op, extra)) {
        sent.push(id);
        reply = undefined;
      }
    }
    return { ...(sent.length ? { message_id: sent[0] } : {}), message_ids: sent };
  }

  /** Sends text pieces (split when long); the first part carries `extra`'s reply. */
  async sendText(target: ChatRef, pieces: Piece[], extra: Extra): Promise<number[]> {
    const ids: number[] = [];
    for (const [i, part] of splitPieces(pieces).entries()) {
      const message = await this.formatted(part, (r) => this.api.sendMessage(target.chat_id, r.text, { ...(i === 0 ? extra : omitReply(extra)), ...options(r) }));
      ids.push(message.message_id);
    }
    return ids;
  }

  /** Edits a message's text (or caption, for a medium). Unchanged text is not an error. */
  async editText(target: ChatRef, message_id: number, pieces: Piece[]): Promise<void> {
    try {
      await this.formatted(pieces, (r) => this.api.editMessageText(target.chat_id, message_id, r.text, options(r)));
    } catch (error) {
      if (isNotModified(error)) return;
      if (apiError(error).error_code === 400 && /no text in the message/i.test(apiError(error).description ?? '')) {
        await this.formatted(pieces, (r) => this.api.editMessageCaption(target.chat_id, message_id, { caption: r.text, ...(r.parse_mode ? { parse_mode: r.parse_mode } : {}), ...(r.entities ? { caption_entities: r.entities } : {}) }));
        return;
      }
      throw error;
    }
  }

  /** Tries the Markdown rendering first when enabled; plain text when Telegram refuses the markup. */
  async formatted<T>(pieces: Piece[], call: (rendered: Rendered) => Promise<T>): Promise<T> {
    if (this.markdown()) {
      try {
        return await call(renderHtml(pieces));
      } catch (error) {
        if (!isParseError(error)) throw error;
        this.onFallback(apiError(error).description ?? 'parse error');
      }
    }
    return call(renderPlain(pieces));
  }

  private async sendOp(target: ChatRef, op: Op, extra: Extra): Promise<number[]> {
    const chat = target.chat_id;
    switch (op.kind) {
      case 'text':
        return this.sendText(target, op.pieces, extra);
      case 'photo':
        return [(await this.api.sendPhoto(chat, input(op.source, 'image'), extra)).message_id];
      case 'voice':
        return [(await this.api.sendVoice(chat, input(op.source, 'voice.ogg', op.name), extra)).message_id];
      case 'document':
        return [(await this.api.sendDocument(chat, input(op.source, 'file', op.name), extra)).message_id];
      case 'dice':
        return [(await this.api.sendDice(chat, op.emoji, extra)).message_id];
    }
  }
}

function omitReply(extra: Extra): Extra {
  const { reply_parameters: _r, ...rest } = extra;
  return rest;
}

function options(r: Rendered): Extra {
  return { ...(r.parse_mode ? { parse_mode: r.parse_mode } : {}), ...(r.entities ? { entities: r.entities } : {}) };
}
