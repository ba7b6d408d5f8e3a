/**
 * Reverse WebSocket: the OneBot implementation connects to us. Any path is accepted (`/ws`, `/onebot/v11/ws`, `/`),
 * with the `Universal` role or split `API` / `Event` roles (`X-Client-Role`). With an access token configured, a
 * handshake without it is answered 401 and one with a wrong token 403, and logged without the token.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExtensionLogger } from '@langbot-ts/sdk';
import WebSocket, { WebSocketServer } from 'ws';
import { presentedToken, tokenMatches } from './auth.js';

export type ClientRole = 'Universal' | 'API' | 'Event';

export interface ReverseConnection {
  socket: WebSocket;
  role: ClientRole;
  /** The `X-Self-ID` header: the QQ number the implementation is logged in as. */
  selfId?: string;
  remote: string;
}

export interface ReverseServerOptions {
  host: string;
  port: number;
  token: string;
  log: ExtensionLogger;
  onConnection(connection: ReverseConnection): void;
}

function roleOf(header: string | string[] | undefined): ClientRole {
  const value = String(Array.isArray(header) ? header[0] : (header ?? '')).toLowerCase();
  return value === 'api' ? 'API' : value === 'event' ? 'Event' : 'Universal';
}

export class ReverseServer {
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });

  constructor(private readonly options: ReverseServerOptions) {
    this.http = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('This is a OneBot v11 reverse WebSocket endpoint.\n');
    });
    this.http.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  /** Resolves with the bound port once listening. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) => {
        reject(new Error(error.code === 'EADDRINUSE' ? `Port ${this.options.port} on ${this.options.host} is already in use.` : `Could not listen on ${this.options.host}:${this.options.port}: ${error.message}`));
      };
      this.http.once('error', failed);
      this.http.listen(this.options.port, this.options.host, () => {
        this.http.off('error', failed);
        this.http.on('error', (error) => this.options.log.warn(`The OneBot reverse WebSocket server failed: ${error.message}`));
        const address = this.http.address();
        resolve(typeof address === 'object' && address ? address.port : this.options.port);
      });
    });
  }

  close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const { token } = this.options;
    if (token) {
      const presented = presentedToken(req.headers, req.url);
      if (!tokenMatches(token, presented)) {
        const status = presented === undefined ? '401 Unauthorized' : '403 Forbidden';
        this.options.log.warn(`Refused a OneBot connection from ${remote}: ${presented === undefined ? 'no access token' : 'wrong access token'}.`);
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const header = req.headers['x-self-id'];
      const selfId = typeof header === 'string' && /^\d+$/.test(header.trim()) ? header.trim() : undefined;
      this.options.onConnection({ socket: ws, role: roleOf(req.headers['x-client-role']), selfId, remote });
    });
  }
}
