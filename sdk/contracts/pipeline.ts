/**
 * Pipeline contracts: the bot reference handlers receive, the result a stage contribution returns, and the legacy
 * plugin event names the pipeline emits at its fixed points.
 */
import type { MessageChain } from './message-chain.js';

/** The bot a handler, stage or runner works for. `account_id` is the bot's own platform id when its adapter says. */
export interface BotRef {
  uuid: string;
  name: string;
  adapter: string;
  account_id?: string;
}

/** What a stage decides: go on with the next stage, or stop here (optionally telling the user why). */
export interface StageResult {
  result: 'continue' | 'interrupt';
  /** Sent to the user as a reply. */
  user_notice?: string | MessageChain;
  /** Logged only. */
  console_notice?: string;
  /** Logged and recorded as an error. */
  error_notice?: string;
}

/** The legacy plugin event names, emitted by the pipeline so old-style listeners keep working. */
export const LEGACY_EVENT_NAMES = [
  'PersonMessageReceived',
  'GroupMessageReceived',
  'PersonNormalMessageReceived',
  'GroupNormalMessageReceived',
  'PersonCommandSent',
  'GroupCommandSent',
  'NormalMessageResponded',
  'PromptPreProcessing',
] as const;
export type LegacyEventName = (typeof LEGACY_EVENT_NAMES)[number];

/**
 * What an event listener returns. Listeners run in priority order; each sees the event as the previous one left
 * it. `prevent_default` stops the built-in behaviour (the pipeline does not answer); `prevent_postorder` stops
 * lower-priority listeners. Mutable fields a legacy event carries (`reply_message_chain`, `user_message_alter`,
 * `prompt`, …) are returned in `event`.
 */
export interface ListenerOutcome {
  event?: Record<string, unknown>;
  prevent_default?: boolean;
  prevent_postorder?: boolean;
}

/** The result of dispatching one event to all listeners. */
export interface DispatchResult {
  event: Record<string, unknown>;
  prevented_default: boolean;
  /** The listeners that ran, as contribution keys, in order. */
  emitted: string[];
}
