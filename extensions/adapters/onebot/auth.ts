/** The OneBot access token: `Authorization: Bearer <token>` (or `Token <token>`), or an `access_token` query value. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export function presentedToken(headers: IncomingHttpHeaders, url: string | undefined): string | undefined {
  const header = headers.authorization;
  if (typeof header === 'string') {
    const match = /^(?:Bearer|Token)\s+(.+)$/i.exec(header.trim());
    if (match) return match[1].trim();
  }
  const query = new URL(url ?? '/', 'http://onebot.invalid').searchParams.get('access_token');
  return query ?? undefined;
}

/** Compares in constant time (hashes first, so lengths leak nothing either). */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(expected), digest(presented));
}
