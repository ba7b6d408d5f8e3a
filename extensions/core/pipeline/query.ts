/** One message on its way through a pipeline: what the stages read and change. */
import type { BotRef, ConversationMessage, MessageChain, MessageReceivedEvent, RunnerMessage } from '@langbot-ts/sdk';
import type { PipelineConfig } from './config.js';
import type { Conversation, SessionInfo } from './conversations.js';
import type { Pipeline } from './store.js';

export interface Query {
  id: string;
  bot: BotRef;
  pipeline: Pick<Pipeline, 'uuid' | 'name' | 'extensions_preferences'>;
  config: PipelineConfig;
  event: MessageReceivedEvent;
  launcher_type: 'person' | 'group';
  launcher_id: string;
  sender_id: string;
  /** The message as the stages see it: triggers strip the mention or prefix that selected it. */
  message_chain: MessageChain;
  variables: Record<string, unknown>;
  session: SessionInfo;
  conversation?: Conversation;
  prompt: ConversationMessage[];
  /** The history the runner sees (after truncation). */
  messages: ConversationMessage[];
  user_message?: ConversationMessage;
  /** What the chat or command handler produced so far; the last one is being sent. */
  responses: RunnerMessage[];
  /** The chain the output stages prepare for the current response. */
  reply?: MessageChain;
  /** Whether the adapter shows replies while they are written. */
  stream: boolean;
  /** The adapter's handle on a reply being streamed, passed back with every chunk. */
  bot_message?: Record<string, unknown>;
  /** A rule routed this message to the pipeline explicitly, so the group response rules do not apply. */
  routed_by_rule: boolean;
  is_admin: boolean;
}

let counter = 0;
export const nextQueryId = () => `q-${Date.now().toString(36)}-${(++counter).toString(36)}`;

export function launcherOf(event: MessageReceivedEvent): { launcher_type: 'person' | 'group'; launcher_id: string; sender_id: string } {
  return {
    launcher_type: event.chat_type === 'group' ? 'group' : 'person',
    launcher_id: String(event.chat_id),
    sender_id: String(event.sender.id),
  };
}
