/**
 * Coze's error shapes: a JSON body `{code, msg}` (often with HTTP 200, code 0 meaning success), `last_error`
 * of a failed chat, and the `error` event of a stream.
 */
import { httpStatusError, platformError, tryParseJson, type RemotePlatform, type RpcError } from '@langbot-ts/sdk';

/** Coze's codes for an invalid token (4100) and a token without the needed permission (4101). */
const AUTH_CODES = new Set([4100, 4101]);

export interface CozeStatus {
  code?: number;
  msg?: string;
}

/** The error a Coze `{code, msg}` stands for, or undefined when it reports success. */
export function cozeCodeError(platform: RemotePlatform, status: CozeStatus | undefined): RpcError | undefined {
  const code = Number(status?.code ?? 0);
  if (!code) return undefined;
  const detail = `code ${code}: ${status?.msg ?? 'no message'}`;
  if (AUTH_CODES.has(code)) return platformError(platform, 'auth', detail, { provider_code: code });
  // Coze numbers its own failures from 5000 up; lower codes are about the request (parameters, bot, quota).
  return platformError(platform, code >= 5000 ? 'failure' : 'request', detail, { provider_code: code });
}

/** The error of an answer that is not a stream: an HTTP failure, or a `{code, msg}` refusal. */
export function cozeResponseError(platform: RemotePlatform, status: number, body: string): RpcError {
  const json = tryParseJson(body) as CozeStatus | undefined;
  if (status >= 400) return httpStatusError(platform, status, json?.msg ? `code ${json.code}: ${json.msg}` : body, json?.code ? { provider_code: json.code } : {});
  return cozeCodeError(platform, json) ?? platformError(platform, 'failure', `unexpected answer: ${body}`);
}
