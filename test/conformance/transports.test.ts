import { MessageChannel } from 'node:worker_threads';
import { PassThrough } from 'node:stream';
import { createMemoryPair, createPortTransport, createStreamTransport, RpcPeer } from '../../kernel/rpc/index.js';
import { connectWebSocketRpc, listenWebSocketRpc } from '../../kernel/rpc/transports/websocket.js';
import { describeRpcConformance } from './rpc-suite.js';
import { connectPair, peerTarget, serveConformance } from '../support/peer-target.js';

const LIMIT = 256 * 1024;

describeRpcConformance('in-memory transport', async () => {
  const [a, b] = createMemoryPair(LIMIT);
  const { client } = connectPair(a, b);
  await client.handshake();
  return peerTarget(client, LIMIT);
});

describeRpcConformance('MessagePort transport', async () => {
  const { port1, port2 } = new MessageChannel();
  const { client } = connectPair(createPortTransport(port1, LIMIT), createPortTransport(port2, LIMIT));
  await client.handshake();
  return peerTarget(client, LIMIT, () => {
    port1.close();
    port2.close();
  });
});

describeRpcConformance('stdio (byte stream) transport', async () => {
  const up = new PassThrough();
  const down = new PassThrough();
  const { client } = connectPair(createStreamTransport(down, up, LIMIT), createStreamTransport(up, down, LIMIT));
  await client.handshake();
  return peerTarget(client, LIMIT);
});

describeRpcConformance('WebSocket transport with token auth', async () => {
  const server = await listenWebSocketRpc({
    token: 'test-token',
    maxFrameBytes: LIMIT,
    onConnection: (transport) => serveConformance(new RpcPeer(transport, { name: 'ws-server' })),
  });
  const client = new RpcPeer(await connectWebSocketRpc(`ws://127.0.0.1:${server.port}`, 'test-token', LIMIT));
  await client.handshake();
  return peerTarget(client, LIMIT, () => server.close());
});
