/** The `debug-chat` adapter: replies of the pipeline become `response` frames on the connection they answer. */
import { type MessageChain, type MessageReceivedEvent, type PlatformAdapterApi } from '@langbot-ts/sdk';
import type { DebugChatHub } from './hub.js';

export function debugChatAdapter(hub: DebugChatHub): PlatformAdapterApi & { start(): unknown; stop(): unknown } {
  const connection = (chatId: unknown) => {
    const found = hub.connectionFor(chatId);
    if (!found) throw new Error('The debug-chat connection has closed.');
    return found;
  };
  return {
    start: () => ({ account_id: 'debug-chat-bot' }),
    stop: () => ({}),
    async send_message(args) {
      const id = hub.nextId();
      hub.respond(connection(args.target_id), args.message as MessageChain, id, true);
      return { message_id: id };
    },
    async reply_message(args) {
      const id = hub.nextId();
      hub.respond(connection((args.event as MessageReceivedEvent).chat_id), args.message as MessageChain, id, true);
      return { message_id: id };
    },
    async reply_message_chunk(args) {
      const target = connection((args.event as MessageReceivedEvent).chat_id);
      const id = typeof args.bot_message?.message_id === 'string' ? args.bot_message.message_id : hub.nextId();
      // A client that asked for no streaming gets only the finished reply.
      if (target.stream || args.is_final) hub.respond(target, args.message as MessageChain, id, args.is_final === true);
      return { message_id: id };
    },
    async is_stream_output_supported() {
      return true;
    },
  };
}
