/**
 * The outgoing side of a chat connection (debug chat, embed widget): frames wait in a bounded queue that a socket or
 * an RPC stream drains. A client that stops reading and lets the queue fill is disconnected rather than buffered
 * without end.
 */
export const SEND_QUEUE_LIMIT = 100;

export type Frame = Record<string, unknown> & { type: string };

export class FrameQueue {
  closed = false;
  private readonly queue: Frame[] = [];
  private wake: (() => void) | undefined;
  private readonly onClose: ((reason: string) => void)[] = [];

  send(frame: Frame): void {
    if (this.closed) return;
    if (this.queue.length >= SEND_QUEUE_LIMIT) return this.close(`The client did not read ${SEND_QUEUE_LIMIT} pending frames.`);
    this.queue.push(frame);
    this.wake?.();
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.wake?.();
    for (const listener of this.onClose.splice(0)) listener(reason);
  }

  whenClosed(listener: (reason: string) => void): void {
    if (this.closed) listener('closed');
    else this.onClose.push(listener);
  }

  /** Frames as they come, until the connection closes (frames already queued are still delivered). */
  async *frames(): AsyncGenerator<Frame> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
