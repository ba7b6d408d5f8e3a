/**
 * The bytes of an image in the user's message, wherever the adapter put it (a data URI, an http(s) URL or a local
 * file). Dify checks the file name's extension, so the type is read from the bytes when they tell.
 */
import { readFile } from 'node:fs/promises';
import { providerError, ProviderErrorCode, readMedia, type MediaFile, type RpcError } from '@langbot-ts/sdk';
import type { DifySettings } from './settings.js';

export interface ImageBytes {
  bytes: Uint8Array;
  mime: string;
  extension: string;
}

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'image/svg+xml': 'svg' };

export async function loadImage(url: string, settings: DifySettings, signal?: AbortSignal): Promise<ImageBytes> {
  let media: MediaFile;
  try {
    media = await readMedia(url, { fallbackName: 'image', timeoutMs: settings.timeoutMs, signal, readFile });
  } catch (error) {
    throw unreadable(url, String((error as RpcError).details?.reason ?? error));
  }
  const mime = sniff(media.bytes) ?? (EXTENSIONS[media.mime] ? media.mime : 'image/png');
  return { bytes: media.bytes, mime, extension: EXTENSIONS[mime] };
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
