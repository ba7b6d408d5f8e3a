import type { RpcPeer } from '../rpc/peer.js';
import { ExtActivate, ExtDeactivate, ExtInvoke, ExtInvokeStream, ExtProvided, ExtStats, KernelCall, KernelCallStream, KernelLog } from './protocol.js';
import { createRuntimeCore } from './runtime-core.js';

/** Serves an extension over RPC: the inside half of the worker, process and isolate hosts. */
export function serveRuntime(peer: RpcPeer, load: () => Promise<unknown>, stats: () => { heapUsedBytes: number; rssBytes?: number }): void {
  const core = createRuntimeCore(load, {
    call: (service, method, args, options) => peer.call(KernelCall, { service, method, args }, options),
    stream: (service, method, args, options) => peer.stream(KernelCallStream, { service, method, args }, options),
    log: (level, msg, data) => peer.notify(KernelLog, { level, msg, data }),
    provided: (change) => peer.notify(ExtProvided, change),
  });
  peer.handle(ExtActivate, (params) => core.activate(params));
  peer.handle(ExtInvoke, (params, ctx) => core.invoke(params, ctx));
  peer.handle(ExtInvokeStream, (params, ctx) => core.invokeStream(params, ctx));
  peer.handle(ExtDeactivate, async () => {
    await core.deactivate();
    return {};
  });
  peer.handle(ExtStats, () => stats());
}
