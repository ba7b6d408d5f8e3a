/**
 * Calls to Discord's REST API through discord.js's REST client, with Discord's errors turned into clear RpcErrors
 * (status → code, Discord's own message and error code kept, secrets redacted) and results made JSON-safe.
 */
import { RpcError, RpcErrorCode, type Redactor } from '@langbot-ts/sdk';
import { DiscordAPIError, HTTPError, type REST, type RequestData, type RouteLike } from 'discord.js';

type Json = Record<string, any>;

const STATUS_CODES: Record<number, string> = {
  400: RpcErrorCode.ValidationFailed,
  401: RpcErrorCode.Unauthorized,
  403: RpcErrorCode.PermissionDenied,
  404: RpcErrorCode.NotFound,
  429: RpcErrorCode.Unavailable,
};

export function discordError(error: unknown, method: string, route: string, redact: Redactor): Error {
  if (error instanceof RpcError) return error;
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    const code = STATUS_CODES[error.status] ?? RpcErrorCode.Unavailable;
    const detail = error instanceof DiscordAPIError ? ` (Discord error ${error.code})` : '';
    return new RpcError(code, redact(`Discord answered ${error.status} to ${method} ${route}: ${error.message}${detail}`), { status: error.status, ...(error instanceof DiscordAPIError ? { discord_code: error.code } : {}) });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RpcError(RpcErrorCode.Unavailable, redact(`Discord could not be reached for ${method} ${route}: ${message}`));
}

/** A JSON-safe copy of a REST answer: 204 (an empty body) becomes `undefined`. */
function plain(value: unknown): unknown {
  if (value === undefined || value === null || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return undefined;
  return JSON.parse(JSON.stringify(value));
}

export class DiscordCalls {
  constructor(
    private readonly rest: REST,
    private readonly redact: Redactor,
  ) {}

  private async call(method: 'get' | 'post' | 'patch' | 'put' | 'delete', route: RouteLike, options?: RequestData): Promise<any> {
    try {
      return plain(await this.rest[method](route, options));
    } catch (error) {
      throw discordError(error, method.toUpperCase(), route, this.redact);
    }
  }

  get = (route: RouteLike, options?: RequestData) => this.call('get', route, options);
  post = (route: RouteLike, options?: RequestData) => this.call('post', route, options);
  patch = (route: RouteLike, options?: RequestData) => this.call('patch', route, options);
  put = (route: RouteLike, options?: RequestData) => this.call('put', route, options);
  delete = (route: RouteLike, options?: RequestData) => this.call('delete', route, options);
}

const SNOWFLAKE = /^\d{1,20}$/;

/** A Discord id argument: a snowflake given as a string (or a number that is still exact). */
export function snowflakeArg(args: Json | undefined, name: string): string {
  const value = args?.[name];
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !SNOWFLAKE.test(text)) {
    throw new RpcError(RpcErrorCode.ValidationFailed, `\`${name}\` must be a Discord id (a snowflake such as "123456789012345678"); got ${JSON.stringify(value ?? null)}.`);
  }
  return text;
}

export function stringArg(args: Json | undefined, name: string, options: { optional?: boolean } = {}): string | undefined {
  const value = args?.[name];
  if (value === undefined || value === null) {
    if (options.optional) return undefined;
    throw new RpcError(RpcErrorCode.ValidationFailed, `\`${name}\` is required.`);
  }
  if (typeof value !== 'string' || value === '') throw new RpcError(RpcErrorCode.ValidationFailed, `\`${name}\` must be a non-empty string.`);
  return value;
}
