/** RpcPeer (vscode-jsonrpc + frame checks + ajv + deadlines) over each transport, serving BenchEcho. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { RpcPeer, createMemoryPair, createPortTransport, createStreamTransport } from '../../kernel/rpc/index.js';
import { connectWebSocketRpc, listenWebSocketRpc } from '../../kernel/rpc/transports/websocket.js';
import { BenchEcho } from './echo-method.js';
import type { Target } from './raw.js';

const PARAMS = { value: 'ping' };

async function checked(peer: RpcPeer, close: () => Promise<void>): Promise<Target> {
  await peer.handshake();
  const first = await peer.call(BenchEcho, PARAMS);
  if (first.value !== 'ping') throw new Error(`echo returned ${JSON.stringify(first)}`);
  return { call: () => peer.call(BenchEcho, PARAMS), close };
}

export async function peerMemory(): Promise<Target> {
  const [a, b] = createMemoryPair();
  const server = new RpcPeer(b, { name: 'server' });
  server.handle(BenchEcho, ({ value }) => ({ value }));
  const client = new RpcPeer(a, { name: 'client' });
  return checked(client, async () => {
    client.close();
    server.close();
  });
}

export async function peerMessagePort(entry: string): Promise<Target> {
  const worker = new Worker(entry, { env: {}, execArgv: [] });
  const client = new RpcPeer(createPortTransport(worker), { name: 'client' });
  return checked(client, async () => {
    client.close();
    await worker.terminate();
  });
}

export async function peerStdio(entry: string): Promise<Target> {
  const child = spawn(process.execPath, [entry], { stdio: ['pipe', 'pipe', 'inherit'], env: {} });
  const exited = once(child, 'exit');
  const client = new RpcPeer(createStreamTransport(child.stdout!, child.stdin!), { name: 'client' });
  return checked(client, async () => {
    client.close();
    child.stdin!.end();
    const t = setTimeout(() => child.kill('SIGKILL'), 1000);
    await exited;
    clearTimeout(t);
  });
}

export async function peerWebSocket(): Promise<Target> {
  const token = randomBytes(16).toString('hex');
  const servers: RpcPeer[] = [];
  const server = await listenWebSocketRpc({
    token,
    host: '127.0.0.1',
    onConnection: (transport) => {
      const peer = new RpcPeer(transport, { name: 'server' });
      peer.handle(BenchEcho, ({ value }) => ({ value }));
      servers.push(peer);
    },
  });
  const client = new RpcPeer(await connectWebSocketRpc(`ws://127.0.0.1:${server.port}`, token), { name: 'client' });
  return checked(client, async () => {
    client.close();
    for (const peer of servers) peer.close();
    await server.close();
  });
}
