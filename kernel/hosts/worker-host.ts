import { Worker } from 'node:worker_threads';
import { RpcPeer, createPortTransport } from '../rpc/index.js';
import { connectRuntime } from './connection.js';
import { forwardLines } from './output-lines.js';
import { runtimeFile } from './runtime-files.js';
import type { ExitInfo, Host } from './types.js';

/** worker_threads: crash and CPU isolation, with the memory limit enforced by V8's resourceLimits. */
export const workerHost: Host = {
  isolation: 'worker',
  async launch(spec, kernel) {
    const bundle = spec.bundleFile;
    const entry = await runtimeFile('worker-entry');
    const worker = new Worker(entry, {
      workerData: { bundle, id: spec.id, maxFrameBytes: spec.maxFrameBytes },
      resourceLimits: { maxOldGenerationSizeMb: spec.memoryMb, maxYoungGenerationSizeMb: Math.max(4, Math.round(spec.memoryMb / 8)) },
      stdout: true,
      stderr: true,
      env: {},
      execArgv: [],
    });
    forwardLines(worker.stdout, (line) => spec.onOutput(line, 'stdout'));
    forwardLines(worker.stderr, (line) => spec.onOutput(line, 'stderr'));
    const peer = new RpcPeer(createPortTransport(worker, spec.maxFrameBytes), { name: `kernel→${spec.id}` });
    let failure: Error | undefined;
    let killed = false;
    worker.on('error', (e) => (failure = e));
    const exited = new Promise<ExitInfo>((resolve) =>
      worker.once('exit', (code) => {
        peer.close();
        const oom = (failure as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
        const reason = killed
          ? 'killed'
          : oom
            ? `memory limit of ${spec.memoryMb} MB exceeded`
            : failure
              ? `crashed: ${failure.message}`
              : `exited with code ${code}`;
        resolve({ code, reason });
      }),
    );
    return connectRuntime(peer, kernel, 'worker', exited, () => {
      killed = true;
      void worker.terminate();
    });
  },
};
