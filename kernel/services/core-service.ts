import type { TObject } from '@sinclair/typebox';

/** A service implemented by the kernel itself. `caller` is the calling extension's id. */
export interface CoreMethod {
  params: TObject;
  run(args: Record<string, unknown>, caller: string, signal?: AbortSignal): Promise<unknown> | unknown;
  /** Set for methods that answer with a stream; `run` then returns an async iterable. */
  streams?: boolean;
}
export type CoreService = Record<string, CoreMethod>;

/** The services the kernel itself provides (see Kernel.start). */
export const CORE_SERVICE_NAMES = ['kv', 'contributions', 'extensions'] as const;
