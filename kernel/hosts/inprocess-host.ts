import { pathToFileURL } from 'node:url';
import { directConnection } from './connection.js';
import { createRuntimeCore } from './runtime-core.js';
import type { ExitInfo, Host } from './types.js';

/** Trusted, first-party extensions: same isolate as the kernel, no serialisation, nothing enforced. */
export const inprocessHost: Host = {
  isolation: 'inprocess',
  async launch(spec, kernel) {
    const core = createRuntimeCore(() => import(pathToFileURL(spec.bundleFile).href), kernel);
    let stop!: (info: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((resolve) => (stop = resolve));
    return { connection: directConnection(core), exited, kill: () => stop({ reason: 'killed' }) };
  },
};
