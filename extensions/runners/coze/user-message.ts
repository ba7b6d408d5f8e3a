/**
 * The user's message as Coze's `additional_messages`: plain text as `text`; text with images or files as an
 * `object_string` whose attachments are uploaded first and referred to by file id.
 */
import { readFile } from 'node:fs/promises';
import { readMedia, type ContentPart, type RunnerRequest } from '@langbot-ts/sdk';
import type { CozeConfig } from './config.js';
import { uploadToCoze } from './upload.js';

export interface CozeMessage {
  role: 'user';
  type: 'question';
  content: string;
  content_type: 'text' | 'object_string';
}

type ObjectPart = { type: 'text'; text: string } | { type: 'image' | 'file'; file_id: string };

export async function cozeUserMessage(config: CozeConfig, request: RunnerRequest): Promise<CozeMessage> {
  const content = request.user_message.content;
  if (content === null || typeof content === 'string') return { role: 'user', type: 'question', content: content ?? '', content_type: 'text' };
  const parts: ObjectPart[] = [];
  for (const part of content) parts.push(await objectPart(config, part));
  if (parts.every((p) => p.type === 'text')) return { role: 'user', type: 'question', content: parts.map((p) => (p as { text: string }).text).join(''), content_type: 'text' };
  return { role: 'user', type: 'question', content: JSON.stringify(parts), content_type: 'object_string' };
}

async function objectPart(config: CozeConfig, part: ContentPart): Promise<ObjectPart> {
  if (part.type === 'text') return { type: 'text', text: part.text };
  const read = (url: string, fallbackName: string) => readMedia(url, { fallbackName, timeoutMs: config.timeoutMs, readFile });
  if (part.type === 'image_url') return { type: 'image', file_id: await uploadToCoze(config, await read(part.image_url.url, 'image')) };
  const media = await read(part.file_url.url, 'file');
  return { type: 'file', file_id: await uploadToCoze(config, part.file_url.name ? { ...media, name: part.file_url.name } : media) };
}
