/** The user's message as Tbox's `query` (its text) and `files` (its images, uploaded first; other files are not sent). */
import { readFile } from 'node:fs/promises';
import { readMedia, type RunnerRequest } from '@langbot-ts/sdk';
import type { TboxConfig } from './config.js';
import { uploadToTbox } from './upload.js';

export interface TboxQuery {
  query: string;
  files: { type: 'IMAGE'; fileId: string }[];
  /** Attachments other than images, which are not sent. */
  skipped: number;
}

export async function tboxQuery(config: TboxConfig, request: RunnerRequest): Promise<TboxQuery> {
  const content = request.user_message.content;
  if (content === null || typeof content === 'string') return { query: content ?? '', files: [], skipped: 0 };
  let query = '';
  let skipped = 0;
  const files: TboxQuery['files'] = [];
  for (const part of content) {
    if (part.type === 'text') query += part.text;
    else if (part.type === 'image_url') {
      const image = await readMedia(part.image_url.url, { fallbackName: 'image', timeoutMs: config.timeoutMs, readFile });
      files.push({ type: 'IMAGE', fileId: await uploadToTbox(config, image) });
    }
    else skipped++;
  }
  return { query, files, skipped };
}
