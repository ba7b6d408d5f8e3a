/**
 * `WS /api/v1/pipelines/<uuid>/ws/connect?session_type=person|group`: the console's debug chat. The client's first
 * frame authenticates with its sign-in token (or an API key); the connection then belongs to the debug-chat
 * extension, and frames flow both ways through the `debug-chat` service.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { debugChatTarget, type ExtensionContext } from '@langbot-ts/sdk';
import type { Guard } from './auth/guard.js';
import { bridgeChatSocket } from './chat-socket-bridge.js';
import type { UpgradeRouter } from './upgrade-router.js';

export function serveDebugChat(upgrades: UpgradeRouter, ctx: Pick<ExtensionContext, 'call' | 'stream' | 'log'>, guard: Guard): () => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = debugChatTarget(req.url);
    if (!target) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, target.pipeline_uuid, target.session_type));
  };

  const attach = (ws: WebSocket, pipeline_uuid: string, session_type: string) =>
    bridgeChatSocket(ws, {
      open: async (token) => {
        if (typeof token !== 'string' || !(await guard.accepts(token))) return 'Unauthorized';
        const { connection_id } = await ctx.call<{ connection_id: string }>('debug-chat', 'open', { pipeline_uuid, session_type, authenticated: true });
        return {
          send: (frame) => ctx.call('debug-chat', 'send', { connection_id, frame }),
          frames: () => ctx.stream('debug-chat', 'frames', { connection_id }),
          close: () => ctx.call('debug-chat', 'close', { connection_id }),
        };
      },
      onError: (error) => ctx.log.warn(`Debug chat failed: ${error instanceof Error ? error.message : String(error)}`),
    });

  const release = upgrades.add((url) => url.startsWith('/api/v1/pipelines/'), onUpgrade);
  return () => {
    release();
    for (const client of wss.clients) client.terminate();
    wss.close();
  };
}
