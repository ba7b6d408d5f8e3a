import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ReadOptions {
  maxBytes: number;
  onProgress?: (done: number, total: number) => void;
}

/** One registry root: an http(s) URL, a folder path or a file:// URL. */
export interface Mirror {
  /** As the user wrote it; used in messages. */
  readonly label: string;
  /** Bytes of `relPath` (a path such as `packages/x-1.0.0.tgz`); throws TooLargeError past `maxBytes`. */
  read(relPath: string, options: ReadOptions): Promise<Buffer>;
}

export class TooLargeError extends Error {
  constructor(what: string, limit: number) {
    super(`${what} is larger than ${limit} bytes`);
  }
}

/** A path inside the registry: posix, relative, no `..`, no backslash or NUL. */
export function isSafeRelPath(relPath: string): boolean {
  if (!relPath || relPath.startsWith('/') || /[\\\0]/.test(relPath) || /^[a-zA-Z]:/.test(relPath)) return false;
  return relPath.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

function checkRelPath(relPath: string): void {
  if (!isSafeRelPath(relPath)) throw new Error(`refusing the unsafe registry path "${relPath}"`);
}

type Fetch = typeof globalThis.fetch;

export function openMirror(spec: string, options: { timeoutMs: number; fetch: Fetch }): Mirror {
  if (/^https?:\/\//i.test(spec)) return httpMirror(spec, options);
  const root = /^file:/i.test(spec) ? fileURLToPath(spec) : resolve(spec);
  return folderMirror(spec, root);
}

function httpMirror(label: string, { timeoutMs, fetch }: { timeoutMs: number; fetch: Fetch }): Mirror {
  const base = label.endsWith('/') ? label : `${label}/`;
  return {
    label,
    async read(relPath, { maxBytes, onProgress }) {
      checkRelPath(relPath);
      const url = new URL(relPath, base);
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new Error(`HTTP ${response.status} for ${url.href}`);
      }
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (declared > maxBytes) {
        await response.body?.cancel().catch(() => {});
        throw new TooLargeError(url.href, maxBytes);
      }
      return readLimited(response.body, url.href, maxBytes, Number.isFinite(declared) ? declared : maxBytes, onProgress);
    },
  };
}

function folderMirror(label: string, root: string): Mirror {
  return {
    label,
    async read(relPath, { maxBytes, onProgress }) {
      checkRelPath(relPath);
      const file = resolve(root, relPath);
      const inside = relative(root, file);
      if (inside.startsWith(`..${sep}`) || isAbsolute(inside)) throw new Error(`refusing the path "${relPath}" outside ${root}`);
      const info = await stat(file);
      if (!info.isFile()) throw new Error(`${file} is not a file`);
      if (info.size > maxBytes) throw new TooLargeError(file, maxBytes);
      return readLimited(createReadStream(file), file, maxBytes, info.size, onProgress);
    },
  };
}

async function readLimited(
  body: AsyncIterable<Uint8Array> | null,
  what: string,
  maxBytes: number,
  total: number,
  onProgress?: (done: number, total: number) => void,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let done = 0;
  for await (const chunk of body ?? []) {
    done += chunk.byteLength;
    if (done > maxBytes) throw new TooLargeError(what, maxBytes);
    chunks.push(chunk);
    onProgress?.(done, Math.max(total, done));
  }
  return Buffer.concat(chunks);
}

/** A short reason for a failed read: network causes and timeouts in words, not stack traces. */
export function describeReadError(e: unknown, timeoutMs: number): string {
  if (!(e instanceof Error)) return String(e);
  if (e.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `not found: ${(e as NodeJS.ErrnoException).path ?? e.message}`;
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const causeCode = (cause as NodeJS.ErrnoException).code;
    return `${e.message} (${causeCode ?? cause.message})`;
  }
  return e.message;
}
