/**
 * `bots.webhook`: a platform's request to `/bots/<bot_uuid>[/<path>]`, handed to the bot's adapter as
 * `handle_webhook`. Answers are HTTP-shaped so the HTTP extension sends them unchanged; the adapter checks the
 * request's signature itself, as only it knows the platform's scheme.
 */
import { RpcError, RpcErrorCode, type ExtensionContext, type WebhookResponse } from '@langbot-ts/sdk';
import { effectiveAdapterConfig } from './adapter-config.js';
import type { AdapterCatalog } from './adapters.js';
import { invokeContribution } from './invoke.js';
import type { Lifecycle } from './lifecycle.js';
import type { BotStore } from './store.js';

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const strings = (value: unknown): Record<string, string> =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.map(String).join(', ') : String(v)]))
    : {};
const refuse = (status: number, msg: string): WebhookResponse => ({ status, body: { code: status * 100 + 1, msg } });

export async function handleWebhook(ctx: Pick<ExtensionContext, 'call'>, store: BotStore, catalog: AdapterCatalog, lifecycle: Lifecycle, args: Record<string, unknown>): Promise<WebhookResponse> {
  const uuid = text(args?.bot_uuid);
  if (!uuid) throw new RpcError(RpcErrorCode.ValidationFailed, '`bot_uuid` must be a non-empty string.');
  const bot = await store.find(uuid);
  if (!bot) return refuse(404, `No bot '${uuid}'.`);
  const declared = await catalog.find(bot.adapter);
  if (!declared?.webhook) return refuse(404, `The adapter of bot '${bot.name}' takes no webhooks.`);
  if (!lifecycle.isRunning(uuid)) return refuse(503, `Bot '${bot.name}' is not running.`);
  const request = {
    bot_uuid: uuid,
    config: await effectiveAdapterConfig(catalog, bot.adapter, bot.adapter_config),
    method: text(args.method).toUpperCase() || 'POST',
    path: text(args.path),
    headers: strings(args.headers),
    query: strings(args.query),
    body: text(args.body),
  };
  // As long as the HTTP server waits: an adapter may hold the request open for a synchronous reply.
  const answer = (await invokeContribution(ctx, { point: 'adapters', id: bot.adapter, method: 'handle_webhook', args: request, timeoutMs: 150_000 })) as WebhookResponse | undefined;
  return answer && typeof answer.status === 'number' ? answer : { status: 200, body: { code: 0, msg: 'ok' } };
}
