/** The headers that authenticate a call to the webhook, as its Authentication setting expects. */
import { signJwt } from './jwt.js';
import type { N8nAuth } from './settings.js';

/** A token lives only as long as one call could need it. */
const JWT_LIFETIME_S = 300;

export function authHeaders(auth: N8nAuth, userId: string, now = Date.now()): Record<string, string> {
  switch (auth.type) {
    case 'none':
      return {};
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
    case 'jwt': {
      const iat = Math.floor(now / 1000);
      return { authorization: `Bearer ${signJwt({ iss: 'langbot', sub: userId, iat, exp: iat + JWT_LIFETIME_S }, auth.secret, auth.algorithm)}` };
    }
    case 'header':
      return { [auth.name]: auth.value };
  }
}
