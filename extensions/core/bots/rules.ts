/** Checks a bot's `event_handlers` against the shared schema, filling in defaults. */
import { Value } from '@sinclair/typebox/value';
import { EventHandlerRulesSchema, RpcError, RpcErrorCode, validateConfig, type ConfigForm, type EventHandlerRule, type ExtensionContext } from '@langbot-ts/sdk';

export function validateRules(value: unknown): EventHandlerRule[] {
  const candidate = Value.Default(EventHandlerRulesSchema, structuredClone(value ?? []));
  if (Value.Check(EventHandlerRulesSchema, candidate)) return candidate;
  const issues = [...Value.Errors(EventHandlerRulesSchema, candidate)].map((e) => ({ path: e.path, message: e.message }));
  const list = issues.map((i) => `${i.path || '(rules)'}: ${i.message}`).join('; ');
  throw new RpcError(RpcErrorCode.ValidationFailed, `Invalid event_handlers: ${list}`, { issues });
}

interface HandlerDeclaration {
  key: string;
  entry: { type: string; config?: ConfigForm };
}

/**
 * Checks each rule against the handler it names: the handler must be installed, and `handler_config` must fit
 * the handler's config form (defaults filled in). Errors name the rule by its index.
 */
export async function checkHandlers(ctx: Pick<ExtensionContext, 'call'>, rules: EventHandlerRule[]): Promise<EventHandlerRule[]> {
  if (rules.length === 0) return rules;
  const handlers = await ctx.call<HandlerDeclaration[]>('contributions', 'list', { point: 'eventHandlers' });
  const byType = new Map(handlers.map((h) => [h.key, h.entry]));
  return rules.map((rule, index) => {
    const handler = byType.get(rule.handler_type);
    if (!handler) {
      const known = [...byType.keys()].sort().join(', ') || 'none';
      throw new RpcError(RpcErrorCode.ValidationFailed, `event_handlers[${index}]: no handler '${rule.handler_type}' is installed (available: ${known}).`, { index, handler_type: rule.handler_type });
    }
    if (!handler.config) return rule;
    const checked = validateConfig(handler.config, rule.handler_config ?? {}, `event_handlers[${index}].handler_config`);
    if (!checked.ok) {
      const list = checked.errors.map((e) => `${e.path || '(config)'}: ${e.message}`).join('; ');
      throw new RpcError(RpcErrorCode.ValidationFailed, `event_handlers[${index}] (${rule.handler_type}): ${list}`, { index, issues: checked.errors.map((e) => ({ path: e.path, message: e.message })) });
    }
    return { ...rule, handler_config: checked.value };
  });
}
