/**
 * The bytes of an image in the user's message, wherever the adapter put it: a data URI, an http(s) URL or a
 * local file. Dify checks the file name's extension, so the type is read from the bytes when they tell.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { providerError, ProviderErrorCode } from '@langbot-ts/sdk';
import type { Deadline } from './deadline.js';

export interface ImageBytes {
  bytes: Uint8Array;
  mime: string;
  extension: string;
}

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'image/svg+xml': 'svg' };
const MIMES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml' };

export async function loadImage(url: string, deadline: Deadline): Promise<ImageBytes> {
  const data = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (data) {
    const base64 = data[2].split(';').includes('base64');
    const bytes = base64 ? Buffer.from(data[3], 'base64') : Buffer.from(decodeURIComponent(data[3]), 'utf8');
    return typed(bytes, data[1]);
  }
  if (/^https?:\/\//i.test(url)) {
    let response: Response;
    try {
      response = await fetch(url, { signal: deadline.signal });
    } catch (error) {
      throw unreadable(url, (error as { cause?: { code?: string } })?.cause?.code ?? (deadline.expired ? 'timeout' : String(error)));
    }
    if (!response.ok) throw unreadable(url, `HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    deadline.touch();
    return typed(bytes, response.headers.get('content-type')?.split(';')[0] ?? '');
  }
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  try {
    return typed(await readFile(path), MIMES[extname(path).slice(1).toLowerCase()] ?? '');
  } catch (error) {
    throw unreadable(url, (error as NodeJS.ErrnoException).code ?? String(error));
  }
}

function typed(bytes: Uint8Array, declared: string): ImageBytes {
  const mime = sniff(bytes) ?? (EXTENSIONS[declared] ? declared : 'image/png');
  return { bytes, mime, extension: EXTENSIONS[mime] };
}

function sniff(b: Uint8Array): string | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 4) === 'GIF8') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

function unreadable(url: string, reason: string) {
  const shown = url.startsWith('data:') ? 'an inline image' : url.length > 120 ? `${url.slice(0, 117)}...` : url;
  return providerError(ProviderErrorCode.BadRequest, `Could not read the image ${shown} to send it to Dify (${reason}).`);
}
