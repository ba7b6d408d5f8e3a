import type { LaunchSpec } from './types.js';

/**
 * Node permission-model flags for a process-isolated extension. It may read its runtime, its bundle, its own
 * data folder and the paths its manifest declares; write only its data folder and declared paths; spawn
 * processes or workers only if declared. (Node 20 takes one path per flag.)
 */
export function permissionFlags(spec: LaunchSpec, readable: string[]): string[] {
  const read = new Set([...readable, spec.dataDir, ...spec.permissions.fsRead]);
  const write = new Set([spec.dataDir, ...spec.permissions.fsWrite]);
  return [
    '--experimental-permission',
    ...[...read].map((p) => `--allow-fs-read=${p}`),
    ...[...write].map((p) => `--allow-fs-write=${p}`),
    ...(spec.permissions.childProcess ? ['--allow-child-process'] : []),
    ...(spec.permissions.worker ? ['--allow-worker'] : []),
    '--no-warnings=ExperimentalWarning',
  ];
}
