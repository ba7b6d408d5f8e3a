/**
 * A standalone WebSocket endpoint for the debug chat, on its own port, until the HTTP extension serves
 * `/api/v1/pipelines/<uuid>/ws/connect` itself. Off unless `port` is set.
 */
import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { debugChatTarget } from '@langbot-ts/sdk';
import type { DebugChatHub } from './hub.js';


export async function startServer(hub: DebugChatHub, port: number, host: string): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: -1, msg: 'Connect with a WebSocket.' }));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const target = debugChatTarget(req.url);
    if (!target) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = hub.open(target.pipeline_uuid, target.session_type);
      ws.on('message', (data) => hub.receive(connection, data.toString()));
      ws.on('close', () => connection.close('The socket closed.'));
      ws.on('error', () => connection.close('The socket failed.'));
      void (async () => {
        for await (const frame of connection.frames()) ws.send(JSON.stringify(frame));
        ws.close(1000);
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}
