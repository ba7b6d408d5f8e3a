/**
 * `WS /api/v1/embed/<bot_uuid>/ws/connect?session_type=person|group&session_id=<uuid>`: a visitor's chat. The bot
 * must be usable and the page's origin allowed (else an error frame and close 1008); the first frame is
 * `{type:'authenticate', token}` with the session token, within 10 s. The connection then belongs to the web page
 * adapter and frames flow both ways through the `embed` service, as the debug chat's do through `debug-chat`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ExtensionContext } from '@langbot-ts/sdk';
import { originAllowed, resolveEmbedBot, type EmbedBot } from './bot.js';
import { EmbedClient } from './client.js';
import { EMBED_PREFIX } from './cors.js';
import type { UpgradeRouter } from '../upgrade-router.js';

export const AUTH_TIMEOUT_MS = 10_000;
/** Frames a client may send between its authenticate frame and the connection opening. */
const PENDING_LIMIT = 20;
const PATH = /^\/api\/v1\/embed\/([^/]+)\/ws\/connect$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface EmbedTarget {
  bot_uuid: string;
  session_type: 'person' | 'group';
  session_id: string;
}

export function embedTarget(requestUrl: string | undefined): EmbedTarget | undefined {
  const url = new URL(requestUrl ?? '/', 'http://localhost');
  const match = PATH.exec(url.pathname);
  const session_type = url.searchParams.get('session_type') ?? 'person';
  const session_id = url.searchParams.get('session_id') ?? '';
  if (!match || (session_type !== 'person' && session_type !== 'group') || !UUID.test(session_id)) return undefined;
  return { bot_uuid: decodeURIComponent(match[1]), session_type, session_id };
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function serveEmbedSocket(upgrades: UpgradeRouter, ctx: Pick<ExtensionContext, 'call' | 'stream' | 'log'>): () => void {
  const embed = new EmbedClient(ctx);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = embedTarget(req.url);
    if (!target) {
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\n\r\nUse /api/v1/embed/<bot_uuid>/ws/connect?session_type=person|group&session_id=<uuid>.');
      return;
    }
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, target, origin));
  };

  const attach = (ws: WebSocket, target: EmbedTarget, origin: string | undefined) => {
    let connection: string | undefined;
    const pending: string[] = [];
    const refuse = (message: string) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(JSON.stringify({ type: 'error', message }));
      ws.close(1008, Buffer.from(message).subarray(0, 120).toString());
    };
    const timer = setTimeout(() => connection === undefined && refuse('Unauthorized'), AUTH_TIMEOUT_MS);
    const checked: Promise<EmbedBot | undefined> = resolveEmbedBot(ctx, target.bot_uuid).then(
      (bot) => {
        if (originAllowed(bot.settings.allowed_origins, origin)) return bot;
        refuse(`Pages of ${origin} may not use this bot.`);
        return undefined;
      },
      (error) => {
        refuse(describe(error));
        return undefined;
      },
    );

    const start = async (token: unknown) => {
      const bot = await checked;
      if (!bot) return;
      const { valid } = typeof token === 'string' ? await embed.call<{ valid: boolean }>('check', { bot_uuid: bot.uuid, token }) : { valid: false };
      if (!valid) return refuse('Unauthorized');
      if (ws.readyState !== ws.OPEN) return;
      const opened = await embed.call<{ connection_id: string }>('open', { bot_uuid: bot.uuid, session_type: target.session_type, session_id: target.session_id });
      connection = opened.connection_id;
      clearTimeout(timer);
      if (ws.readyState !== ws.OPEN) {
        await embed.call('close', { connection_id: connection }).catch(() => undefined);
        return;
      }
      for (const frame of pending.splice(0)) await embed.call('send', { connection_id: connection, frame });
      for await (const frame of embed.stream('frames', { connection_id: connection })) {
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
        if (frame?.type !== 'authenticate') return refuse('Unauthorized');
        start(frame.token).catch((error) => {
          ctx.log.warn(`Embed chat failed: ${describe(error)}`, { bot: target.bot_uuid });
          refuse(describe(error));
        });
        return;
      }
      if (connection === undefined) {
        if (pending.length >= PENDING_LIMIT) return refuse('Too many frames before the connection opened.');
        pending.push(text);
      } else void embed.call('send', { connection_id: connection, frame: text }).catch(() => undefined);
    });
    ws.on('close', () => {
      clearTimeout(timer);
      if (connection !== undefined) void embed.call('close', { connection_id: connection }).catch(() => undefined);
    });
  };

  const release = upgrades.add((url) => url.startsWith(EMBED_PREFIX), onUpgrade);
  return () => {
    release();
    for (const client of wss.clients) client.terminate();
    wss.close();
  };
}
