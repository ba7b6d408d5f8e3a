import { readFile } from 'node:fs/promises';
import ivm from 'isolated-vm';
import { RpcError, RpcErrorCode } from '../rpc/errors.js';
import { FrameReader, FrameWriter } from '../rpc/frames.js';
import { RpcPeer } from '../rpc/peer.js';
import { connectRuntime } from './connection.js';
import { createIsolateLink } from './isolate-bridge.js';
import type { ExitInfo, Host } from './types.js';

const MAX_LINE = 8192;

/** isolated-vm: untrusted pure JS with memory and CPU time limits; the RPC bridge is all it can reach. */
export const isolateHost: Host = {
  isolation: 'isolate',
  async launch(spec, kernel) {
    const memoryMb = Math.max(8, spec.memoryMb);
    const bundle = await readFile(spec.bundleFile, 'utf8');
    const isolate = new ivm.Isolate({ memoryLimit: memoryMb });
    const reader = new FrameReader(spec.maxFrameBytes);
    const output = (text: string, stream: 'stdout' | 'stderr') => {
      for (const line of text.split('\n')) if (line.trim()) spec.onOutput(line.slice(0, MAX_LINE), stream);
    };
    let settle!: (info: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((resolve) => (settle = resolve));
    let stopped = false;
    const stop = (reason: string) => {
      if (stopped) return;
      stopped = true;
      link.close();
      if (!isolate.isDisposed) isolate.dispose();
      peer.close(new RpcError(RpcErrorCode.ConnectionClosed, `The extension's isolate stopped: ${reason}.`, { reason }));
      settle({ code: null, signal: null, reason });
    };
    const link = createIsolateLink(isolate, {
      name: `isolate:${spec.id}`,
      maxFrameBytes: spec.maxFrameBytes,
      cpuTimeMs: spec.cpuTimeMs,
      memoryMb,
      onFrame: (frame) => reader.push(frame),
      onOutput: output,
      onFatal: stop,
    });
    const writer = new FrameWriter((frame) => link.deliver(['f', frame]), reader, spec.maxFrameBytes);
    const peer = new RpcPeer({ reader, writer, close: () => reader.close() }, { name: `isolate:${spec.id}` });
    peer.onClose(() => stop('connection closed'));
    try {
      await link.load(bundle, spec.bundleFile);
      return await connectRuntime(peer, kernel, 'isolate', exited, () => stop('killed'));
    } catch (e) {
      stop(`start-up failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  },
};
