/**
 * HTTP with `fetch` under an idle timeout: a request fails when the other side sends nothing for `timeoutMs`
 * (before the headers or between two pieces of the body), however long the whole answer takes, so an agent that
 * keeps streaming for minutes is never cut off. The caller words the failures; the connection is released once the
 * body has been read, when its reader stops early, or on `close()`.
 */
import type { RemotePlatform, TransportFailure } from './http-errors.js';
import { answeredStatusError, answeredTransportError, platformTransportError } from './http-errors.js';
import { readSse, type SseEvent } from './sse.js';

export interface IdleFetchOptions {
  /** Silence allowed, waiting for the answer or between two pieces of it. */
  timeoutMs: number;
  /** Cancels the request (the run was stopped). */
  signal?: AbortSignal;
  /** The error to throw for a request that got no answer, or not all of it. */
  failure(failure: TransportFailure): Error;
}

export interface IdleResponse {
  status: number;
  ok: boolean;
  /** The Content-Type header, or ''. */
  contentType: string;
  /** The body's bytes as they arrive (one stream, however often it is asked for). */
  body(): AsyncGenerator<Uint8Array>;
  /** The whole body as text. */
  text(): Promise<string>;
  /** Releases the connection when the body will not be read to its end. */
  close(): void;
}

export async function fetchWithIdleTimeout(url: string, init: RequestInit, options: IdleFetchOptions): Promise<IdleResponse> {
  const { timeoutMs, signal } = options;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const pause = () => clearTimeout(timer);
  const arm = () => {
    pause();
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  const cancel = () => controller.abort();
  const release = () => {
    pause();
    signal?.removeEventListener('abort', cancel);
  };
  const fail = (error: unknown, reading: boolean) =>
    options.failure({ kind: timedOut ? 'timeout' : signal?.aborted ? 'cancelled' : reading ? 'interrupted' : 'unreachable', error, url, timeoutMs });

  if (signal?.aborted) controller.abort();
  else signal?.addEventListener('abort', cancel, { once: true });
  arm();
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: controller.signal });
  } catch (error) {
    release();
    throw fail(error, false);
  }
  arm();

  async function* read(): AsyncGenerator<Uint8Array> {
    const reader = response.body?.getReader();
    if (!reader) return release();
    let complete = false;
    try {
      for (;;) {
        arm();
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (error) {
          throw fail(error, true);
        }
        if (chunk.done) break;
        // The deadline is about the other side's silence, not about how long the reader takes with a piece.
        pause();
        yield chunk.value;
      }
      complete = true;
    } finally {
      release();
      if (!complete) controller.abort();
    }
  }
  let stream: AsyncGenerator<Uint8Array> | undefined;

  return {
    status: response.status,
    ok: response.ok,
    contentType: response.headers.get('content-type') ?? '',
    body: () => (stream ??= read()),
    async text() {
      const decoder = new TextDecoder();
      let text = '';
      for await (const piece of (stream ??= read())) text += decoder.decode(piece, { stream: true });
      return text + decoder.decode();
    },
    close() {
      release();
      controller.abort();
    },
  };
}

/** A request whose transport failures read as `platformTransportError` words them. */
export function exchange(platform: RemotePlatform, url: string, init: RequestInit, timeoutMs: number): Promise<IdleResponse> {
  return fetchWithIdleTimeout(url, init, { timeoutMs, failure: (failure) => platformTransportError(platform, failure) });
}

export interface JsonRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A request with a JSON body whose transport failures read as `answeredTransportError` words them. */
export function sendJson(platform: RemotePlatform, request: JsonRequest): Promise<IdleResponse> {
  const { url, method, headers, body, timeoutMs, signal } = request;
  const init: RequestInit =
    body === undefined ? { method, headers } : { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
  return fetchWithIdleTimeout(url, init, { timeoutMs, signal, failure: (failure) => answeredTransportError(platform, failure) });
}

/** The JSON of a successful answer (undefined when it is not JSON); a failure status throws `answeredStatusError`. */
export async function readJsonAnswer(platform: RemotePlatform, reply: IdleResponse): Promise<unknown> {
  const body = await reply.text();
  if (!reply.ok) throw answeredStatusError(platform, reply.status, body);
  return tryParseJson(body);
}

/**
 * The events of a successful streamed answer, or `gone` for a 404 (the platform does not know the conversation
 * asked about); another failure status throws `answeredStatusError`.
 */
export async function readEventAnswer(platform: RemotePlatform, reply: IdleResponse): Promise<AsyncGenerator<SseEvent> | 'gone'> {
  if (reply.status === 404) {
    await reply.text();
    return 'gone';
  }
  if (!reply.ok) throw answeredStatusError(platform, reply.status, await reply.text());
  return readSse(reply.body());
}

/** The value of a JSON text, or undefined when it is not JSON. */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
