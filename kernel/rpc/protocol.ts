import { Type } from '@sinclair/typebox';
import { defineMethod, defineNotification } from './method.js';

export const PROTOCOL_NAME = 'langbot-rpc';
export const PROTOCOL_VERSION = '1.0';

const HelloShape = Type.Object({
  protocol: Type.String(),
  version: Type.String({ pattern: '^\\d+\\.\\d+$' }),
  name: Type.Optional(Type.String({ maxLength: 128 })),
  capabilities: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 }),
});

/** Version and capability negotiation: the first call on every connection. Majors must match. */
export const Hello = defineMethod('rpc.hello', { params: HelloShape, result: HelloShape });
export const Ping = defineMethod('rpc.ping', { params: Type.Object({}), result: Type.Object({ t: Type.Number() }) });
/** Stream flow control: the consumer grants the producer `n` more items. */
export const Credit = defineNotification('rpc.credit', {
  params: Type.Object({ token: Type.Union([Type.String(), Type.Number()]), n: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }),
});
