/**
 * Emits the legacy plugin events at the pipeline's fixed points through the `listeners` service (provided by the
 * plugin handler). Without that service nothing listens, and the pipeline carries on unchanged.
 */
import { RpcError, RpcErrorCode, type DispatchResult, type ExtensionContext, type LegacyEventName } from '@langbot-ts/sdk';

/** How long to remember that no listeners service exists before asking again. */
const ABSENT_MS = 2_000;

export class Listeners {
  private absentUntil = 0;
  /** The legacy event names someone listens for, re-read every ABSENT_MS. */
  private subscribed: Promise<Set<string>> | undefined;
  private subscribedAt = 0;

  constructor(private readonly ctx: Pick<ExtensionContext, 'call' | 'log'>) {}

  /** Whether anything listens for this event; cheap, so callers can skip building an event nobody reads. */
  async has(event_name: LegacyEventName): Promise<boolean> {
    if (Date.now() < this.absentUntil) return false;
    if (!this.subscribed || Date.now() - this.subscribedAt > ABSENT_MS) {
      this.subscribedAt = Date.now();
      this.subscribed = this.call<string[]>('patterns', {}).then((p) => new Set(p ?? []));
    }
    return (await this.subscribed).has(event_name);
  }

  async emit(event_name: LegacyEventName, event: Record<string, unknown> | (() => Record<string, unknown>), bot_uuid: string): Promise<DispatchResult> {
    if (!(await this.has(event_name))) return { event: typeof event === 'function' ? {} : event, prevented_default: false, emitted: [] };
    const built = typeof event === 'function' ? event() : event;
    return (await this.call<DispatchResult>('dispatch', { event_name, event: built, bot_uuid })) ?? { event: built, prevented_default: false, emitted: [] };
  }

  /** Calls the listeners service; `undefined` when it does not exist. */
  private async call<T>(method: string, args: Record<string, unknown>): Promise<T | undefined> {
    try {
      return await this.ctx.call<T>('listeners', method, args);
    } catch (error) {
      if (RpcError.is(error, RpcErrorCode.NotFound) && /service 'listeners'/.test(error.message)) {
        this.absentUntil = Date.now() + ABSENT_MS;
        return undefined;
      }
      throw error;
    }
  }
}
