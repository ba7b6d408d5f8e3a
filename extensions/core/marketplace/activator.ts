/** The installer's kernel side: switching versions and stopping extensions through the kernel's `extensions` service. */
import { RpcError, RpcErrorCode, type ExtensionContext } from '@langbot-ts/sdk';
import { MarketError } from '../../../marketplace/errors.js';
import type { Activator } from '../../../marketplace/installer/types.js';

/** Starting an extension may bundle it first; that can take far longer than an ordinary call. */
const ACTIVATION_TIMEOUT_MS = 180_000;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
const detailsOf = (error: unknown) => {
  const details = (error as { details?: unknown })?.details;
  return details && typeof details === 'object' ? (details as Record<string, unknown>) : undefined;
};

export function kernelActivator(ctx: Pick<ExtensionContext, 'call'>): Activator {
  return {
    async activate(id, version, approvedPermissions) {
      try {
        await ctx.call('extensions', 'activateVersion', { id, version, approvedPermissions }, { timeoutMs: ACTIVATION_TIMEOUT_MS });
      } catch (error) {
        throw new MarketError('activation_failed', `${id}@${version} did not start: ${describe(error)}`, { id, version, ...detailsOf(error) });
      }
    },
    async deactivate(id) {
      try {
        await ctx.call('extensions', 'deactivate', { id }, { timeoutMs: ACTIVATION_TIMEOUT_MS });
      } catch (error) {
        // The kernel no longer knows it (removed by hand, or never started): nothing is running, which is the goal.
        if (RpcError.is(error, RpcErrorCode.NotFound)) return;
        throw new MarketError('activation_failed', `${id} could not be stopped: ${describe(error)}`, { id, ...detailsOf(error) });
      }
    },
  };
}
