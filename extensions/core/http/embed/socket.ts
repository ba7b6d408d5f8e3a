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
import { bridgeChatSocket } from '../chat-socket-bridge.js';
import type { UpgradeRouter } from '../upgrade-router.js';

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
    const bridge = bridgeChatSocket(ws, {
      open: async (token) => {
        const bot = await checked;
        if (!bot) return null;
        const { valid } = typeof token === 'string' ? await embed.call<{ valid: boolean }>('check', { bot_uuid: bot.uuid, token }) : { valid: false };
        if (!valid) return 'Unauthorized';
        const { connection_id } = await embed.call<{ connection_id: string }>('open', { bot_uuid: bot.uuid, session_type: target.session_type, session_id: target.session_id });
        return {
          send: (frame) => embed.call('send', { connection_id, frame }),
          frames: () => embed.stream('frames', { connection_id }),
          close: () => embed.call('close', { connection_id }),
        };
      },
      onError: (error) => ctx.log.warn(`Embed chat failed: ${describe(error)}`, { bot: target.bot_uuid }),
    });
    // The bot and the page's origin are checked at once, not only when the client authenticates.
    const checked: Promise<EmbedBot | undefined> = resolveEmbedBot(ctx, target.bot_uuid).then(
      (bot) => {
        if (originAllowed(bot.settings.allowed_origins, origin)) return bot;
        bridge.refuse(`Pages of ${origin} may not use this bot.`);
        return undefined;
      },
      (error) => {
        bridge.refuse(describe(error));
        return undefined;
      },
    );
  };

  const release = upgrades.add((url) => url.startsWith(EMBED_PREFIX), onUpgrade);
  return () => {
    release();
    for (const client of wss.clients) client.terminate();
    wss.close();
  };
}
