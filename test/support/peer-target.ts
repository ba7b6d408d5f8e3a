import { Type } from '@sinclair/typebox';
import { defineMethod, defineStream, type MethodSpec } from '../../kernel/rpc/method.js';
import { RpcPeer, type Transport } from '../../kernel/rpc/index.js';
import { conformanceHandlers, STREAM_METHODS, type ConformanceMethod } from './conformance-handlers.js';
import type { ConformanceTarget } from '../conformance/rpc-suite.js';

const AnyParams = Type.Object({}, { additionalProperties: true });

export function conformanceSpec(name: string): MethodSpec {
  return STREAM_METHODS.includes(name as ConformanceMethod)
    ? defineStream(`conf.${name}`, { params: AnyParams, item: Type.Any() })
    : defineMethod(`conf.${name}`, { params: AnyParams, result: Type.Any() });
}

/** Registers the conformance handlers on a peer. */
export function serveConformance(peer: RpcPeer): void {
  for (const [name, fn] of Object.entries(conformanceHandlers)) peer.handle(conformanceSpec(name), fn as never);
}

/** A ConformanceTarget over two peers joined by a transport pair. */
export function peerTarget(client: RpcPeer, maxFrameBytes: number, onClose: () => Promise<void> | void = () => {}): ConformanceTarget {
  return {
    maxFrameBytes,
    call: (method, args, options) => client.call(conformanceSpec(method) as MethodSpec<any, any, false>, args, options),
    stream: (method, args, options) => client.stream(conformanceSpec(method) as MethodSpec<any, any, true>, args, options),
    close: async () => {
      client.close();
      await onClose();
    },
  };
}

export function connectPair(a: Transport, b: Transport): { client: RpcPeer; server: RpcPeer } {
  const server = new RpcPeer(b, { name: 'server' });
  serveConformance(server);
  return { client: new RpcPeer(a, { name: 'client' }), server };
}
