import { pathToFileURL } from 'node:url';
import { bundleExtension } from '../loader/bundler.js';
import { directConnection } from './connection.js';
import { createRuntimeCore } from './runtime-core.js';
import type { ExitInfo, Host } from './types.js';

/** Trusted, first-party extensions: same isolate as the kernel, no serialisation, nothing enforced. */
export const inprocessHost: Host = {
  isolation: 'inprocess',
  async launch(spec, kernel) {
    const bundle = await bundleExtension({ ...spec, target: 'node' });
    const core = createRuntimeCore(() => import(pathToFileURL(bundle).href), kernel);
    let stop!: (info: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((resolve) => (stop = resolve));
    return { connection: directConnection(core), exited, kill: () => stop({ reason: 'killed' }) };
  },
};
