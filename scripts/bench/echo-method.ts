import { Type } from '@sinclair/typebox';
import { defineMethod } from '../../kernel/rpc/method.js';

/** The method every RpcPeer row serves: `{ value }` in, the same `{ value }` out. */
export const BenchEcho = defineMethod('bench.echo', {
  params: Type.Object({ value: Type.String({ maxLength: 1024 }) }),
  result: Type.Object({ value: Type.String() }),
});
