/**
 * HTTP to a remote agent platform with `fetch`: a deadline that every received byte pushes back (a run may go on
 * for minutes as long as it keeps talking), and failures turned into messages a user can act on, keys removed.
 */
import { ProviderErrorCode, RpcError, RpcErrorCode, providerError } from '@langbot-ts/sdk';
import { redact } from './http-errors.js';

export interface Service {
  /** How users know it, e.g. "DeerFlow". */
  name: string;
  /** Where its settings are, for hints, e.g. "the pipeline's AI → deerflow-api settings". */
  settings: string;
  /** Values that must never appear in a message (keys, authorization headers). */
  secrets: string[];
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Silence allowed before the request fails, waiting for the answer or between two pieces of it. */
  timeoutMs: number;
  /** Cancels the request (the run was stopped). */
  signal?: AbortSignal;
}

export interface HttpReply {
  status: number;
  ok: boolean;
  /** The body as text, piece by piece as it arrives. */
  pieces(): AsyncGenerator<string>;
  text(): Promise<string>;
}

export async function send(service: Service, request: HttpRequest): Promise<HttpReply> {
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const pause = () => clearTimeout(timer);
  const arm = () => {
    pause();
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, request.timeoutMs);
  };
  const cancel = () => controller.abort();
  if (request.signal?.aborted) controller.abort();
  request.signal?.addEventListener('abort', cancel, { once: true });
  const finish = () => {
    pause();
    request.signal?.removeEventListener('abort', cancel);
  };
  const failure = (error: unknown, reading: boolean): RpcError => {
    if (timedOut) return providerError(ProviderErrorCode.Timeout, `${service.name} sent nothing for ${request.timeoutMs / 1000} s, so the request was given up (see "timeout" in ${service.settings}).`);
    if (request.signal?.aborted) return new RpcError(RpcErrorCode.Cancelled, `The ${service.name} request was cancelled.`);
    const why = redact(reasonOf(error), service.secrets);
    return reading
      ? providerError(ProviderErrorCode.Unavailable, `The connection to ${service.name} broke before the answer was complete: ${why}.`)
      : providerError(ProviderErrorCode.Unavailable, `${service.name} is unreachable at ${displayUrl(request.url)}: ${why}. Check the address in ${service.settings}.`);
  };

  arm();
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.body === undefined ? request.headers : { 'Content-Type': 'application/json', ...request.headers },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: controller.signal,
    });
  } catch (error) {
    finish();
    throw failure(error, false);
  }

  async function* pieces(): AsyncGenerator<string> {
    const reader = response.body?.getReader();
    if (!reader) return finish();
    const decoder = new TextDecoder();
    let complete = false;
    try {
      for (;;) {
        arm();
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (error) {
          throw failure(error, true);
        }
        if (chunk.done) break;
        const text = decoder.decode(chunk.value, { stream: true });
        // The deadline is about the server's silence, not about how long the consumer takes with a piece.
        pause();
        if (text) yield text;
      }
      complete = true;
      const rest = decoder.decode();
      if (rest) yield rest;
    } finally {
      finish();
      if (!complete) controller.abort();
    }
  }

  return {
    status: response.status,
    ok: response.ok,
    pieces,
    async text() {
      let all = '';
      for await (const piece of pieces()) all += piece;
      return all;
    },
  };
}

function reasonOf(error: unknown): string {
  // fetch reports "fetch failed"; the cause says why (e.g. "connect ECONNREFUSED 127.0.0.1:2026").
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.message) return cause.message;
  if (cause?.code) return cause.code;
  return error instanceof Error ? error.message : String(error);
}

/** The URL without credentials or query, as it may appear in a message. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}
