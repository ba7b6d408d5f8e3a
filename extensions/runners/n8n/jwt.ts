/** A compact JWS (HMAC) signed with node:crypto, for n8n webhooks that check a JWT. */
import { createHmac } from 'node:crypto';
import type { JwtAlgorithm } from './settings.js';

const HASHES: Record<JwtAlgorithm, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJwt(claims: Record<string, unknown>, secret: string, algorithm: JwtAlgorithm): string {
  const unsigned = `${encode({ alg: algorithm, typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac(HASHES[algorithm], secret).update(unsigned).digest('base64url')}`;
}
