/**
 * Keeps tokens and signing keys out of logs and error messages. Platform libraries put tokens in URLs
 * (`/bot<token>/getMe`) and errors; everything an adapter logs or throws passes through a redactor first.
 */
import type { ExtensionLogger } from '../../kernel/api/index.js';
import { maskSecrets } from '../runners/http-errors.js';

export const REDACTED = '***';

/** Secrets shorter than this are not replaced: they would mangle ordinary words and are not worth hiding. */
const MIN_SECRET_LENGTH = 4;

export type Redactor = <T>(value: T) => T;

/** A redactor for the secrets `secrets()` returns at the time of each call (config may change while running). */
export function createRedactor(secrets: () => Iterable<unknown>): Redactor {
  const replace = (text: string): string => {
    const list: string[] = [];
    for (const secret of secrets()) {
      if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
      // URL-encoded forms show up in request URLs.
      list.push(secret, encodeURIComponent(secret));
    }
    return maskSecrets(text, list);
  };
  const walk = (value: unknown, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return replace(value);
    if (value instanceof Error) {
      const copy = new Error(replace(value.message));
      copy.name = value.name;
      if (value.stack) copy.stack = replace(value.stack);
      return copy;
    }
    if (value && typeof value === 'object') {
      if (seen.has(value)) return '[circular]';
      seen.add(value);
      if (Array.isArray(value)) return value.map((item) => walk(item, seen));
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, seen)]));
    }
    return value;
  };
  return <T>(value: T) => walk(value, new WeakSet()) as T;
}

/** A logger that redacts messages and data before they reach `log`. */
export function redactingLogger(log: ExtensionLogger, redact: Redactor): ExtensionLogger {
  const wrap = (level: keyof ExtensionLogger) => (msg: string, data?: Record<string, unknown>) =>
    data === undefined ? log[level](redact(msg)) : log[level](redact(msg), redact(data));
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}

/** The message of any thrown value, redacted: what adapters put in logs and in errors they rethrow. */
export function describeError(error: unknown, redact: Redactor): string {
  const text = error instanceof Error ? error.message : String(error);
  return redact(text);
}
