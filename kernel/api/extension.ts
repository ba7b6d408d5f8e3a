/**
 * The surface an extension's code sees. It is identical under every isolation mode: in-process it is backed by
 * kernel objects, elsewhere by RPC. Everything registered through it returns a disposer owned by the extension.
 */
export type Disposer = () => void;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface InvocationContext {
  /** Aborted when the caller cancels or gives up. */
  readonly signal: AbortSignal;
  /** Report progress; a long job that reports progress never hits an inactivity deadline. */
  progress(value: unknown): void;
}

/** An object whose methods implement one contribution: `(args, ctx) => result` or an async generator for streams. */
export type Implementation = Record<string, (args: any, ctx: InvocationContext) => unknown>;

export interface ExtensionLogger {
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export interface ExtensionContext {
  readonly id: string;
  readonly version: string;
  /** The extension's own writable folder, `<data>/extension-data/<id>/` (none exists inside an isolate). */
  readonly dataDir: string;
  /** Validated configuration, with defaults from the manifest's config form applied. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly log: ExtensionLogger;
  /** Implements an entry the manifest declares under `contributes.<point>`. */
  provide(point: string, id: string, implementation: Implementation): Disposer;
  /** Implements a service the manifest declares under `services.provides`. */
  provideService(name: string, implementation: Implementation): Disposer;
  /** Calls a kernel or extension service; checked against the manifest's `permissions.services` on every call. */
  call<T = unknown>(service: string, method: string, args?: Record<string, unknown>, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<T>;
  /**
   * Calls a streaming service method (one that answers with an async generator); items arrive in order with
   * backpressure, and breaking out of the loop cancels the producer. Same permission check as `call`.
   */
  stream<T = unknown>(service: string, method: string, args?: Record<string, unknown>, options?: { signal?: AbortSignal; timeoutMs?: number }): AsyncIterable<T>;
  /** Runs on deactivation, after the extension's own `deactivate`, newest first; an async disposer is awaited. */
  onDispose(disposer: () => void | Promise<void>): void;
}

export interface ExtensionModule {
  activate(ctx: ExtensionContext): void | Promise<void>;
  deactivate?(): void | Promise<void>;
}

/** Identity helper that gives extension authors types. */
export function defineExtension(module: ExtensionModule): ExtensionModule {
  return module;
}
