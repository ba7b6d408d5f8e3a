/**
 * One HTTP exchange with a remote platform under an idle timeout: the request fails when no byte arrives for
 * `timeoutMs` (before the headers or between two pieces of a stream), however long the whole answer takes.
 * Failures become provider errors; `close()` releases the connection when the caller stops reading early.
 */
import { cutOffError, timeoutError, unreachableError, type Platform } from './errors.js';

export interface Exchange {
  status: number;
  ok: boolean;
  contentType: string;
  /** The body as it arrives; each piece re-arms the timeout. */
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  close(): void;
}

export async function exchange(platform: Platform, url: string, init: RequestInit, timeoutMs: number): Promise<Exchange> {
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  const close = () => {
    clearTimeout(timer);
    controller.abort();
  };

  arm();
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: controller.signal });
  } catch (error) {
    close();
    throw timedOut ? timeoutError(platform, timeoutMs) : unreachableError(platform, url, error);
  }
  arm();

  async function* body(): AsyncGenerator<Uint8Array> {
    try {
      if (!response.body) return;
      for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) {
        arm();
        yield piece;
      }
    } catch (error) {
      throw timedOut ? timeoutError(platform, timeoutMs) : cutOffError(platform);
    } finally {
      close();
    }
  }
  const stream = body();
  return {
    status: response.status,
    ok: response.ok,
    contentType: response.headers.get('content-type') ?? '',
    body: stream,
    async text() {
      const decoder = new TextDecoder();
      let text = '';
      for await (const piece of stream) text += decoder.decode(piece, { stream: true });
      return text + decoder.decode();
    },
    close,
  };
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
