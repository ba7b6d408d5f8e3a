import type { TObject } from '@sinclair/typebox';

/** A service implemented by the kernel itself. `caller` is the calling extension's id. */
export type CoreService = Record<string, { params: TObject; run(args: Record<string, unknown>, caller: string, signal?: AbortSignal): Promise<unknown> | unknown }>;

/** The services the kernel itself provides (see Kernel.start). */
export const CORE_SERVICE_NAMES = ['kv', 'contributions'] as const;
