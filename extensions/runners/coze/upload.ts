/** Uploads an attachment with `POST /v1/files/upload` (multipart `file`) and answers Coze's file id. */
import { exchange, platformError, tryParseJson, type MediaFile } from '@langbot-ts/sdk';
import type { CozeConfig } from './config.js';
import { cozeResponseError } from './coze-errors.js';

export async function uploadToCoze(config: CozeConfig, media: MediaFile): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([media.bytes], { type: media.mime }), media.name);
  const url = `${config.apiBase}/v1/files/upload`;
  const answer = await exchange(config.platform, url, { method: 'POST', headers: { authorization: `Bearer ${config.apiKey}` }, body: form }, config.timeoutMs);
  const body = await answer.text();
  const json = tryParseJson(body) as { code?: number; msg?: string; data?: { id?: string } } | undefined;
  if (!answer.ok || Number(json?.code ?? 0) !== 0) throw cozeResponseError(config.platform, answer.status, body);
  const id = json?.data?.id;
  if (!id) throw platformError(config.platform, 'failure', 'the file upload answered without a file id');
  return String(id);
}
