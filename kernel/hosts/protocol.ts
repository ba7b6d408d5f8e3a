import { Type } from '@sinclair/typebox';
import { defineMethod, defineNotification, defineStream } from '../rpc/method.js';

const Invocation = Type.Object({
  point: Type.String({ minLength: 1, maxLength: 64 }),
  id: Type.String({ minLength: 1, maxLength: 128 }),
  method: Type.String({ minLength: 1, maxLength: 128 }),
  args: Type.Optional(Type.Any()),
});

const Provided = Type.Object({ point: Type.String(), id: Type.String(), methods: Type.Array(Type.String()) });

// kernel → extension runtime
export const ExtActivate = defineMethod('ext.activate', {
  params: Type.Object({ id: Type.String(), version: Type.String(), dataDir: Type.String(), config: Type.Record(Type.String(), Type.Any()) }),
  result: Type.Object({ provided: Type.Array(Provided) }),
});
export const ExtInvoke = defineMethod('ext.invoke', { params: Invocation, result: Type.Any() });
export const ExtInvokeStream = defineStream('ext.invokeStream', { params: Invocation, item: Type.Any() });
export const ExtDeactivate = defineMethod('ext.deactivate', { params: Type.Object({}), result: Type.Object({}) });
export const ExtStats = defineMethod('ext.stats', {
  params: Type.Object({}),
  result: Type.Object({ heapUsedBytes: Type.Number(), rssBytes: Type.Optional(Type.Number()) }),
});

// extension runtime → kernel
export const KernelCall = defineMethod('kernel.call', {
  params: Type.Object({ service: Type.String({ minLength: 1, maxLength: 64 }), method: Type.String({ minLength: 1, maxLength: 128 }), args: Type.Optional(Type.Any()) }),
  result: Type.Any(),
});
export const KernelCallStream = defineStream('kernel.callStream', {
  params: Type.Object({ service: Type.String({ minLength: 1, maxLength: 64 }), method: Type.String({ minLength: 1, maxLength: 128 }), args: Type.Optional(Type.Any()) }),
  item: Type.Any(),
});
export const KernelLog = defineNotification('kernel.log', {
  params: Type.Object({
    level: Type.Union([Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')]),
    msg: Type.String({ maxLength: 16_384 }),
    data: Type.Optional(Type.Record(Type.String(), Type.Any())),
  }),
});
/** Registrations made after activation (or withdrawn). */
export const ExtProvided = defineNotification('ext.provided', {
  params: Type.Object({ point: Type.String(), id: Type.String(), methods: Type.Array(Type.String()), withdrawn: Type.Boolean() }),
});
