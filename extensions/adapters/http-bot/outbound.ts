/**
 * Replies → callback bodies. `message` is the reply's chain as LangBot dumps it (the same segment format as inbound).
 * A streamed reply is one callback per chunk, each carrying the whole text so far (not a delta), `stream: true`, and
 * `is_final: true` on the last; `message_id` (an addition to upstream's body) is shared by the chunks of one reply,
 * so a receiver shows the latest callback per `message_id`.
 */
import { randomUUID } from 'node:crypto';
import { encodeChain, type MessageChain } from '@langbot-ts/sdk';

export interface CallbackBody {
  session_id: string;
  /** The inbound message this answers; null for messages the bot sends on its own. */
  reply_to: string | null;
  /** 1-based, strictly increasing per session (restarts after /reset or 60 s without activity). */
  sequence: number;
  is_final: boolean;
  stream: boolean;
  message: unknown[];
  /** ISO 8601. */
  timestamp: string;
  message_id: string;
}

export interface Reply {
  session_id: string;
  reply_to: string | null;
  message_id: string;
  is_final: boolean;
  stream: boolean;
  chain: MessageChain;
}

export const newReplyId = () => `out_${randomUUID().replace(/-/g, '')}`;

export function callbackBody(reply: Reply, sequence: number, now = new Date()): CallbackBody {
  return {
    session_id: reply.session_id,
    reply_to: reply.reply_to,
    sequence,
    is_final: reply.is_final,
    stream: reply.stream,
    message: encodeChain(reply.chain),
    timestamp: now.toISOString(),
    message_id: reply.message_id,
  };
}
