/**
 * Streamed replies by editing: the first chunk is sent as a message, later chunks (each the whole text so far)
 * edit it — at most one edit per message every EDIT_INTERVAL_MS, skipping unchanged text, but always the final
 * text. Media in the final chunk follow as messages of their own.
 */
import type { MessageChain } from '@langbot-ts/sdk';
import type { ChatRef } from './ids.js';
import { planChain, splitPieces, piecesText, type Piece } from './outbound.js';
import type { Sender } from './send.js';

export const EDIT_INTERVAL_MS = 1_000;
const MAX_STREAMS = 500;

interface StreamState {
  text: string;
  editedAt: number;
}

export class Streamer {
  private readonly streams = new Map<string, StreamState>();

  constructor(
    private readonly sender: Sender,
    private readonly now: () => number = Date.now,
  ) {}

  async chunk(target: ChatRef, message_id: number | undefined, chain: MessageChain, replyTo: number | undefined, is_final: boolean): Promise<{ message_id?: number }> {
    const plan = planChain(chain);
    const pieces: Piece[] = plan.ops.flatMap((op) => (op.kind === 'text' ? op.pieces : []));
    const [first = [], ...overflow] = splitPieces(pieces);
    const text = piecesText(first);
    const key = (id: number) => `${String(target.chat_id)}:${id}`;
    let id = message_id;

    if (id === undefined) {
      if (text.trim() === '' && !is_final) return {};
      if (text.trim() !== '') {
        const extra = {
          ...(target.message_thread_id !== undefined ? { message_thread_id: target.message_thread_id } : {}),
          ...(replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
        };
        [id] = await this.sender.sendText(target, first, extra);
        this.remember(key(id), { text, editedAt: this.now() });
      }
    } else {
      const state = this.streams.get(key(id)) ?? { text: '', editedAt: 0 };
      const due = is_final || this.now() - state.editedAt >= EDIT_INTERVAL_MS;
      if (text !== state.text && text.trim() !== '' && due) {
        await this.sender.editText(target, id, first);
        this.remember(key(id), { text, editedAt: this.now() });
      }
    }

    if (is_final) {
      if (id !== undefined) this.streams.delete(key(id));
      const rest = [...overflow.map((part) => ({ kind: 'text' as const, pieces: part })), ...plan.ops.filter((op) => op.kind !== 'text')];
      if (rest.length) await this.sender.sendOps(target, rest);
    }
    return id === undefined ? {} : { message_id: id };
  }

  get size(): number {
    return this.streams.size;
  }

  private remember(key: string, state: StreamState): void {
    this.streams.delete(key);
    this.streams.set(key, state);
    // Streams that never finished (a failed run) are forgotten oldest first.
    while (this.streams.size > MAX_STREAMS) this.streams.delete(this.streams.keys().next().value!);
  }
}
