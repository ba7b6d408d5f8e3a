/**
 * Calls OneBot actions over a WebSocket: `{action, params, echo}` out, `{status, retcode, data, echo}` back, matched
 * by echo. A call fails fast when no socket can carry it, when its socket closes, or after the action timeout.
 */
import { RpcError, RpcErrorCode } from '@langbot-ts/sdk';
import WebSocket from 'ws';

interface Pending {
  action: string;
  socket: WebSocket;
  resolve(data: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** The implementation answered `failed`; `retcode` 1404 means it does not know the action. */
export class OneBotActionError extends RpcError {
  constructor(
    readonly action: string,
    readonly retcode: number,
    reason: string,
  ) {
    super(
      retcode === 1404 ? RpcErrorCode.NotSupported : RpcErrorCode.Unavailable,
      retcode === 1404 ? `The OneBot implementation does not support the action '${action}'.` : `OneBot action '${action}' failed (retcode ${retcode})${reason ? `: ${reason}` : '.'}`,
      { action, retcode },
    );
    this.name = 'OneBotActionError';
  }
}

export function isResponseFrame(frame: Record<string, unknown>): boolean {
  return frame.post_type === undefined && frame.echo !== undefined && (frame.status !== undefined || frame.retcode !== undefined);
}

export class ActionClient {
  private seq = 0;
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly timeoutMs: number,
    /** The socket that carries actions now, or a sentence saying why there is none. */
    private readonly socket: () => WebSocket | string,
  ) {}

  call(action: string, params: Record<string, unknown> = {}, timeoutMs = this.timeoutMs): Promise<unknown> {
    const socket = this.socket();
    if (typeof socket === 'string' || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new RpcError(RpcErrorCode.Unavailable, typeof socket === 'string' ? socket : 'The OneBot connection is closing.', { action }));
    }
    const echo = `langbot-${++this.seq}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(echo);
        reject(new RpcError(RpcErrorCode.Timeout, `OneBot action '${action}' got no answer within ${Math.round(timeoutMs / 1000)} s.`, { action }));
      }, timeoutMs);
      this.pending.set(echo, { action, socket, resolve, reject, timer });
      socket.send(JSON.stringify({ action, params, echo }), (error) => {
        if (error) this.settle(echo, () => reject(new RpcError(RpcErrorCode.Unavailable, `Could not send OneBot action '${action}': ${error.message}`, { action })));
      });
    });
  }

  /** Handles a response frame; false when it answers no pending call. */
  handleResponse(frame: Record<string, unknown>): boolean {
    const echo = String(frame.echo);
    const pending = this.pending.get(echo);
    if (!pending) return false;
    const ok = frame.status === 'ok' || frame.status === 'async' || (frame.status === undefined && Number(frame.retcode) === 0);
    this.settle(echo, () => {
      if (ok) pending.resolve(frame.data ?? null);
      else {
        const reason = [frame.wording, frame.message, frame.msg].find((t) => typeof t === 'string' && t) as string | undefined;
        pending.reject(new OneBotActionError(pending.action, Number(frame.retcode ?? -1), reason ?? ''));
      }
    });
    return true;
  }

  /** Fails the calls a closed socket was carrying. */
  failSocket(socket: WebSocket, reason: string): void {
    for (const [echo, pending] of this.pending) {
      if (pending.socket === socket) this.settle(echo, () => pending.reject(new RpcError(RpcErrorCode.ConnectionClosed, `OneBot action '${pending.action}' was cut off: ${reason}`, { action: pending.action })));
    }
  }

  failAll(reason: string): void {
    for (const [echo, pending] of this.pending) this.settle(echo, () => pending.reject(new RpcError(RpcErrorCode.ConnectionClosed, `OneBot action '${pending.action}' was cut off: ${reason}`, { action: pending.action })));
  }

  private settle(echo: string, finish: () => void): void {
    const pending = this.pending.get(echo);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(echo);
    finish();
  }
}
