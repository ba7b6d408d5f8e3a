/**
 * JSON codec for message chains. Decoding is tolerant at component level: whatever cannot be understood becomes an
 * `Unknown` component that keeps the original object, so one odd component never loses a whole message.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { RpcError, RpcErrorCode } from '../../kernel/api/index.js';
import { componentSchemas, type MessageChain, type MessageComponent, type Unknown } from './message-chain.js';

/** Raised only when the input is not a chain at all (not an array). */
export class MessageChainError extends RpcError {
  constructor(message: string, details: Record<string, unknown>) {
    super(RpcErrorCode.ValidationFailed, message, details);
    this.name = 'MessageChainError';
  }
}

// Nested chains are checked as plain arrays here and decoded recursively, so their own problems stay local.
const shallow: Record<string, TypeCheck<TSchema>> = Object.fromEntries(
  Object.entries(componentSchemas(Type.Array(Type.Unknown()))).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]),
);

export function encodeChain(chain: MessageChain): unknown[] {
  return chain.map(encodeComponent);
}

function encodeComponent(component: MessageComponent): unknown {
  switch (component.type) {
    case 'Source': {
      const { time, ...rest } = component;
      return { ...rest, timestamp: time };
    }
    case 'Quote':
      return { ...component, origin: encodeChain(component.origin) };
    case 'Forward':
      return {
        ...component,
        node_list: component.node_list.map((node) => ({ ...node, message_chain: encodeChain(node.message_chain) })),
      };
    default:
      return { ...component };
  }
}

export function decodeChain(json: unknown): MessageChain {
  if (!Array.isArray(json)) {
    const received = json === null ? 'null' : typeof json;
    throw new MessageChainError(`A message chain must be a JSON array, but got ${received}.`, { received });
  }
  return json.map(decodeComponent);
}

function unknown(text: string, raw: unknown): Unknown {
  return { type: 'Unknown', text, raw };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeComponent(raw: unknown): MessageComponent {
  if (!isRecord(raw)) return unknown('Invalid component data: expected an object.', raw);
  const type = raw.type;
  const check = typeof type === 'string' && Object.hasOwn(shallow, type) ? shallow[type] : undefined;
  if (!check) return unknown(`Unknown component type: ${String(type)}`, raw);

  // Upstream JSON writes absent optional fields as null; treat them as absent.
  const value: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(raw)) if (field !== null) value[key] = field;
  if (type === 'Source') normaliseSourceTime(value);

  if (!check.Check(value)) {
    const first = check.Errors(value).First();
    const where = first?.path ? ` at ${first.path}` : '';
    return unknown(`Invalid ${type} component${where}: ${first?.message ?? 'does not match its schema'}.`, raw);
  }
  const component = value as MessageComponent;
  if (component.type === 'Quote') return { ...component, origin: decodeChain(component.origin) };
  if (component.type === 'Forward') {
    return {
      ...component,
      node_list: component.node_list.map((node) => ({ ...node, message_chain: decodeChain(node.message_chain) })),
    };
  }
  return component;
}

/** Accepts the wire key `timestamp`, or `time` as seconds or an ISO date string. */
function normaliseSourceTime(value: Record<string, unknown>): void {
  let time = value.timestamp ?? value.time;
  delete value.timestamp;
  if (typeof time === 'string' && time.trim() !== '') {
    const asNumber = Number(time);
    time = Number.isFinite(asNumber) ? asNumber : Date.parse(time) / 1000;
  }
  if (time !== undefined) value.time = time;
  else delete value.time;
}
