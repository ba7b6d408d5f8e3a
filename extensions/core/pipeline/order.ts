/**
 * The order stages run in: upstream's, with stages other extensions contribute placed by their `after` / `before`
 * (a stage naming neither runs just before message processing).
 */
import { accessControl, groupRespondRules } from './stages/trigger.js';
import { postContentFilter, preContentFilter } from './stages/content-filter.js';
import { preprocess, truncate } from './stages/preprocess.js';
import { rateLimit } from './stages/rate-limit.js';
import { processMessage } from './stages/process.js';
import { longText, responseWrapper, sendResponse } from './stages/output.js';
import type { Stage } from './stage.js';

export const BUILTIN_STAGES: ReadonlyArray<readonly [string, Stage]> = [
  ['group-respond-rules', groupRespondRules],
  ['access-control', accessControl],
  ['pre-content-filter', preContentFilter],
  ['preprocess', preprocess],
  ['truncate', truncate],
  ['rate-limit', rateLimit],
  ['process', processMessage],
  ['post-content-filter', postContentFilter],
  ['response-wrapper', responseWrapper],
  ['long-text', longText],
  ['send-response', sendResponse],
];
export const BUILTIN_STAGE_IDS = BUILTIN_STAGES.map(([id]) => id);
const DEFAULT_ANCHOR = 'process';

export interface StageDeclaration {
  key: string;
  entry: { after?: string[]; before?: string[] };
}

/** Built-in ids with contributed stages inserted; anchors that do not exist fall back to the default place. */
export function stageOrder(contributed: StageDeclaration[]): string[] {
  const order = [...BUILTIN_STAGE_IDS];
  for (const { key, entry } of contributed) {
    if (BUILTIN_STAGE_IDS.includes(key)) continue;
    const after = entry.after?.map((a) => order.indexOf(a)).filter((i) => i >= 0);
    const before = entry.before?.map((b) => order.indexOf(b)).filter((i) => i >= 0);
    let at: number;
    if (after?.length) at = Math.max(...after) + 1;
    else if (before?.length) at = Math.min(...before);
    else at = order.indexOf(DEFAULT_ANCHOR);
    order.splice(at, 0, key);
  }
  return order;
}
