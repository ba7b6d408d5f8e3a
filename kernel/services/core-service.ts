import type { TObject } from '@sinclair/typebox';

/** A service implemented by the kernel itself. `caller` is the calling extension's id. */
export type CoreService = Record<string, { params: TObject; run(args: Record<string, unknown>, caller: string, signal?: AbortSignal): Promise<unknown> | unknown }>;
