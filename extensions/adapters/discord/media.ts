/**
 * Reads the bytes of Image / Voice / File components for upload: a `data:` URI or bare base64, a local path, or a
 * URL (downloaded with a time and size limit, since Discord takes attachments only as uploaded bytes).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { RpcError, RpcErrorCode } from '@langbot-ts/sdk';
import type { MediaComponent, UploadFile } from './outbound.js';

/** Discord's upload limit for bots without boosts. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 30_000;

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'video/mp4': 'mp4',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

function defaultName(c: MediaComponent, type: string | undefined): string {
  const ext = (type && EXTENSIONS[type.split(';')[0].trim()]) ?? (c.type === 'Image' ? 'png' : c.type === 'Voice' ? 'ogg' : 'bin');
  return `${c.type === 'Image' ? 'image' : c.type === 'Voice' ? 'voice' : 'file'}.${ext}`;
}

const bad = (message: string) => new RpcError(RpcErrorCode.ValidationFailed, message);

function fromBase64(value: string): { data: Buffer; type?: string } {
  const uri = value.match(/^data:([^;,]*)(;[^,]*)?,(.*)$/s);
  if (uri) {
    if (!(uri[2] ?? '').includes('base64')) return { data: Buffer.from(decodeURIComponent(uri[3]), 'utf8'), type: uri[1] || undefined };
    return { data: Buffer.from(uri[3], 'base64'), type: uri[1] || undefined };
  }
  if (!/^[A-Za-z0-9+/=\s_-]+$/.test(value)) throw bad('The base64 data of the attachment is not base64.');
  return { data: Buffer.from(value, 'base64') };
}

async function download(url: string): Promise<{ data: Buffer; type?: string }> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    throw bad(`Could not download the attachment at ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw bad(`Could not download the attachment at ${url}: HTTP ${response.status}.`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_UPLOAD_BYTES) throw bad(`The attachment at ${url} is larger than Discord's ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB limit.`);
  const data = Buffer.from(await response.arrayBuffer());
  return { data, type: response.headers.get('content-type') ?? undefined };
}

function nameFromUrl(url: string): string | undefined {
  try {
    const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return /\.\w{1,5}$/.test(last) ? last : undefined;
  } catch {
    return undefined;
  }
}

export async function readMedia(c: MediaComponent): Promise<UploadFile> {
  let read: { data: Buffer; type?: string };
  let name: string | undefined = c.type === 'File' ? c.name : undefined;
  if (c.base64) {
    read = fromBase64(c.base64);
  } else if (c.path) {
    try {
      read = { data: await readFile(c.path) };
    } catch (error) {
      throw bad(`Could not read the attachment file ${c.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    name ??= basename(c.path);
  } else if (c.url) {
    read = await download(c.url);
    name ??= nameFromUrl(c.url);
  } else {
    throw bad(`The ${c.type} component has no url, path or base64 data to upload.`);
  }
  if (read.data.length > MAX_UPLOAD_BYTES) throw bad(`The attachment is larger than Discord's ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB limit.`);
  return { name: name || defaultName(c, read.type), data: read.data, ...(read.type ? { contentType: read.type } : {}) };
}

export const readAllMedia = (media: MediaComponent[]): Promise<UploadFile[]> => Promise.all(media.map(readMedia));
