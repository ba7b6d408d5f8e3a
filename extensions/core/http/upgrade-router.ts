/**
 * One listener for the server's WebSocket upgrades, dispatching by path to the endpoints that claim them (the debug
 * chat, the embed widget); an upgrade nobody claims is answered 404.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export class UpgradeRouter {
  private readonly routes: Array<{ claims: (url: string) => boolean; handle: UpgradeListener }> = [];
  private readonly dispatch: UpgradeListener = (req, socket, head) => {
    const url = req.url ?? '';
    const route = this.routes.find((r) => r.claims(url));
    if (route) route.handle(req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
  };

  constructor(private readonly server: Server) {
    server.on('upgrade', this.dispatch);
  }

  add(claims: (url: string) => boolean, handle: UpgradeListener): () => void {
    const route = { claims, handle };
    this.routes.push(route);
    return () => {
      const at = this.routes.indexOf(route);
      if (at >= 0) this.routes.splice(at, 1);
    };
  }

  close(): void {
    this.server.off('upgrade', this.dispatch);
  }
}
