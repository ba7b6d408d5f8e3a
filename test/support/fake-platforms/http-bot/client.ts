/** The "client system" pushing messages into LangBot: signed requests to `<ingress>/bots/<bot_uuid>[/sync|/reset]`. */
import { expectedSignature } from './receiver.js';

export interface InboundOptions {
  /** Signs with this secret; `null` sends no signature headers. */
  secret: string | null;
  path?: '' | '/sync' | '/reset' | string;
  /** Unix seconds; default now. */
  timestamp?: number;
  idempotencyKey?: string;
  /** Sends this signature instead of the right one. */
  signature?: string;
  method?: string;
}

export interface InboundAnswer {
  status: number;
  body: { code: number; msg: string; data?: Record<string, unknown> | null } & Record<string, unknown>;
}

export async function sendInbound(botUrl: string, body: unknown, options: InboundOptions): Promise<InboundAnswer> {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.secret !== null) {
    const ts = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    headers['x-lb-timestamp'] = ts;
    headers['x-lb-signature'] = options.signature ?? expectedSignature(options.secret, ts, raw.toString());
  }
  if (options.idempotencyKey) headers['x-lb-idempotency-key'] = options.idempotencyKey;
  const response = await fetch(`${botUrl}${options.path ?? ''}`, { method: options.method ?? 'POST', headers, body: options.method === 'GET' ? undefined : raw });
  const text = await response.text();
  let parsed: InboundAnswer['body'];
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { code: -1, msg: text };
  }
  return { status: response.status, body: parsed };
}

/** A chat message body: `{session_id, message: [{type: 'Plain', text}]}` plus anything in `extra`. */
export const textMessage = (session_id: string, text: string, extra: Record<string, unknown> = {}) => ({ session_id, message: [{ type: 'Plain', text }], ...extra });
