/** Fetches a file from the Bot API's file endpoint with the bot's own connection pool, bounded in size and time. */
import { request as httpRequest, type Agent } from 'node:http';
import { request as httpsRequest } from 'node:https';

export const MAX_INLINE_IMAGE_BYTES = 5 * 1024 * 1024;
const TIMEOUT_MS = 15_000;

const MIME: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp' };

export function mimeOf(path: string): string {
  return MIME[path.split('.').pop()?.toLowerCase() ?? ''] ?? 'image/jpeg';
}

/** The bytes at `url`; rejects (with a message free of the URL, which holds the token) when too big, slow or failed. */
export function download(url: string, agent: Agent, maxBytes = MAX_INLINE_IMAGE_BYTES, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const request = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, { agent, signal, timeout: TIMEOUT_MS }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        return reject(new Error(`The file download answered HTTP ${response.statusCode}.`));
      }
      const parts: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          request.destroy();
          reject(new Error(`The file is larger than ${maxBytes} bytes.`));
        } else parts.push(chunk);
      });
      response.on('end', () => resolve(Buffer.concat(parts)));
      response.on('error', () => reject(new Error('The file download was interrupted.')));
    });
    request.on('timeout', () => request.destroy(new Error('The file download timed out.')));
    request.on('error', (error) => reject(new Error(`The file download failed: ${(error as NodeJS.ErrnoException).code ?? error.name}.`)));
    request.end();
  });
}
