/**
 * Webhook ingress: the HTTP extension hands `GET|POST /bots/<bot_uuid>[/<path>]` to the bot's adapter as a
 * `handle_webhook` call. Requests and answers are plain data so they cross every isolation host.
 */
export interface WebhookRequest {
  bot_uuid: string;
  /** The bot's adapter config (defaults applied). */
  config: Record<string, unknown>;
  method: string;
  /** What follows `/bots/<bot_uuid>`, e.g. `''`, `'/sync'`. */
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  query: Record<string, string>;
  /** The raw body, base64: signatures are computed over exact bytes. */
  body: string;
}

export interface WebhookResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

export const webhookBody = (request: Pick<WebhookRequest, 'body'>): Buffer => Buffer.from(request.body ?? '', 'base64');

export function webhookJson(request: Pick<WebhookRequest, 'body'>): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(webhookBody(request).toString('utf8')) };
  } catch (error) {
    return { ok: false, error: `The body is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}
