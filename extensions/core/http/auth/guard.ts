/**
 * Who is calling: a signed-in account (`Authorization: Bearer <jwt>`) or an API key (`X-API-Key: <key>`, or a
 * Bearer value that is not a valid token). Each route names the kinds it accepts and the permission it needs;
 * the owner account has every permission, a key only its scopes (`*` for all).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../api/envelope.js';
import type { ApiKeyRecord, AuthStore } from './store.js';
import type { TokenService } from './tokens.js';

/** `key`: API keys only (sending messages is for programs, as upstream). */
export type AuthKind = 'none' | 'user' | 'user_or_key' | 'key';

export const PERMISSIONS = [
  'resource.view',
  'resource.manage',
  'runtime.operate',
  'provider_secret.manage',
  'api_key.manage',
  'audit.view',
  'data.export',
  'workspace.update',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type Principal = { kind: 'user'; uuid: string; user: string } | { kind: 'key'; key: ApiKeyRecord } | { kind: 'global_key' };

const bearer = (request: FastifyRequest) => {
  const header = request.headers.authorization;
  return typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : undefined;
};

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export class Guard {
  constructor(
    private readonly store: AuthStore,
    private readonly tokens: TokenService,
    /** `api.global_api_key`: one operator key from the config, full permissions; empty disables it. */
    private readonly globalKey: () => string,
  ) {}

  async authenticate(request: FastifyRequest, kind: AuthKind): Promise<Principal | undefined> {
    if (kind === 'none') return undefined;
    const token = bearer(request);
    if (token && kind !== 'key') {
      const claims = await this.tokens.verify(token);
      if (claims) {
        const account = await this.store.accountByUuid(claims.sub);
        if (account) return { kind: 'user', uuid: account.uuid, user: account.user };
        throw unauthorized('The account of this token no longer exists.');
      }
    }
    if (kind === 'user_or_key' || kind === 'key') {
      const header = request.headers['x-api-key'];
      const key = typeof header === 'string' && header ? header : token;
      if (key) {
        const global = this.globalKey();
        if (global && sameSecret(key, global)) return { kind: 'global_key' };
        const record = await this.store.useApiKey(key);
        if (record) return { kind: 'key', key: record };
        throw unauthorized('The API key is invalid, revoked or expired.');
      }
    }
    throw unauthorized(token ? 'The token is invalid or has expired; sign in again.' : undefined);
  }

  /** Whether a token or API key from outside a request (a WebSocket's first frame) belongs to someone allowed in. */
  async accepts(credential: string): Promise<boolean> {
    const claims = await this.tokens.verify(credential);
    if (claims) return (await this.store.accountByUuid(claims.sub)) !== undefined;
    const global = this.globalKey();
    if (global && sameSecret(credential, global)) return true;
    const key = await this.store.useApiKey(credential);
    return key !== undefined && (key.scopes.includes('*') || key.scopes.includes('runtime.operate'));
  }

  authorize(principal: Principal | undefined, permission: Permission | undefined): void {
    if (!permission || !principal || principal.kind !== 'key') return;
    const scopes = principal.key.scopes;
    if (!scopes.includes('*') && !scopes.includes(permission)) throw forbidden(`This API key lacks the '${permission}' scope.`);
  }
}
