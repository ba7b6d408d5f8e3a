/** The bytes of an image or file in a user's message, wherever the adapter put it: a data URI, an http(s) URL or a local file. */
import { ProviderErrorCode, providerError } from '../contracts/models.js';
import { networkFailure } from './http-errors.js';
import { fetchWithIdleTimeout } from './http.js';

export interface MediaFile {
  bytes: Uint8Array;
  /** The type the source declares (`application/octet-stream` when it declares none). */
  mime: string;
  name: string;
}

export interface MediaOptions {
  /** The name of a file the source does not name (a data URI, say), without extension: the type's is added. */
  fallbackName: string;
  /** Silence allowed while downloading. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Reads a local file. The caller's, so that the SDK imports no Node module: isolate extensions bundle it too. */
  readFile(path: string): Promise<Uint8Array>;
}

const MIME_BY_EXTENSION: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.bmp': 'image/bmp', '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf', '.txt': 'text/plain', '.mp3': 'audio/mpeg', '.wav': 'audio/wav', '.mp4': 'video/mp4',
};
const EXTENSION_BY_MIME = Object.fromEntries(Object.entries(MIME_BY_EXTENSION).map(([extension, mime]) => [mime, extension]));
const UNKNOWN_TYPE = 'application/octet-stream';

/**
 * Reads a media source. Failures are provider errors whose `details.reason` is short (`ECONNREFUSED`, `HTTP 404`,
 * `ENOENT`, `timeout`), for runners that word them their own way.
 */
export async function readMedia(source: string, options: MediaOptions): Promise<MediaFile> {
  const data = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(source);
  if (data) {
    const mime = data[1] || UNKNOWN_TYPE;
    const bytes = data[2].split(';').includes('base64') ? Buffer.from(data[3], 'base64') : Buffer.from(decodeURIComponent(data[3]), 'utf8');
    return { bytes, mime, name: `${options.fallbackName}${EXTENSION_BY_MIME[mime] ?? ''}` };
  }
  if (/^https?:\/\//i.test(source)) return download(source, options);
  const path = source.startsWith('file:') ? decodeURIComponent(new URL(source).pathname) : source;
  const name = basename(path);
  try {
    return { bytes: await options.readFile(path), mime: MIME_BY_EXTENSION[extension(name)] ?? UNKNOWN_TYPE, name };
  } catch (error) {
    const reason = (error as { code?: string }).code ?? String(error);
    throw providerError(ProviderErrorCode.BadRequest, `Could not read the attachment ${name}: ${(error as Error).message ?? reason}`, { reason });
  }
}

async function download(url: string, options: MediaOptions): Promise<MediaFile> {
  const origin = new URL(url).origin;
  const failed = (reason: string) => providerError(ProviderErrorCode.Unavailable, `Could not download the attachment at ${origin}: ${reason}.`, { reason });
  const response = await fetchWithIdleTimeout(url, {}, {
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    failure: ({ kind, error }) => {
      const { code, message } = networkFailure(error);
      return failed(kind === 'timeout' || kind === 'cancelled' ? kind : (code ?? message));
    },
  });
  if (!response.ok) {
    response.close();
    throw providerError(ProviderErrorCode.Unavailable, `Could not download the attachment at ${origin} (HTTP ${response.status}).`, { reason: `HTTP ${response.status}` });
  }
  const pieces: Uint8Array[] = [];
  for await (const piece of response.body()) pieces.push(piece);
  const bytes = new Uint8Array(pieces.reduce((size, piece) => size + piece.length, 0));
  pieces.reduce((offset, piece) => (bytes.set(piece, offset), offset + piece.length), 0);
  const mime = response.contentType.split(';')[0].trim() || UNKNOWN_TYPE;
  return { bytes, mime, name: basename(new URL(url).pathname) || `${options.fallbackName}${EXTENSION_BY_MIME[mime] ?? ''}` };
}

const basename = (path: string) => path.replace(/\/+$/, '').split('/').pop() ?? '';

const extension = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
};
