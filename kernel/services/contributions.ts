import { Type } from '@sinclair/typebox';
import { SERVICE_POINT } from '../hosts/runtime-core.js';
import type { ExtensionManager } from '../loader/manager.js';
import { RpcError, RpcErrorCode } from '../rpc/errors.js';
import type { CoreService } from './core-service.js';

const Point = Type.String({ minLength: 1, maxLength: 64 });
const Invocation = Type.Object({
  point: Point,
  id: Type.String({ minLength: 1, maxLength: 128 }),
  method: Type.String({ minLength: 1, maxLength: 128 }),
  args: Type.Optional(Type.Unknown()),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 0 })),
});

/**
 * How extensions consume each other's contribution points (a bots extension starting `adapters:telegram`, a
 * router calling `eventHandlers:webhook`): list what is declared, invoke an implementation (activating its
 * extension on first use). Services have their own route (`ctx.call(service, …)`), so they are not reachable here.
 */
export function contributionsService(manager: () => ExtensionManager): CoreService {
  const notServices = (point: string) => {
    if (point === SERVICE_POINT) throw new RpcError(RpcErrorCode.ValidationFailed, "Call services with ctx.call(service, method), not through 'contributions'.");
  };
  return {
    list: {
      params: Type.Object({ point: Point }),
      run: ({ point }) => {
        notServices(point as string);
        return manager()
          .contributions.list()
          .filter((r) => r.value.point === point)
          .map((r) => ({ key: r.key.slice((point as string).length + 1), owner: r.owner, entry: r.value.entry, state: manager().get(r.owner)?.state }));
      },
    },
    invoke: {
      params: Invocation,
      run: ({ point, id, method, args, timeoutMs }, _caller, signal) => {
        notServices(point as string);
        return manager().invoke(point as string, id as string, method as string, args, { signal, timeoutMs: timeoutMs as number | undefined });
      },
    },
    /** Like invoke, for methods that answer with an async generator (a runner's replies, a streamed reply). */
    stream: {
      params: Invocation,
      streams: true,
      run: ({ point, id, method, args, timeoutMs }, _caller, signal) => {
        notServices(point as string);
        return manager().stream(point as string, id as string, method as string, args, { signal, timeoutMs: timeoutMs as number | undefined });
      },
    },
  };
}
