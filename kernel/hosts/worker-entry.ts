// Runs inside a worker thread: serves one extension over the parent port.
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { RpcPeer, createPortTransport } from '../rpc/index.js';
import { serveRuntime } from './remote-runtime.js';

const { bundle, id, maxFrameBytes } = workerData as { bundle: string; id: string; maxFrameBytes: number };
const peer = new RpcPeer(createPortTransport(parentPort!, maxFrameBytes), { name: `worker:${id}` });
serveRuntime(peer, () => import(pathToFileURL(bundle).href), () => ({ heapUsedBytes: getHeapStatistics().used_heap_size }));
