/**
 * Forward WebSocket: we connect to the implementation's server (its `/` endpoint carries actions and events), sending
 * the access token as `Authorization: Bearer`. A dropped or failed connection is retried with backoff (0.5 s,
 * doubling, at most 30 s) until `stop`. A refused token on the very first attempt is a configuration error and
 * fails `start`; later it is logged and retried like any other failure.
 */
import type { ExtensionLogger } from '@langbot-ts/sdk';
import WebSocket from 'ws';

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
const HANDSHAKE_TIMEOUT_MS = 10_000;

export interface ForwardClientOptions {
  url: string;
  token: string;
  log: ExtensionLogger;
  /** Only the URL without credentials ever reaches a log line. */
  displayUrl: string;
  onConnection(socket: WebSocket): void;
}

export class AccessTokenRefused extends Error {
  constructor(status: number, url: string) {
    super(`The OneBot implementation at ${url} refused the access token (HTTP ${status}); check access-token.`);
    this.name = 'AccessTokenRefused';
  }
}

export class ForwardClient {
  private stopped = false;
  private delay = FIRST_DELAY_MS;
  private timer?: NodeJS.Timeout;
  private socket?: WebSocket;

  constructor(private readonly options: ForwardClientOptions) {}

  /** The first attempt: resolves connected or not (retrying continues); rejects only when the token is refused. */
  async start(): Promise<boolean> {
    try {
      await this.connect();
      return true;
    } catch (error) {
      if (error instanceof AccessTokenRefused) {
        this.stop();
        throw error;
      }
      this.options.log.warn(`Could not connect to the OneBot implementation at ${this.options.displayUrl} (${(error as Error).message}); retrying.`);
      this.schedule();
      return false;
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.terminate();
    this.socket = undefined;
  }

  private connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = this.options.token ? { Authorization: `Bearer ${this.options.token}` } : {};
      const socket = new WebSocket(this.options.url, { headers, handshakeTimeout: HANDSHAKE_TIMEOUT_MS, maxPayload: 64 * 1024 * 1024 });
      this.socket = socket;
      let open = false;
      socket.once('unexpected-response', (_req, res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        socket.terminate();
        reject(status === 401 || status === 403 ? new AccessTokenRefused(status, this.options.displayUrl) : new Error(`the handshake was answered with HTTP ${status}`));
      });
      socket.once('open', () => {
        open = true;
        this.delay = FIRST_DELAY_MS;
        this.options.log.info(`Connected to the OneBot implementation at ${this.options.displayUrl}.`);
        this.options.onConnection(socket);
        resolve();
      });
      socket.on('error', (error) => {
        if (!open) reject(error);
      });
      socket.once('close', () => {
        if (this.socket === socket) this.socket = undefined;
        if (!open || this.stopped) return;
        this.options.log.warn(`The OneBot connection to ${this.options.displayUrl} dropped; reconnecting.`);
        this.schedule();
      });
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const delay = this.delay;
    this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
    this.timer = setTimeout(() => {
      if (this.stopped) return;
      this.connect().catch((error: Error) => {
        if (this.stopped) return;
        this.options.log.warn(`Reconnecting to ${this.options.displayUrl} failed (${error.message}); next try in ${Math.round(this.delay / 1000)} s.`);
        this.schedule();
      });
    }, delay);
  }
}
