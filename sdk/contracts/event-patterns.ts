import type { UnifiedEvent } from './events.js';

/**
 * The name an event is routed by: its `type`, except that `platform.specific` events are addressed as
 * `platform.{adapter_name}.{action}`.
 */
export function eventTypeName(event: Pick<UnifiedEvent, 'type' | 'adapter_name'> & { action?: string }): string {
  if (event.type === 'platform.specific' && event.action) return `platform.${event.adapter_name}.${event.action}`;
  return event.type;
}

const isTypedPlatformName = (type: string) => type.startsWith('platform.') && type !== 'platform.specific';

/**
 * Whether an event-handler pattern covers an event type name.
 * - `*` matches everything;
 * - `ns.*` matches every name in that namespace (`platform.telegram.*` narrows to one adapter);
 * - anything else matches exactly, except that `platform.specific` also covers every typed
 *   `platform.{adapter}.{action}` name.
 */
export function matchesEventPattern(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  if (pattern === type) return true;
  return pattern === 'platform.specific' && isTypedPlatformName(type);
}
