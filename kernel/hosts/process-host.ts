import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { RpcPeer, createStreamTransport } from '../rpc/index.js';
import { connectRuntime } from './connection.js';
import { forwardLines } from './output-lines.js';
import { permissionFlags } from './permission-flags.js';
import { runtimeFile } from './runtime-files.js';
import type { ExitInfo, Host } from './types.js';

/** A child Node process under the permission model: the default for third-party extensions. */
export const processHost: Host = {
  isolation: 'process',
  async launch(spec, kernel) {
    const bundle = spec.bundleFile;
    const [entry] = await Promise.all([runtimeFile('process-entry'), mkdir(spec.dataDir, { recursive: true })]);
    const args = [...permissionFlags(spec, [entry, bundle]), `--max-old-space-size=${spec.memoryMb}`, entry, bundle, spec.id, String(spec.maxFrameBytes)];
    // The extension gets a clean environment: none of the kernel's secrets.
    const child = spawn(process.execPath, args, {
      cwd: spec.dataDir,
      env: { NODE_ENV: process.env.NODE_ENV ?? 'production', LANGBOT_EXTENSION_ID: spec.id },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stderrTail: string[] = [];
    forwardLines(child.stderr, (line) => {
      stderrTail.push(line);
      if (stderrTail.length > 20) stderrTail.shift();
      spec.onOutput(line, 'stderr');
    });
    const peer = new RpcPeer(createStreamTransport(child.stdout!, child.stdin!, spec.maxFrameBytes), { name: `kernel→${spec.id}` });
    let killed = false;
    const exited = new Promise<ExitInfo>((resolve) => {
      child.once('error', (e) => resolve({ reason: `could not start: ${e.message}` }));
      child.once('exit', (code, signal) => {
        peer.close();
        const oom = stderrTail.some((l) => l.includes('heap out of memory') || l.includes('Reached heap limit'));
        const reason = killed
          ? 'killed'
          : oom
            ? `memory limit of ${spec.memoryMb} MB exceeded`
            : signal
              ? `terminated by ${signal}`
              : `exited with code ${code}${stderrTail.length ? `: ${stderrTail.at(-1)}` : ''}`;
        resolve({ code, signal, reason });
      });
    });
    return connectRuntime(peer, kernel, 'process', exited, () => {
      killed = true;
      child.kill('SIGKILL');
    });
  },
};
