/**
 * Content filter, before and after the runner. Incoming: ignore rules drop a message silently; sensitive words
 * stop it with a notice. Outgoing: sensitive words are masked. Patterns are regular expressions.
 */
import { contentText, plainText } from '@langbot-ts/sdk';
import { anyMatches, compile } from '../safe-regex.js';
import { notice } from '../notices.js';
import { CONTINUE, type Stage, type StageEnv } from '../stage.js';


const TEXT_ONLY = new Set(['Plain', 'Source']);

/** Masks every sensitive word; `null` when nothing matched. */
export function maskSensitive(text: string, env: StageEnv): string | null {
  let out = text;
  for (const word of env.settings.sensitiveWords.slice(0, 1024)) {
    const regex = compile(word, (p, why) => env.ctx.log.warn(`Ignoring the sensitive word pattern '${p}': ${why}`));
    if (!regex) continue;
    const global = new RegExp(regex.source, 'gu');
    out = out.replace(global, (m) => (env.settings.mask ? env.settings.mask.repeat([...m].length) : env.settings.maskWord));
  }
  return out === text ? null : out;
}

export const preContentFilter: Stage = async (query, env) => {
  if (!query.message_chain.every((c) => TEXT_ONLY.has(c.type))) return CONTINUE;
  const text = plainText(query.message_chain);
  const ignore = query.config.trigger['ignore-rules'] as { prefix: string[]; regexp: string[] };
  if (ignore.prefix.some((p) => p !== '' && text.startsWith(p)) || anyMatches(ignore.regexp, text)) {
    return { result: 'interrupt', console_notice: 'The message matched an ignore rule.' };
  }
  const filter = query.config.safety['content-filter'] as { scope: string; 'check-sensitive-words': boolean };
  if (filter.scope !== 'output-msg' && filter['check-sensitive-words'] && maskSensitive(text, env) !== null) {
    return { result: 'interrupt', user_notice: notice('masked', env.settings.language), console_notice: 'The message contained a sensitive word.' };
  }
  // The runner sees the text alone, as upstream rewrites a passing message to one Plain.
  query.message_chain = [{ type: 'Plain', text }];
  return CONTINUE;
};

export const postContentFilter: Stage = async (query, env) => {
  const filter = query.config.safety['content-filter'] as { scope: string; 'check-sensitive-words': boolean };
  const last = query.responses.at(-1);
  if (!last || typeof last.content !== 'string' || filter.scope === 'income-msg' || !filter['check-sensitive-words']) return CONTINUE;
  const masked = maskSensitive(contentText(last.content), env);
  if (masked !== null) last.content = masked;
  return CONTINUE;
};
