/**
 * The browser side of a chat WebSocket (the debug chat, the embed widget): the first frame must be
 * `{type:'authenticate', token}` within 10 s; frames sent before the chat opens wait (a bounded number); then client
 * frames go to the chat service and the service's frames stream back to the socket. A refusal is an error frame and
 * close 1008.
 */
import type { WebSocket } from 'ws';

const AUTH_TIMEOUT_MS = 10_000;
/** Frames a client may send between its authenticate frame and the chat opening. */
const PENDING_LIMIT = 20;

/** An open chat in a service: what the bridge sends to it, reads from it and closes. */
export interface ChatChannel {
  send(frame: string): Promise<unknown>;
  frames(): AsyncIterable<unknown>;
  close(): Promise<unknown>;
}

export interface ChatBridgeOptions {
  /** Checks the token and opens the chat: a channel, a refusal message, or null when already refused. */
  open(token: unknown): Promise<ChatChannel | string | null>;
  onError(error: unknown): void;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function bridgeChatSocket(ws: WebSocket, options: ChatBridgeOptions): { refuse(message: string): void } {
  let channel: ChatChannel | undefined;
  const pending: string[] = [];
  const refuse = (message: string) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify({ type: 'error', message }));
    ws.close(1008, Buffer.from(message).subarray(0, 120).toString());
  };
  const timer = setTimeout(() => channel === undefined && refuse('Unauthorized'), AUTH_TIMEOUT_MS);

  const start = async (token: unknown) => {
    const opened = await options.open(token);
    if (opened === null) return;
    if (typeof opened === 'string') return refuse(opened);
    channel = opened;
    clearTimeout(timer);
    // The client may have gone while the chat was opening.
    if (ws.readyState !== ws.OPEN) return void (await opened.close().catch(() => undefined));
    for (const frame of pending.splice(0)) await opened.send(frame);
    for await (const frame of opened.frames()) {
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
      let frame: { type?: unknown; token?: unknown } | null = null;
      try {
        frame = JSON.parse(text);
      } catch {
        return refuse('Unauthorized');
      }
      if (frame?.type !== 'authenticate') return refuse('Unauthorized');
      start(frame.token).catch((error) => {
        options.onError(error);
        refuse(describe(error));
      });
      return;
    }
    if (channel === undefined) {
      if (pending.length >= PENDING_LIMIT) return refuse('Too many frames before the connection opened.');
      pending.push(text);
    } else void channel.send(text).catch(() => undefined);
  });
  ws.on('close', () => {
    clearTimeout(timer);
    if (channel !== undefined) void channel.close().catch(() => undefined);
  });
  return { refuse };
}
