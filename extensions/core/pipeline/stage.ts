/** What a built-in stage is: a function of the query that decides whether the pipeline goes on. */
import type { ExtensionContext, StageResult } from '@langbot-ts/sdk';
import type { ConversationStore } from './conversations.js';
import type { Listeners } from './listeners.js';
import type { Monitoring } from './monitoring.js';
import type { Platform } from './platform.js';
import type { Query } from './query.js';
import type { RateLimiter } from './stages/rate-limit.js';

/** The pipeline extension's own settings (its manifest config). */
export interface PipelineSettings {
  commandEnable: boolean;
  commandPrefix: string[];
  /** Sessions whose commands run with admin level: `person_<id>` or `group_<id>`. */
  admins: string[];
  sensitiveWords: string[];
  /** Replace each masked character with this; empty to replace the whole word with `maskWord`. */
  mask: string;
  maskWord: string;
  /** The language of the pipeline's own notices: en_US or zh_Hans. */
  language: string;
}

export interface StageEnv {
  ctx: ExtensionContext;
  platform: Platform;
  listeners: Listeners;
  conversations: ConversationStore;
  monitoring: Monitoring;
  rateLimiter: RateLimiter;
  settings: PipelineSettings;
  /** Waits; replaced in tests and benchmarks. */
  sleep(ms: number): Promise<void>;
  random(): number;
}

/**
 * A stage returns one result, or yields several: each `continue` it yields runs the remaining stages once (this is
 * how a streamed reply or several replies flow through the output stages).
 */
export type Stage = (query: Query, env: StageEnv) => Promise<StageResult> | AsyncIterable<StageResult>;

export const CONTINUE: StageResult = Object.freeze({ result: 'continue' }) as StageResult;
export const INTERRUPT: StageResult = Object.freeze({ result: 'interrupt' }) as StageResult;
