/** Uploads an image with `POST /api/file/upload` (multipart `file`) and answers Tbox's file id. */
import { exchange, platformError, tryParseJson, type MediaFile } from '@langbot-ts/sdk';
import type { TboxConfig } from './config.js';
import { tboxResponseError, type TboxStatus } from './tbox-errors.js';

export async function uploadToTbox(config: TboxConfig, media: MediaFile): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([media.bytes], { type: media.mime }), media.name);
  const answer = await exchange(config.platform, `${config.baseUrl}/api/file/upload`, { method: 'POST', headers: { authorization: config.apiKey }, body: form }, config.timeoutMs);
  const body = await answer.text();
  const json = tryParseJson(body) as (TboxStatus & { data?: unknown }) | undefined;
  if (!answer.ok || String(json?.errorCode ?? '') !== '0') throw tboxResponseError(config.platform, answer.status, body);
  if (typeof json?.data !== 'string' || !json.data) throw platformError(config.platform, 'failure', 'the file upload answered without a file id');
  return json.data;
}
