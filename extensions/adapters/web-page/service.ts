/**
 * The `embed` service, which the HTTP server's public `/api/v1/embed/*` routes bridge into: session tokens (after a
 * Turnstile check when the bot has a secret), the visitor's sockets frame by frame, history, reset and feedback.
 * The HTTP server checks the bot (adapter, enabled, pipeline) and the visitor's token before calling the rest.
 */
import { randomBytes } from 'node:crypto';
import { RpcError, RpcErrorCode, type BotRegistry, type ExtensionContext, type Implementation } from '@langbot-ts/sdk';
import type { WebPageBot } from './bot.js';
import type { Connection } from './connection.js';
import type { ChatSession, SessionType } from './sessions.js';
import { issueSessionToken, sessionKey, verifySessionToken } from './session-token.js';
import { verifyTurnstile } from './turnstile.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SECRET_KEY = 'session_secret';

const invalid = (message: string) => new RpcError(RpcErrorCode.ValidationFailed, message);

function sessionOf(args: { session_type?: unknown; session_id?: unknown }): { type: SessionType; session_id: string } {
  const type = args.session_type ?? 'person';
  if (type !== 'person' && type !== 'group') throw invalid("`session_type` must be 'person' or 'group'.");
  if (typeof args.session_id !== 'string' || !UUID.test(args.session_id)) throw invalid('`session_id` must be a UUID (the widget makes one with crypto.randomUUID()).');
  return { type, session_id: args.session_id.toLowerCase() };
}

/** This server's own signing secret, made once and kept in the extension's key-value store. */
function serverSecret(ctx: Pick<ExtensionContext, 'call'>): () => Promise<string> {
  let secret: Promise<string> | undefined;
  const load = async () => {
    const stored = await ctx.call<{ value: unknown }>('kv', 'get', { key: SECRET_KEY });
    if (typeof stored?.value === 'string' && stored.value.length >= 64) return stored.value;
    const fresh = randomBytes(32).toString('hex');
    await ctx.call('kv', 'set', { key: SECRET_KEY, value: fresh });
    return fresh;
  };
  return () =>
    (secret ??= load().catch((error) => {
      secret = undefined;
      throw error;
    }));
}

type SessionAnswer = { token: string; expires_at: number; turnstile: boolean } | { error: 'token_required' | 'turnstile_failed' | 'turnstile_unavailable'; message: string };

export function embedService(ctx: Pick<ExtensionContext, 'call' | 'log' | 'config'>, registry: BotRegistry<WebPageBot>): Implementation {
  const secret = serverSecret(ctx);
  const keyFor = async (bot: WebPageBot) => sessionKey(bot.config.turnstile_secret_key || (await secret()), bot.bot_uuid);
  const live = new Map<string, { bot: WebPageBot; session: ChatSession; connection: Connection }>();
  const socket = (id: unknown) => {
    const found = typeof id === 'string' ? live.get(id) : undefined;
    if (!found) throw new RpcError(RpcErrorCode.NotFound, `No web page connection '${String(id)}'.`);
    return found;
  };

  return {
    session: async (args: { bot_uuid?: unknown; turnstile_token?: unknown; remote_ip?: unknown }): Promise<SessionAnswer> => {
      const bot = registry.get(args?.bot_uuid);
      const turnstileSecret = bot.config.turnstile_secret_key;
      if (turnstileSecret) {
        const response = typeof args.turnstile_token === 'string' ? args.turnstile_token.trim() : '';
        if (!response) return { error: 'token_required', message: '`token` (the Turnstile response) is required: this bot checks visitors with Turnstile.' };
        const verdict = await verifyTurnstile(String(ctx.config.turnstileVerifyUrl), turnstileSecret, response, typeof args.remote_ip === 'string' ? args.remote_ip : undefined);
        if (!verdict.ok) {
          ctx.log.warn(`A web page visitor was refused: ${verdict.reason}`, { bot: bot.bot_uuid });
          return { error: verdict.unreachable ? 'turnstile_unavailable' : 'turnstile_failed', message: verdict.reason };
        }
      }
      return { ...issueSessionToken(await keyFor(bot)), turnstile: Boolean(turnstileSecret) };
    },

    check: async (args: { bot_uuid?: unknown; token?: unknown }) => ({ valid: verifySessionToken(await keyFor(registry.get(args?.bot_uuid)), args.token) }),

    open: (args: { bot_uuid?: unknown; session_type?: unknown; session_id?: unknown }) => {
      const bot = registry.get(args?.bot_uuid);
      const { type, session_id } = sessionOf(args);
      const { connection, session } = bot.open(type, session_id);
      live.set(connection.id, { bot, session, connection });
      connection.whenClosed(() => live.delete(connection.id));
      return { connection_id: connection.id };
    },
    send: (args: { connection_id?: unknown; frame?: unknown }) => {
      const { bot, session, connection } = socket(args?.connection_id);
      bot.receive(session, connection, typeof args.frame === 'string' ? args.frame : JSON.stringify(args.frame));
      return { ok: true };
    },
    frames: (args: { connection_id?: unknown }) => socket(args?.connection_id).connection.frames(),
    close: (args: { connection_id?: unknown }) => {
      live.get(String(args?.connection_id))?.connection.close('Closed by the server.');
      return { ok: true };
    },

    history: (args: { bot_uuid?: unknown; session_type?: unknown; session_id?: unknown }) => {
      const { type, session_id } = sessionOf(args ?? {});
      return { messages: registry.get(args.bot_uuid).history(type, session_id) };
    },
    reset: (args: { bot_uuid?: unknown; session_type?: unknown; session_id?: unknown }) => {
      const { type, session_id } = sessionOf(args ?? {});
      return registry.get(args.bot_uuid).reset(type, session_id);
    },
    feedback: (args: { bot_uuid?: unknown; session_type?: unknown; session_id?: unknown; feedback_type?: unknown; message_id?: unknown; feedback_content?: unknown }) => {
      const { type, session_id } = sessionOf(args ?? {});
      const feedback_type = args.feedback_type;
      if (feedback_type !== 1 && feedback_type !== 2 && feedback_type !== 3) throw invalid('`feedback_type` must be 1 (like), 2 (dislike) or 3 (cancel).');
      if (args.message_id !== undefined && typeof args.message_id !== 'string') throw invalid('`message_id` must be a string.');
      if (args.feedback_content !== undefined && typeof args.feedback_content !== 'string') throw invalid('`feedback_content` must be a string.');
      return registry.get(args.bot_uuid).feedback({
        session_type: type,
        session_id,
        feedback_type,
        ...(args.message_id ? { message_id: args.message_id } : {}),
        ...(args.feedback_content ? { feedback_content: args.feedback_content } : {}),
      });
    },
  };
}
