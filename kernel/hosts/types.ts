import type { ExtensionConnection } from './connection.js';
import type { KernelApi } from './runtime-core.js';

export type Isolation = 'inprocess' | 'worker' | 'process' | 'isolate';

/** Everything a host needs to start one extension; derived from the manifest by the loader. */
export interface LaunchSpec {
  id: string;
  version: string;
  /** The extension's folder. */
  dir: string;
  /** Absolute path of the entry source (TypeScript or JavaScript). */
  entryFile: string;
  /** Where bundles are written. */
  cacheDir: string;
  /** The bundle to run, made by `bundleFor` before launch (so a rollback can rerun an older one). */
  bundleFile: string;
  /** The extension's private, writable data folder. */
  dataDir: string;
  memoryMb: number;
  /** Isolate host only: CPU time one task may use before it is stopped. */
  cpuTimeMs: number;
  maxFrameBytes: number;
  permissions: { fsRead: string[]; fsWrite: string[]; childProcess: boolean; worker: boolean };
  /** Lines the extension writes to stdout/stderr outside the logging API. */
  onOutput(line: string, stream: 'stdout' | 'stderr'): void;
}

export interface ExitInfo {
  code?: number | null;
  signal?: string | null;
  reason: string;
}

export interface RunningExtension {
  readonly connection: ExtensionConnection;
  /** Settles once when the extension's runtime is gone, for whatever reason. */
  readonly exited: Promise<ExitInfo>;
  /** Stops the runtime at once, even if it is stuck in a loop. */
  kill(): void;
}

export interface Host {
  readonly isolation: Isolation;
  launch(spec: LaunchSpec, kernel: KernelApi): Promise<RunningExtension>;
}
