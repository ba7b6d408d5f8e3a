import type { Permissions } from '../../kernel/manifest/index.js';

/** The kernel side of an install: switching the active version of a drop-in and approving permissions. */
export interface Activator {
  /**
   * Makes `<dropin>/<id>@<version>` the active version with these approved permissions; resolves when the kernel
   * has started it (or it waits for first use); rejects with MarketError activation_failed, leaving the previous
   * version running.
   */
  activate(id: string, version: string, approvedPermissions: Permissions): Promise<void>;
  /** Stops and forgets the extension (no files touched). */
  deactivate(id: string): Promise<void>;
}

export interface InstallRecord {
  id: string;
  version: string;
  /** Newest first; their folders are still on disk. */
  previous: string[];
  approvedPermissions: Permissions;
  installedAt: string;
  mirror: string;
}

export type InstallStep = 'resolve' | 'download' | 'verify' | 'stage' | 'activate' | 'cleanup' | 'done';
export type Progress = (p: { step: InstallStep; message: string; done?: number; total?: number }) => void;
