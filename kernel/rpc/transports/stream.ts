import type { Readable, Writable } from 'node:stream';
import { RpcError, RpcErrorCode } from '../errors.js';
import { DEFAULT_MAX_FRAME_BYTES, FrameReader, FrameWriter } from '../frames.js';
import type { Transport } from '../peer.js';

/**
 * Newline-delimited JSON over a byte stream (child-process stdio). JSON text never contains a raw newline,
 * so a corrupt or oversize frame costs only that line: reading resumes at the next newline.
 */
export function createStreamTransport(input: Readable, output: Writable, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES): Transport {
  const reader = new FrameReader(maxFrameBytes);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let discarding = false;

  const onData = (chunk: Buffer) => {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      if (discarding) {
        discarding = false;
        continue;
      }
      const line = pendingBytes === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      pendingBytes = 0;
      if (line.length > 0) reader.push(line.toString('utf8'));
    }
    if (start < chunk.length && !discarding) {
      const rest = chunk.subarray(start);
      pendingBytes += rest.length;
      if (pendingBytes > maxFrameBytes) {
        pending = [];
        pendingBytes = 0;
        discarding = true;
        reader.malformed.fire({
          id: null,
          error: new RpcError(RpcErrorCode.PayloadTooLarge, `Frame exceeds the ${maxFrameBytes}-byte limit; it was discarded.`, { limit: maxFrameBytes }),
        });
      } else pending.push(Buffer.from(rest));
    }
  };
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    input.off('data', onData);
    reader.close();
  };
  input.on('data', onData);
  input.on('end', close);
  input.on('close', close);
  input.on('error', close);
  output.on('error', close);

  const writer = new FrameWriter(
    (frame) =>
      new Promise<void>((resolve, reject) => {
        if (!open || output.writableEnded || output.destroyed) return reject(new RpcError(RpcErrorCode.ConnectionClosed, 'The stream is closed.'));
        // Resolve on flush; the callback-based write keeps ordering and applies backpressure to the sender.
        output.write(frame + '\n', (err) => (err ? reject(err) : resolve()));
      }),
    reader,
    maxFrameBytes,
  );
  return { reader, writer, close };
}
