/**
 * One debug-chat connection: frames to the client wait in a bounded queue that a socket (or an RPC stream) drains.
 * A client that stops reading and lets the queue fill is disconnected rather than buffered without end.
 */
import { FrameQueue } from '@langbot-ts/sdk';

export class Connection extends FrameQueue {
  readonly id: string;
  authenticated = false;
  /** Whether the client asked for streamed replies (its last message's `stream`). */
  stream = true;
  /** Messages of one connection are handled one after another. */
  chain: Promise<void> = Promise.resolve();

  constructor(
    id: string,
    readonly pipeline_uuid: string,
    readonly session_type: 'person' | 'group',
  ) {
    super();
    this.id = id;
  }

  /** The user id the bot sees, and the chat id: upstream's `websocket_<id>` and `websocketgroup_<id>`. */
  get sender_id(): string {
    return `websocket_${this.id}`;
  }

  get chat_id(): string {
    return this.session_type === 'group' ? `websocketgroup_${this.id}` : this.sender_id;
  }
}
