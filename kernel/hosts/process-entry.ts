// Runs as a child process: serves one extension over stdin/stdout. Console output goes to stderr so that
// nothing an extension prints can corrupt the RPC stream.
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';
import { RpcPeer, createStreamTransport } from '../rpc/index.js';
import { serveRuntime } from './remote-runtime.js';

const [bundle, id, maxFrameBytes] = process.argv.slice(2);
const toStderr = (...args: unknown[]) => void process.stderr.write(format(...args) + '\n');
console.log = console.info = console.debug = console.warn = console.error = toStderr;

const peer = new RpcPeer(createStreamTransport(process.stdin, process.stdout, Number(maxFrameBytes)), { name: `process:${id}` });
peer.onClose(() => process.exit(0));
serveRuntime(peer, () => import(pathToFileURL(bundle).href), () => {
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsedBytes: heapUsed, rssBytes: rss };
});
