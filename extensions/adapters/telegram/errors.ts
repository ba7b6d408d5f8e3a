import { describeError, type Redactor } from '@langbot-ts/sdk';

/**
 * The reason of a failed Bot API call, redacted: grammY's network errors say only "Network request for 'x'
 * failed!" and keep the cause (which names the URL, and so the token) aside.
 */
export function telegramError(error: unknown, redact: Redactor): string {
  const cause = (error as { error?: unknown })?.error;
  const detail = cause instanceof Error ? ` (${(cause as NodeJS.ErrnoException).code ?? cause.message})` : '';
  return describeError(error, redact) + redact(detail);
}
