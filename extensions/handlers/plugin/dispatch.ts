/**
 * Dispatches an event to the `eventListeners` contributions that subscribe to it, highest priority first; each
 * listener sees the event as the one before left it. `prevent_default` is reported back to whoever emitted the
 * event; `prevent_postorder` stops the listeners after this one. A failing listener is logged and skipped.
 */
import { matchesEventPattern, type DispatchResult, type ExtensionContext, type ListenerOutcome } from '@langbot-ts/sdk';

interface ListenerDeclaration {
  key: string;
  owner: string;
  entry: { events: string[]; priority?: number };
}

const REFRESH_MS = 2_000;
const isLegacyName = (pattern: string) => /^[A-Z]/.test(pattern);

export function subscribes(patterns: string[], eventName: string): boolean {
  return patterns.some((p) => (isLegacyName(p) || isLegacyName(eventName) ? p === eventName : matchesEventPattern(p, eventName)));
}

export class Dispatcher {
  private listeners: ListenerDeclaration[] = [];
  private readAt = 0;

  constructor(private readonly ctx: ExtensionContext) {}

  async dispatch(eventName: string, event: Record<string, unknown>, botUuid?: string): Promise<DispatchResult> {
    const result: DispatchResult = { event, prevented_default: false, emitted: [] };
    for (const listener of await this.subscribed(eventName)) {
      let outcome: ListenerOutcome | undefined;
      try {
        outcome = (await this.ctx.call('contributions', 'invoke', {
          point: 'eventListeners',
          id: listener.key,
          method: 'handle',
          args: { event_name: eventName, event: result.event, bot_uuid: botUuid },
        })) as ListenerOutcome | undefined;
      } catch (error) {
        this.ctx.log.warn(`Listener ${listener.key} failed on ${eventName}: ${error instanceof Error ? error.message : String(error)}`, { listener: listener.key, event_name: eventName });
        continue;
      }
      result.emitted.push(listener.key);
      if (outcome?.event && typeof outcome.event === 'object') result.event = outcome.event;
      if (outcome?.prevent_default) result.prevented_default = true;
      if (outcome?.prevent_postorder) break;
    }
    return result;
  }

  /** Every event pattern some listener subscribes to, so emitters can skip events nobody listens for. */
  async patterns(): Promise<string[]> {
    await this.refresh();
    return [...new Set(this.listeners.flatMap((l) => l.entry.events))];
  }

  private async refresh(): Promise<void> {
    if (Date.now() - this.readAt > REFRESH_MS) {
      this.listeners = await this.ctx.call<ListenerDeclaration[]>('contributions', 'list', { point: 'eventListeners' });
      this.readAt = Date.now();
    }
  }

  private async subscribed(eventName: string): Promise<ListenerDeclaration[]> {
    await this.refresh();
    return this.listeners
      .map((listener, index) => ({ listener, index }))
      .filter(({ listener }) => subscribes(listener.entry.events, eventName))
      .sort((a, b) => (b.listener.entry.priority ?? 0) - (a.listener.entry.priority ?? 0) || a.index - b.index)
      .map(({ listener }) => listener);
  }
}
