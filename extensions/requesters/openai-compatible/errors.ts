/** Provider failures from the OpenAI SDK as provider errors with messages a user can act on. */
import OpenAI from 'openai';
import { ProviderErrorCode, providerError, type RpcError } from '@langbot-ts/sdk';

export function fromOpenAiError(error: unknown, context: { model?: string; base_url: string; timeout_ms: number }): RpcError | unknown {
  const where = context.base_url;
  if (error instanceof OpenAI.APIConnectionTimeoutError) return providerError(ProviderErrorCode.Timeout, `The provider at ${where} did not answer within ${context.timeout_ms} ms.`);
  if (error instanceof OpenAI.APIConnectionError) return providerError(ProviderErrorCode.Unavailable, `Could not reach the provider at ${where}: ${(error.cause as Error | undefined)?.message ?? error.message}`);
  if (!(error instanceof OpenAI.APIError)) return error;
  const status = error.status ?? 0;
  const detail = (error.error as { message?: string } | undefined)?.message ?? error.message;
  const code = String((error.error as { code?: string } | undefined)?.code ?? error.code ?? '');
  const details = { status, provider_code: code || undefined };
  if (status === 401 || status === 403) return providerError(ProviderErrorCode.Auth, `The provider refused the API key (HTTP ${status}: ${detail}).`, details);
  if (status === 429) return providerError(ProviderErrorCode.Quota, `The provider's quota or rate limit was reached (HTTP 429: ${detail}).`, details);
  if (status === 404 || code === 'model_not_found') return providerError(ProviderErrorCode.ModelNotFound, `The provider does not know the model '${context.model ?? '?'}' (HTTP ${status}: ${detail}).`, details);
  if (status >= 400 && status < 500) return providerError(ProviderErrorCode.BadRequest, `The provider rejected the request (HTTP ${status}: ${detail}).`, details);
  return providerError(ProviderErrorCode.Unavailable, `The provider failed (HTTP ${status}: ${detail}).`, details);
}
