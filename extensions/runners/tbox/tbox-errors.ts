/**
 * Tbox's error shape `{errorCode, errorMsg, traceId}` ("0" means success), in an HTTP answer or an
 * `event: error` of a stream.
 */
import { httpStatusError, platformError, tryParseJson, type RemotePlatform, type RpcError } from '@langbot-ts/sdk';

export interface TboxStatus {
  errorCode?: string | number;
  errorMsg?: string;
  traceId?: string;
  /** Other spellings seen in stream errors. */
  code?: string | number;
  message?: string;
  msg?: string;
}

const codeOf = (status: TboxStatus) => String(status.errorCode ?? status.code ?? '');
const describe = (status: TboxStatus) =>
  `${codeOf(status) || 'error'}: ${status.errorMsg ?? status.message ?? status.msg ?? 'no message'}${status.traceId ? `, trace ${status.traceId}` : ''}`;

/** The error a Tbox status stands for, or undefined when it reports success. */
export function tboxStatusError(platform: RemotePlatform, status: TboxStatus | undefined): RpcError | undefined {
  if (!status) return undefined;
  const code = codeOf(status);
  if (code === '' || code === '0') return undefined;
  const kind = /auth|token|permission|forbidden|401|403/i.test(code) ? 'auth' : /limit|quota|throttl|429/i.test(code) ? 'quota' : /^5\d\d$|internal|system/i.test(code) ? 'failure' : 'request';
  return platformError(platform, kind, describe(status), { provider_code: code });
}

export function tboxResponseError(platform: RemotePlatform, status: number, body: string): RpcError {
  const json = tryParseJson(body) as TboxStatus | undefined;
  if (status >= 400) return httpStatusError(platform, status, json && codeOf(json) ? describe(json) : body, json && codeOf(json) ? { provider_code: codeOf(json) } : {});
  return tboxStatusError(platform, json) ?? platformError(platform, 'failure', `unexpected answer: ${body}`);
}
