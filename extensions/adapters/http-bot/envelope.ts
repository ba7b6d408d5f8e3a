/** The HTTP bot's answers: `{code, msg, data?}` with an HTTP status and a stable numeric code per kind of failure. */
import type { WebhookResponse } from '@langbot-ts/sdk';

export const ERRORS = {
  bad_request: [400, 40001],
  bad_signature: [401, 40101],
  duplicate: [409, 40901],
  /** A /sync request was waiting when its session was reset. */
  reset: [409, 40902],
  too_large: [413, 41301],
  internal: [500, 50001],
  overloaded: [503, 50301],
  /** A /sync request gave up waiting; the message stays accepted and later replies go to the callback URL. */
  sync_timeout: [504, 50401],
} as const satisfies Record<string, readonly [number, number]>;

export type ErrorKind = keyof typeof ERRORS;

export function failure(kind: ErrorKind, msg: string, data?: Record<string, unknown>): WebhookResponse {
  const [status, code] = ERRORS[kind];
  return { status, body: { code, msg, data: data ?? null } };
}

export function success(status: number, msg: string, data: Record<string, unknown>): WebhookResponse {
  return { status, body: { code: 0, msg, data } };
}
