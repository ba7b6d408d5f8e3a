/** QQ ids are integers on the wire; CQ codes and some implementations send them as strings. */
import { RpcError, RpcErrorCode, type Id } from '@langbot-ts/sdk';

const INTEGER = /^-?\d{1,15}$/;

/** The id as the platform means it: a number when it is an integer, otherwise the string. */
export function toId(value: unknown): Id {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const text = String(value ?? '').trim();
  return INTEGER.test(text) ? Number(text) : text;
}

/** An id for an action parameter; the implementation expects a number. */
export function numericId(value: unknown, name: string): number {
  const id = toId(value);
  if (typeof id !== 'number') throw new RpcError(RpcErrorCode.ValidationFailed, `${name} must be a QQ number, not '${String(value)}'.`);
  return id;
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' ? String(value) : undefined;
}
