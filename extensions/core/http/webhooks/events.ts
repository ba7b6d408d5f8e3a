/**
 * Which events a webhook receives, in the pattern language of event-handler rules: `*`, a namespace (`message.*`,
 * `platform.telegram.*`) or one type (`message.received`). Patterns that could never match are refused.
 */
import { EVENT_TYPES, eventTypeName, matchesEventPattern, type UnifiedEvent } from '@langbot-ts/sdk';

const SHAPE = /^(\*|[a-z0-9_]+(\.[a-z0-9_-]+)*(\.\*)?)$/;
const NAMESPACES = new Set(EVENT_TYPES.map((t) => t.split('.')[0]));

export function isEventPattern(pattern: string): boolean {
  if (!SHAPE.test(pattern)) return false;
  if (pattern === '*' || (EVENT_TYPES as readonly string[]).includes(pattern)) return true;
  // `platform.<adapter>.<action>` and its namespaces name adapter-specific events.
  if (pattern.startsWith('platform.')) return true;
  return pattern.endsWith('.*') && NAMESPACES.has(pattern.slice(0, -2));
}

export function wantsEvent(patterns: readonly string[], event: { type: string; adapter_name: string; action?: string }): boolean {
  const name = eventTypeName(event as Pick<UnifiedEvent, 'type' | 'adapter_name'>);
  return patterns.some((p) => matchesEventPattern(p, name));
}
