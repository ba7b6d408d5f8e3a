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
import type { UpgradeRouter } from './upgrade-router.js';

const AUTH_TIMEOUT_MS = 10_000;

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

  const attach = (ws: WebSocket, pipeline_uuid: string, session_type: string) => {
    let connection: string | undefined;
    const pending: string[] = [];
    const refuse = (message: string) => {
      ws.send(JSON.stringify({ type: 'error', message }));
      ws.close(1008, message);
    };
    const timer = setTimeout(() => connection === undefined && refuse('Unauthorized'), AUTH_TIMEOUT_MS);

    const start = async (token: unknown) => {
      if (typeof token !== 'string' || !(await guard.accepts(token))) return refuse('Unauthorized');
      const opened = await ctx.call<{ connection_id: string }>('debug-chat', 'open', { pipeline_uuid, session_type, authenticated: true });
      connection = opened.connection_id;
      clearTimeout(timer);
      for (const frame of pending.splice(0)) await ctx.call('debug-chat', 'send', { connection_id: connection, frame });
      for await (const frame of ctx.stream('debug-chat', 'frames', { connection_id: connection })) {
        if (ws.readyState !== ws.OPEN) break;
        ws.send(JSON.stringify(frame));
      }
      if (ws.readyState === ws.OPEN) ws.close(1000);
    };

    let first = true;
    ws.on('message', (data) => {
      const text = data.toString();
      if (first) {
        first = false;
        let frame: { type?: unknown; token?: unknown } = {};
        try {
          frame = JSON.parse(text);
        } catch {
          return refuse('Unauthorized');
        }
        if (frame.type !== 'authenticate') return refuse('Unauthorized');
        start(frame.token).catch((error) => {
          ctx.log.warn(`Debug chat failed: ${error instanceof Error ? error.message : String(error)}`);
          if (ws.readyState === ws.OPEN) refuse(error instanceof Error ? error.message : String(error));
        });
        return;
      }
      if (connection === undefined) pending.push(text);
      else void ctx.call('debug-chat', 'send', { connection_id: connection, frame: text }).catch(() => undefined);
    });
    ws.on('close', () => {
      clearTimeout(timer);
      if (connection !== undefined) void ctx.call('debug-chat', 'close', { connection_id: connection }).catch(() => undefined);
    });
  };

  const release = upgrades.add((url) => url.startsWith('/api/v1/pipelines/'), onUpgrade);
  return () => {
    release();
    for (const client of wss.clients) client.terminate();
    wss.close();
  };
}
