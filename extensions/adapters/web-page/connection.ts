/**
 * One visitor's WebSocket, as the adapter sees it: frames for the client wait in a bounded queue that the HTTP
 * server drains. A client that stops reading and lets the queue fill is disconnected rather than buffered without end.
 */
import { randomUUID } from 'node:crypto';
import { FrameQueue } from '@langbot-ts/sdk';

export class Connection extends FrameQueue {
  readonly id = randomUUID();
  /** Whether the client asked for streamed replies (its last message's `stream`). */
  stream = true;
}
