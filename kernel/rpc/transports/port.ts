import { DEFAULT_MAX_FRAME_BYTES, FrameReader, FrameWriter } from '../frames.js';
import type { Transport } from '../peer.js';

/** What both a worker_threads MessagePort and a Worker (or `parentPort`) offer. */
export interface PortLike {
  postMessage(value: unknown): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
  on(event: 'close' | 'exit', listener: () => void): unknown;
  off?(event: 'message', listener: (value: unknown) => void): unknown;
  close?(): void;
}

/** JSON text over a MessagePort: one string per frame, cheaper to clone than objects and measurable for limits. */
export function createPortTransport(port: PortLike, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES): Transport {
  const reader = new FrameReader(maxFrameBytes);
  const onMessage = (value: unknown) => reader.push(value);
  port.on('message', onMessage);
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    port.off?.('message', onMessage);
    reader.close();
  };
  port.on('close', close);
  const writer = new FrameWriter((frame) => {
    if (open) port.postMessage(frame);
  }, reader, maxFrameBytes);
  return { reader, writer, close };
}
