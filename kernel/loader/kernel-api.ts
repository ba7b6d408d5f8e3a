import type { KernelApi } from '../hosts/runtime-core.js';
import { SERVICE_POINT } from '../hosts/runtime-core.js';
import { checkerFor } from '../rpc/method.js';
import { RpcError, RpcErrorCode } from '../rpc/errors.js';
import type { ExtensionManager } from './manager.js';
import type { ExtensionRecord } from './record.js';

/** Checked on every call: the caller's manifest must list the service (or `service.method`) under permissions. */
export function assertMayCall(record: ExtensionRecord, service: string, method: string): void {
  const granted = record.manifest?.permissions.services ?? [];
  if (granted.includes(service) || granted.includes(`${service}.${method}`)) return;
  throw new RpcError(
    RpcErrorCode.PermissionDenied,
    `Extension '${record.id}' may not call ${service}.${method}: its manifest does not list '${service}' under permissions.services.`,
    { extension: record.id, service, method },
  );
}

type CallOptions = { signal?: AbortSignal; timeoutMs?: number };

/** The kernel's own method for `service.method` with its arguments checked, or undefined for an extension's service. */
function coreMethod(manager: ExtensionManager, caller: ExtensionRecord, service: string, method: string, args: Record<string, unknown> | undefined) {
  assertMayCall(caller, service, method);
  const provider = manager.services.get(service);
  if (!provider) throw new RpcError(RpcErrorCode.NotFound, `No service '${service}' is available.`, { service });
  const core = provider.value.core;
  if (!core) return undefined;
  const entry = core[method];
  if (!entry) throw new RpcError(RpcErrorCode.MethodNotFound, `Service '${service}' has no method '${method}'.`, { service, method });
  const check = checkerFor(entry.params);
  const params = args ?? {};
  if (!check(params)) throw new RpcError(RpcErrorCode.ValidationFailed, `Invalid arguments for ${service}.${method}: ${check.explain()}`, { service, method });
  return { entry, params };
}

/** Routes a service call to the kernel's own implementation or to the extension that provides it. */
export async function callService(
  manager: ExtensionManager,
  caller: ExtensionRecord,
  service: string,
  method: string,
  args: Record<string, unknown> | undefined,
  options: CallOptions = {},
): Promise<unknown> {
  const core = coreMethod(manager, caller, service, method, args);
  if (!core) return manager.invoke(SERVICE_POINT, service, method, args, options);
  if (core.entry.streams) throw new RpcError(RpcErrorCode.ValidationFailed, `${service}.${method} streams: use ctx.stream.`, { service, method });
  return core.entry.run(core.params, caller.id, options.signal);
}

/** Like callService for methods that answer with a stream. */
export async function* streamService(
  manager: ExtensionManager,
  caller: ExtensionRecord,
  service: string,
  method: string,
  args: Record<string, unknown> | undefined,
  options: CallOptions = {},
): AsyncGenerator<unknown> {
  const core = coreMethod(manager, caller, service, method, args);
  if (!core) return yield* manager.stream(SERVICE_POINT, service, method, args, options);
  if (!core.entry.streams) throw new RpcError(RpcErrorCode.NotSupported, `${service}.${method} does not stream: use ctx.call.`, { service, method });
  yield* core.entry.run(core.params, caller.id, options.signal) as AsyncIterable<unknown>;
}

export function kernelApiFor(record: ExtensionRecord, manager: ExtensionManager): KernelApi {
  const logger = manager.options.logging.forExtension(record.id);
  return {
    call: (service, method, args, options) => callService(manager, record, service, method, args, options),
    stream: (service, method, args, options) => streamService(manager, record, service, method, args, options),
    log: (level, msg, data) => logger[level](data ?? {}, msg),
    provided: (change) => logger.debug({ change }, `${change.withdrawn ? 'Withdrew' : 'Provided'} ${change.point} '${change.id}' after activation.`),
  };
}
