import { DEFAULT_MAX_FRAME_BYTES, FrameReader, FrameWriter } from '../frames.js';
import type { Transport } from '../peer.js';

/** Two connected in-memory transports. Frames still travel as text so limits and validation apply. */
export function createMemoryPair(maxFrameBytes = DEFAULT_MAX_FRAME_BYTES): [Transport & { inject(frame: unknown): void }, Transport & { inject(frame: unknown): void }] {
  const readers = [new FrameReader(maxFrameBytes), new FrameReader(maxFrameBytes)] as const;
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    readers[0].close();
    readers[1].close();
  };
  const end = (self: 0 | 1) => {
    const other = readers[self === 0 ? 1 : 0];
    const writer = new FrameWriter((frame) => {
      if (open) queueMicrotask(() => other.push(frame));
    }, readers[self], maxFrameBytes);
    return { reader: readers[self], writer, close, inject: (frame: unknown) => readers[self].push(frame) };
  };
  return [end(0), end(1)];
}
