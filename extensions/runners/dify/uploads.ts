/** Images of the user's message, uploaded to Dify (`POST /files/upload`) and referenced by id in the request. */
import { providerError, ProviderErrorCode, type ContentPart, type ConversationMessage } from '@langbot-ts/sdk';
import { bodyJson, difyPost } from './http.js';
import { loadImage } from './image-source.js';
import type { DifySettings } from './settings.js';

/** A file as `/chat-messages` and `/workflows/run` take it. */
export interface DifyFile {
  type: 'image';
  transfer_method: 'local_file';
  upload_file_id: string;
}

export function imageUrls(content: ConversationMessage['content']): string[] {
  if (!Array.isArray(content)) return [];
  return content.filter((p): p is Extract<ContentPart, { type: 'image_url' }> => p.type === 'image_url').map((p) => p.image_url.url);
}

/** `user` must be the one the message is then sent as: Dify scopes uploads to their user. */
export async function uploadImages(urls: string[], user: string, settings: DifySettings, signal?: AbortSignal): Promise<DifyFile[]> {
  const files: DifyFile[] = [];
  for (const [index, url] of urls.entries()) {
    const image = await loadImage(url, settings, signal);
    const form = new FormData();
    form.append('file', new Blob([image.bytes], { type: image.mime }), `image-${index + 1}.${image.extension}`);
    form.append('user', user);
    const response = await difyPost(settings, '/files/upload', form, signal);
    const uploaded = await bodyJson<{ id?: string }>(response, 'POST /files/upload', settings);
    if (!uploaded.id) throw providerError(ProviderErrorCode.Unavailable, 'Dify accepted an image upload but returned no file id.');
    files.push({ type: 'image', transfer_method: 'local_file', upload_file_id: uploaded.id });
  }
  return files;
}
