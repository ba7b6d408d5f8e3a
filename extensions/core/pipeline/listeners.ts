/**
 * Emits the legacy plugin events at the pipeline's fixed points through the `listeners` service (provided by the
 * plugin handler). Without that service nothing listens, and the pipeline carries on unchanged.
 */
import { RpcError, RpcErrorCode, type DispatchResult, type ExtensionContext, type LegacyEventName } from '@langbot-ts/sdk';

/** How long to remember that no listeners service exists before asking again. */
const ABSENT_MS = 2_000;

export class Listeners {
  private absentUntil = 0;

  constructor(private readonly ctx: Pick<ExtensionContext, 'call' | 'log'>) {}

  async emit(event_name: LegacyEventName, event: Record<string, unknown>, bot_uuid: string): Promise<DispatchResult> {
    const unchanged: DispatchResult = { event, prevented_default: false, emitted: [] };
    if (Date.now() < this.absentUntil) return unchanged;
    try {
      return await this.ctx.call<DispatchResult>('listeners', 'dispatch', { event_name, event, bot_uuid });
    } catch (error) {
      if (RpcError.is(error, RpcErrorCode.NotFound) && /service 'listeners'/.test(error.message)) {
        this.absentUntil = Date.now() + ABSENT_MS;
        return unchanged;
      }
      throw error;
    }
  }
}
