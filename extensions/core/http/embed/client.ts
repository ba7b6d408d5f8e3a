/**
 * Calls into the `embed` service of the web page adapter (langbot.adapter-web-page). That extension being off, or
 * the bot's adapter not running, is a 503 the widget can show, not an internal error.
 */
import { RpcError, RpcErrorCode, type ExtensionContext } from '@langbot-ts/sdk';
import { ApiError } from '../api/envelope.js';

const unavailable = (msg: string) => new ApiError(503, 'service_unavailable', msg);

export class EmbedClient {
  constructor(private readonly ctx: Pick<ExtensionContext, 'call' | 'stream'>) {}

  async call<T>(method: string, args: Record<string, unknown>): Promise<T> {
    try {
      return await this.ctx.call<T>('embed', method, args);
    } catch (error) {
      throw this.translate(error, args.bot_uuid);
    }
  }

  stream<T>(method: string, args: Record<string, unknown>): AsyncIterable<T> {
    return this.ctx.stream<T>('embed', method, args);
  }

  private translate(error: unknown, bot_uuid: unknown): unknown {
    if (!RpcError.is(error)) return error;
    const details = error.details ?? {};
    if (error.code === RpcErrorCode.NotFound && details.service === 'embed') return unavailable('The web page adapter (langbot.adapter-web-page) is not running.');
    if (error.code === RpcErrorCode.Unavailable) return unavailable('The web page adapter (langbot.adapter-web-page) is not running.');
    if (error.code === RpcErrorCode.NotFound && details.bot_uuid !== undefined) return unavailable(`Bot '${String(bot_uuid)}' is not running; see its status in the console.`);
    return error;
  }
}

/** The visitor's session token from `Authorization: Bearer <token>`. */
export function bearerToken(header: unknown): string | undefined {
  return typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : undefined;
}
