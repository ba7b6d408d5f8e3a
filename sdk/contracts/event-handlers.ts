/**
 * A bot's `event_handlers`: the rules that decide which handler (pipeline, agent, webhook, plugin, or one an
 * extension contributes) takes each event. Highest priority first; no match goes to the plugin handler.
 */
import { Type, type Static } from '@sinclair/typebox';
import { matchesEventPattern } from './event-patterns.js';

export const BUILTIN_HANDLER_TYPES = ['pipeline', 'agent', 'webhook', 'plugin'] as const;
/** Where an event goes when no enabled rule matches, as upstream does for backward compatibility. */
export const FALLBACK_HANDLER = 'plugin';

export const EventHandlerRuleSchema = Type.Object(
  {
    event_type: Type.String({ minLength: 1, pattern: '^(\\*|[a-z0-9_]+(\\.[a-z0-9_-]+)*(\\.\\*)?)$', description: 'Exact type, `namespace.*` or `*`.' }),
    handler_type: Type.String({ minLength: 1, pattern: '^[a-z0-9][a-z0-9._-]*$' }),
    handler_config: Type.Record(Type.String(), Type.Unknown(), { default: {} }),
    enabled: Type.Boolean({ default: true }),
    priority: Type.Integer({ default: 0 }),
    description: Type.String({ default: '' }),
  },
  { additionalProperties: false },
);
export type EventHandlerRule = Static<typeof EventHandlerRuleSchema>;
export const EventHandlerRulesSchema = Type.Array(EventHandlerRuleSchema);

export interface RouteDecision {
  handler_type: string;
  handler_config: Record<string, unknown>;
  /** `rule`: an enabled rule matched; `legacy`: the bot still has only `use_pipeline_uuid`; `fallback`: nothing matched. */
  via: 'rule' | 'legacy' | 'fallback';
  rule?: EventHandlerRule;
}

/** The enabled rules covering `eventType`, highest priority first (equal priorities keep their order). */
export function matchRules(eventType: string, rules: readonly EventHandlerRule[]): EventHandlerRule[] {
  return rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => rule.enabled !== false && matchesEventPattern(rule.event_type, eventType))
    .sort((a, b) => (b.rule.priority ?? 0) - (a.rule.priority ?? 0) || a.index - b.index)
    .map(({ rule }) => rule);
}

/** Which handler takes an event of `eventType` for a bot with these rules (and possibly a legacy pipeline). */
export function routeEvent(eventType: string, bot: { event_handlers?: readonly EventHandlerRule[] | null; use_pipeline_uuid?: string | null }): RouteDecision {
  const rules = bot.event_handlers ?? [];
  if (rules.length === 0 && bot.use_pipeline_uuid) {
    return eventType === 'message.received'
      ? { handler_type: 'pipeline', handler_config: { pipeline_uuid: bot.use_pipeline_uuid }, via: 'legacy' }
      : { handler_type: FALLBACK_HANDLER, handler_config: {}, via: 'legacy' };
  }
  const [rule] = matchRules(eventType, rules);
  if (!rule) return { handler_type: FALLBACK_HANDLER, handler_config: {}, via: 'fallback' };
  return { handler_type: rule.handler_type, handler_config: rule.handler_config ?? {}, via: 'rule', rule };
}

/** Upstream's migration of a bot's deprecated `use_pipeline_uuid` into rules; other bots are returned as they are. */
export function migrateLegacyPipeline(bot: { event_handlers?: EventHandlerRule[] | null; use_pipeline_uuid?: string | null }): EventHandlerRule[] {
  if (!bot.use_pipeline_uuid || (bot.event_handlers?.length ?? 0) > 0) return bot.event_handlers ?? [];
  return [
    {
      event_type: 'message.received',
      handler_type: 'pipeline',
      handler_config: { pipeline_uuid: bot.use_pipeline_uuid },
      enabled: true,
      priority: 10,
      description: 'Auto-migrated from use_pipeline_uuid',
    },
    { event_type: '*', handler_type: 'plugin', handler_config: {}, enabled: true, priority: -100, description: 'Default plugin handler' },
  ];
}
