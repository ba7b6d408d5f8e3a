/** DashScope's error shape `{code, message, request_id}`, in an HTTP error body or an `event:error` of a stream. */
import { httpStatusError, platformError, tryParseJson, type RemotePlatform, type RpcError } from '@langbot-ts/sdk';

export interface DashScopeStatus {
  code?: string;
  message?: string;
  request_id?: string;
}

const describe = (status: DashScopeStatus) => `${status.code ?? 'error'}: ${status.message ?? 'no message'}${status.request_id ? `, request ${status.request_id}` : ''}`;

/** An error reported inside a stream, where only DashScope's code tells what kind it is. */
export function streamError(platform: RemotePlatform, status: DashScopeStatus): RpcError {
  const code = status.code ?? '';
  const kind = /^(InvalidApiKey|AccessDenied|Unauthorized)/.test(code)
    ? 'auth'
    : /^(Throttling|Arrearage|DataInspection\.Quota)/.test(code)
      ? 'quota'
      : /^(Internal|SystemError|ServiceUnavailable|ModelServiceFailed|RequestTimeOut)/.test(code)
        ? 'failure'
        : 'request';
  return platformError(platform, kind, describe(status), { provider_code: code });
}

export function responseError(platform: RemotePlatform, status: number, body: string): RpcError {
  const json = tryParseJson(body) as DashScopeStatus | undefined;
  const detail = json?.code || json?.message ? describe(json) : body;
  if (status >= 400) return httpStatusError(platform, status, detail, json?.code ? { provider_code: json.code } : {});
  return platformError(platform, 'failure', `unexpected answer: ${detail}`);
}
