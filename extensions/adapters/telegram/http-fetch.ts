/**
 * The `fetch` grammY calls, over node:http with the bot's own agent. grammY's default (node-fetch with an
 * AbortController polyfill) breaks once bundled: esbuild renames the polyfill's AbortSignal class and node-fetch
 * then refuses the signal. grammY only reads `response.json()`, which is all this provides.
 */
import { request as httpRequest, type Agent } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

interface AbortLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | AsyncIterable<Uint8Array> | Readable;
  signal?: AbortLike | null;
}

export interface FetchResponse {
  status: number;
  json(): Promise<unknown>;
}

const aborted = () => Object.assign(new Error('The request was aborted.'), { name: 'AbortError' });

export function createFetch(agent: Agent) {
  return (url: string, init: FetchInit = {}): Promise<FetchResponse> =>
    new Promise((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(aborted());
      const request = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, { method: init.method ?? 'GET', headers: init.headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            json: async () => {
              try {
                return JSON.parse(text);
              } catch {
                throw new Error(`The Bot API answered HTTP ${response.statusCode} with something other than JSON.`);
              }
            },
          });
        });
      });
      function onAbort() {
        request.destroy(aborted());
      }
      function fail(error: Error) {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      }
      signal?.addEventListener('abort', onAbort);
      request.on('error', fail);
      const body = init.body;
      if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) request.end(body);
      else {
        const stream = body instanceof Readable ? body : Readable.from(body);
        stream.on('error', (error) => request.destroy(error));
        stream.pipe(request);
      }
    });
}
