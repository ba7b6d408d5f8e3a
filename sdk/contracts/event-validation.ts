/** Checks events arriving from adapters the kernel does not trust. */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { RpcError, RpcErrorCode } from '../../kernel/api/index.js';
import { decodeChain } from './message-chain-codec.js';
import { EventSchemas, isEventType, type EventType, type UnifiedEvent } from './events.js';

export interface EventIssue {
  /** JSON pointer into the event, '' for the event itself. */
  path: string;
  message: string;
}

export type EventParseResult = { ok: true; event: UnifiedEvent } | { ok: false; issues: EventIssue[] };

const checks = new Map<EventType, TypeCheck<TSchema>>();
function checkFor(type: EventType): TypeCheck<TSchema> {
  let check = checks.get(type);
  if (!check) checks.set(type, (check = TypeCompiler.Compile(EventSchemas[type])));
  return check;
}

// Chain fields are decoded tolerantly first, so one odd component does not reject the whole event.
const CHAIN_FIELDS = ['message_chain', 'new_content'] as const;

/**
 * Validates an event against the schema of its `type`. The result's message chains are decoded (odd components
 * become `Unknown`); every other field is returned as given.
 */
export function parseEvent(value: unknown): EventParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, issues: [{ path: '', message: 'An event must be a JSON object.' }] };
  }
  const raw = value as Record<string, unknown>;
  if (!isEventType(raw.type)) {
    const message =
      raw.type === undefined ? 'The event has no `type`.' : `Unknown event type ${JSON.stringify(raw.type)}.`;
    return { ok: false, issues: [{ path: '/type', message }] };
  }
  const candidate: Record<string, unknown> = { ...raw };
  for (const field of CHAIN_FIELDS) {
    if (Array.isArray(candidate[field])) candidate[field] = decodeChain(candidate[field]);
  }
  const check = checkFor(raw.type);
  if (check.Check(candidate)) return { ok: true, event: candidate as UnifiedEvent };
  const issues = [...check.Errors(candidate)].map((e) => ({ path: e.path, message: e.message }));
  return { ok: false, issues };
}

/** Like `parseEvent`, but throws a VALIDATION_FAILED RpcError whose message lists every issue. */
export function assertEvent(value: unknown): UnifiedEvent {
  const result = parseEvent(value);
  if (result.ok) return result.event;
  const list = result.issues.map((i) => `${i.path || '(event)'}: ${i.message}`).join('; ');
  throw new RpcError(RpcErrorCode.ValidationFailed, `Invalid event: ${list}`, { issues: result.issues });
}
