// A tiny RpcPeer that serves BenchEcho: inside a worker thread (over parentPort) or a child process (over stdio).
import { isMainThread, parentPort } from 'node:worker_threads';
import { RpcPeer, createPortTransport, createStreamTransport, type Transport } from '../../kernel/rpc/index.js';
import { BenchEcho } from './echo-method.js';

const transport: Transport = isMainThread ? createStreamTransport(process.stdin, process.stdout) : createPortTransport(parentPort!);
const peer = new RpcPeer(transport, { name: isMainThread ? 'bench-child' : 'bench-worker' });
peer.handle(BenchEcho, ({ value }) => ({ value }));
if (isMainThread) peer.onClose(() => process.exit(0));
