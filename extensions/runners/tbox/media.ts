/** The bytes of an image or file in a user's message: a data URI, an http(s) URL or a local path. */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ProviderErrorCode, providerError } from '@langbot-ts/sdk';

export interface Media {
  bytes: Uint8Array;
  mime: string;
  name: string;
}

const MIME_BY_EXT: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.bmp': 'image/bmp',
  '.pdf': 'application/pdf', '.txt': 'text/plain', '.mp3': 'audio/mpeg', '.wav': 'audio/wav', '.mp4': 'video/mp4',
};
const EXT_BY_MIME = Object.fromEntries(Object.entries(MIME_BY_EXT).map(([ext, mime]) => [mime, ext]));

export async function loadMedia(source: string, fallbackName: string, timeoutMs: number): Promise<Media> {
  const data = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(source);
  if (data) {
    const mime = data[1] || 'application/octet-stream';
    const bytes = data[2] ? Buffer.from(data[3], 'base64') : Buffer.from(decodeURIComponent(data[3]));
    return { bytes, mime, name: `${fallbackName}${EXT_BY_MIME[mime] ?? ''}` };
  }
  if (/^https?:\/\//i.test(source)) return download(source, fallbackName, timeoutMs);
  const path = source.startsWith('file://') ? new URL(source).pathname : source;
  try {
    return { bytes: await readFile(path), mime: MIME_BY_EXT[extname(path).toLowerCase()] ?? 'application/octet-stream', name: basename(path) };
  } catch (error) {
    throw providerError(ProviderErrorCode.BadRequest, `Could not read the attachment ${basename(path)}: ${(error as Error).message}`);
  }
}

async function download(url: string, fallbackName: string, timeoutMs: number): Promise<Media> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw providerError(ProviderErrorCode.Unavailable, `Could not download the attachment at ${new URL(url).origin}: ${(error as Error).message}`);
  }
  if (!response.ok) throw providerError(ProviderErrorCode.Unavailable, `Could not download the attachment at ${new URL(url).origin} (HTTP ${response.status}).`);
  const mime = (response.headers.get('content-type') ?? 'application/octet-stream').split(';')[0].trim();
  const name = basename(new URL(url).pathname) || `${fallbackName}${EXT_BY_MIME[mime] ?? ''}`;
  return { bytes: new Uint8Array(await response.arrayBuffer()), mime, name };
}
