/** Checks a bot's `event_handlers` against the shared schema, filling in defaults. */
import { Value } from '@sinclair/typebox/value';
import { EventHandlerRulesSchema, RpcError, RpcErrorCode, type EventHandlerRule } from '@langbot-ts/sdk';

export function validateRules(value: unknown): EventHandlerRule[] {
  const candidate = Value.Default(EventHandlerRulesSchema, structuredClone(value ?? []));
  if (Value.Check(EventHandlerRulesSchema, candidate)) return candidate;
  const issues = [...Value.Errors(EventHandlerRulesSchema, candidate)].map((e) => ({ path: e.path, message: e.message }));
  const list = issues.map((i) => `${i.path || '(rules)'}: ${i.message}`).join('; ');
  throw new RpcError(RpcErrorCode.ValidationFailed, `Invalid event_handlers: ${list}`, { issues });
}
