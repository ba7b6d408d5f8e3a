/**
 * What runners read and write: conversation messages in the shape LLM APIs use (OpenAI-style roles and content
 * parts), and the request a pipeline or an agent handler sends to a runner contribution (`runners:<id>.run`).
 */
import type { BotRef } from './pipeline.js';
import type { MessageReceivedEvent, UnifiedEvent } from './events.js';
import type { MessageChain } from './message-chain.js';

export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'file_url'; file_url: { url: string; name?: string } };

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ConversationMessage {
  role: 'system' | 'user' | 'assistant' | 'tool' | 'command' | 'plugin';
  content: string | ContentPart[] | null;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  name?: string;
}

/**
 * One item a runner yields. Without `streaming` it is a complete message (a tool call, a final answer; each is
 * sent on its own). With `streaming: true` it is a chunk of the message being written: `content` is the whole
 * text so far, and `is_final` marks the last chunk.
 */
export interface RunnerMessage extends ConversationMessage {
  streaming?: boolean;
  is_final?: boolean;
  /** Why the model stopped, when it says. */
  finish_reason?: string;
  /** A reply with more than text (images, files) as a chain; `content` is then its text. */
  chain?: MessageChain;
}

/** The text of a message's content, images and files left out. */
export function contentText(content: ConversationMessage['content']): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  return content.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

export interface RunnerRequest {
  query_id: string;
  bot: BotRef;
  pipeline_uuid?: string;
  /** The event that caused this run: a message for the pipeline, any event for the agent handler. */
  event: UnifiedEvent | MessageReceivedEvent;
  launcher_type: 'person' | 'group';
  launcher_id: string;
  sender_id: string;
  session_id: string;
  conversation_id: string;
  /** System prompt and any other fixed messages, before the history. */
  prompt: ConversationMessage[];
  /** Earlier messages of the conversation, oldest first. */
  messages: ConversationMessage[];
  user_message: ConversationMessage;
  /** The incoming message as a chain (what a runner that talks to a platform, not an LLM, may want). */
  message_chain: MessageChain;
  variables: Record<string, unknown>;
  /** The runner's own configuration section, e.g. `ai.dify-service-api`. */
  config: Record<string, unknown>;
  /** Whether the adapter can show a reply while it is written: yield `streaming` chunks if so. */
  stream: boolean;
  /** The pipeline's choice of extensions a runner may use (upstream's `extensions_preferences`). */
  preferences?: ExtensionPreferences;
}

export interface ExtensionPreferences {
  enable_all_plugins?: boolean;
  /** Extension ids whose tools may be used when not all are. */
  plugins?: string[];
  enable_all_mcp_servers?: boolean;
  /** MCP server names whose tools may be used when not all are. */
  mcp_servers?: string[];
}
