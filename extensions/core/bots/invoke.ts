import type { ExtensionContext } from '@langbot-ts/sdk';

/** Calls another extension's contribution (an adapter, an event handler) through the kernel's `contributions` service. */
export function invokeContribution(
  ctx: Pick<ExtensionContext, 'call'>,
  request: { point: string; id: string; method: string; args: Record<string, unknown>; timeoutMs?: number },
  signal?: AbortSignal,
): Promise<unknown> {
  return ctx.call('contributions', 'invoke', request, signal ? { signal } : undefined);
}
