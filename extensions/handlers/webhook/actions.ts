/**
 * Runs the `actions` a webhook answers with, in order, through the bots service's platform-API gateway:
 *   { "actions": [ { "action": "reply", "params": { "message": "Hi!" } },
 *                  { "action": "approve_friend_request", "params": { "request_id": "r1" } } ] }
 * `reply` answers the event's message; `send_message` and every other platform API (including
 * `call_platform_api`) take the API's own arguments. A message may be a string or a message chain.
 */
import { RpcError, RpcErrorCode, isPlatformApiName, type ExtensionContext, type UnifiedEvent } from '@langbot-ts/sdk';

export interface ActionOutcome {
  action: string;
  ok: boolean;
  result?: unknown;
  error?: string;
}

const asChain = (message: unknown) => (typeof message === 'string' ? [{ type: 'Plain', text: message }] : message);

export async function runActions(ctx: Pick<ExtensionContext, 'call'>, botUuid: string, event: UnifiedEvent, actions: unknown): Promise<ActionOutcome[]> {
  if (actions === undefined) return [];
  if (!Array.isArray(actions)) throw new RpcError(RpcErrorCode.ValidationFailed, 'The webhook answered with `actions` that is not a list.');
  const outcomes: ActionOutcome[] = [];
  for (const raw of actions) {
    const item = (raw ?? {}) as { action?: unknown; type?: unknown; params?: unknown };
    const action = String(item.action ?? item.type ?? '');
    const params = { ...((item.params as Record<string, unknown>) ?? {}) };
    try {
      let api = action;
      if (action === 'reply') {
        if (event.type !== 'message.received') throw new Error(`'reply' needs a message event, not ${event.type}.`);
        api = 'reply_message';
        params.event = event;
      } else if (!isPlatformApiName(action)) throw new Error(`Unknown action '${action}'.`);
      if ('message' in params) params.message = asChain(params.message);
      const result = await ctx.call('bots', 'api', { bot_uuid: botUuid, api, args: params });
      outcomes.push({ action, ok: true, result });
    } catch (error) {
      outcomes.push({ action, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}
