import type { Disposer, ExtensionContext, ExtensionModule, Implementation, InvocationContext, LogLevel } from '../api/extension.js';
import { RpcError, RpcErrorCode } from '../rpc/errors.js';

/** What the kernel offers an extension runtime, whether reached directly or over RPC. */
export interface KernelApi {
  call(service: string, method: string, args: Record<string, unknown> | undefined, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<unknown>;
  stream(service: string, method: string, args: Record<string, unknown> | undefined, options?: { signal?: AbortSignal; timeoutMs?: number }): AsyncIterable<unknown>;
  log(level: LogLevel, msg: string, data?: Record<string, unknown>): void;
  provided(change: ProvidedChange): void;
}

export interface ProvidedEntry {
  point: string;
  id: string;
  methods: string[];
}
export type ProvidedChange = ProvidedEntry & { withdrawn: boolean };

export interface Invocation {
  point: string;
  id: string;
  method: string;
  args?: unknown;
}

export const SERVICE_POINT = 'services';
const key = (point: string, id: string) => `${point}\u0000${id}`;
const methodsOf = (impl: Implementation) => Object.keys(impl).filter((k) => typeof impl[k] === 'function');

/** Loads an extension module, runs its lifecycle and dispatches invocations to what it provided. */
export function createRuntimeCore(load: () => Promise<unknown>, kernel: KernelApi) {
  const impls = new Map<string, { point: string; id: string; impl: Implementation }>();
  const disposers: Array<() => void | Promise<void>> = [];
  let module: ExtensionModule | undefined;
  let activated = false;

  const provide = (point: string, id: string, impl: Implementation): Disposer => {
    if (typeof impl !== 'object' || impl === null) throw new TypeError(`provide('${point}', '${id}') needs an object of methods.`);
    const k = key(point, id);
    if (impls.has(k)) throw new Error(`'${id}' is already provided for '${point}'.`);
    impls.set(k, { point, id, impl });
    if (activated) kernel.provided({ point, id, methods: methodsOf(impl), withdrawn: false });
    let done = false;
    const dispose = () => {
      if (done) return;
      done = true;
      impls.delete(k);
      if (activated) kernel.provided({ point, id, methods: [], withdrawn: true });
    };
    disposers.push(dispose);
    return dispose;
  };

  const lookup = ({ point, id, method }: Invocation) => {
    const entry = impls.get(key(point, id));
    if (!entry) throw new RpcError(RpcErrorCode.NotFound, `Nothing is provided for ${point} '${id}'.`, { point, id });
    const fn = entry.impl[method];
    if (typeof fn !== 'function') throw new RpcError(RpcErrorCode.MethodNotFound, `${point} '${id}' has no method '${method}'.`, { point, id, method });
    return (args: unknown, ctx: InvocationContext) => fn.call(entry.impl, args, ctx);
  };

  return {
    async activate(params: { id: string; version: string; dataDir: string; config: Record<string, unknown> }): Promise<{ provided: ProvidedEntry[] }> {
      const loaded = (await load()) as { default?: unknown } | undefined;
      const candidate = (loaded && typeof loaded === 'object' && 'default' in loaded ? loaded.default : loaded) as ExtensionModule | undefined;
      if (!candidate || typeof candidate.activate !== 'function') {
        throw new RpcError(RpcErrorCode.ValidationFailed, 'The entry module must export default defineExtension({ activate(ctx) { … } }).');
      }
      module = candidate;
      const log = (level: LogLevel) => (msg: string, data?: Record<string, unknown>) => kernel.log(level, String(msg), data);
      const ctx: ExtensionContext = {
        id: params.id,
        version: params.version,
        dataDir: params.dataDir,
        config: Object.freeze({ ...params.config }),
        log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
        provide,
        provideService: (name, impl) => provide(SERVICE_POINT, name, impl),
        call: (service, method, args, options) => kernel.call(service, method, args, options) as Promise<any>,
        stream: (service, method, args, options) => kernel.stream(service, method, args, options) as AsyncIterable<any>,
        onDispose: (d) => void disposers.push(d),
      };
      await module.activate(ctx);
      activated = true;
      return { provided: [...impls.values()].map(({ point, id, impl }) => ({ point, id, methods: methodsOf(impl) })) };
    },

    invoke(invocation: Invocation, ctx: InvocationContext): unknown {
      return lookup(invocation)(invocation.args, ctx);
    },

    invokeStream(invocation: Invocation, ctx: InvocationContext): AsyncIterable<unknown> {
      const result = lookup(invocation)(invocation.args, ctx) as AsyncIterable<unknown> | undefined;
      if (!result || typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') {
        throw new RpcError(RpcErrorCode.NotSupported, `${invocation.point} '${invocation.id}' method '${invocation.method}' does not stream.`);
      }
      return result;
    },

    async deactivate(): Promise<void> {
      activated = false;
      try {
        await module?.deactivate?.();
      } finally {
        for (const dispose of disposers.splice(0).reverse()) {
          try {
            await dispose();
          } catch {
            // A failing disposer must not keep the others from running.
          }
        }
        impls.clear();
      }
    },
  };
}

export type RuntimeCore = ReturnType<typeof createRuntimeCore>;
