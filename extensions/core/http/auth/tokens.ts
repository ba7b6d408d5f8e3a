/** Sign-in tokens: HS256 JWTs with issuer, audience (this instance) and expiry, verified with jose. */
import { SignJWT, jwtVerify } from 'jose';

export const ISSUER = 'langbot-core';

export interface TokenClaims {
  sub: string;
  user: string;
}

export class TokenService {
  private readonly key: Uint8Array;
  private readonly audience: string;

  constructor(secret: string, instanceUuid: string, private readonly ttlSeconds: number) {
    this.key = new TextEncoder().encode(secret);
    this.audience = `langbot-instance:${instanceUuid}`;
  }

  issue(claims: TokenClaims): Promise<string> {
    return new SignJWT({ user: claims.user })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.sub)
      .setIssuer(ISSUER)
      .setAudience(this.audience)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  /** The claims of a valid token, or undefined for anything else (bad signature, expired, other instance). */
  async verify(token: string): Promise<TokenClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: this.audience, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
      return typeof payload.sub === 'string' && typeof payload.user === 'string' ? { sub: payload.sub, user: payload.user } : undefined;
    } catch {
      return undefined;
    }
  }
}
