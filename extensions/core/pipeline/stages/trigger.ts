/** Trigger stages: the group response rules and access control. */
import { plainText, type MessageChain } from '@langbot-ts/sdk';
import { anyMatches } from '../safe-regex.js';
import { CONTINUE, INTERRUPT, type Stage } from '../stage.js';

const invalid = (env: Parameters<Stage>[1]) => (pattern: string, reason: string) => env.ctx.log.warn(`Ignoring the regular expression '${pattern}': ${reason}`);

/** Removes up to two mentions of the bot; reports whether there was one. */
function stripMentions(chain: MessageChain, accountId: string | undefined): { chain: MessageChain; mentioned: boolean } {
  if (accountId === undefined) return { chain, mentioned: false };
  let removed = 0;
  const out = chain.filter((c) => {
    if (c.type === 'At' && String(c.target) === accountId && removed < 2) {
      removed++;
      return false;
    }
    return true;
  });
  return { chain: out, mentioned: removed > 0 };
}

/** Drops the space a removed mention leaves before the text. */
function trimLeading(chain: MessageChain): MessageChain {
  const [first, ...rest] = chain;
  return first?.type === 'Plain' ? [{ type: 'Plain', text: first.text.trimStart() }, ...rest] : chain;
}

/** Removes `prefix` from the first Plain component, and the whitespace after it. */
function stripPrefix(chain: MessageChain, prefix: string): MessageChain {
  const index = chain.findIndex((c) => c.type === 'Plain');
  if (index < 0) return chain;
  const first = chain[index] as { type: 'Plain'; text: string };
  const copy = [...chain];
  copy[index] = { type: 'Plain', text: first.text.trimStart().slice(prefix.length).trimStart() };
  return copy;
}

/** In groups the bot answers only when a rule matches: mentioned, a prefix, a pattern, or chance. */
export const groupRespondRules: Stage = async (query, env) => {
  if (query.launcher_type !== 'group' || query.routed_by_rule) return CONTINUE;
  const rules = query.config.trigger['group-respond-rules'] as { at: boolean; prefix: string[]; regexp: string[]; random: number };
  const mention = stripMentions(query.message_chain, query.bot.account_id);
  if (rules.at && mention.mentioned) {
    query.message_chain = trimLeading(mention.chain);
    return CONTINUE;
  }
  const text = plainText(query.message_chain).trimStart();
  const prefix = rules.prefix.find((p) => p !== '' && text.startsWith(p));
  if (prefix !== undefined) {
    query.message_chain = stripPrefix(query.message_chain, prefix);
    return CONTINUE;
  }
  if (anyMatches(rules.regexp, text, invalid(env))) return CONTINUE;
  if (rules.random > 0 && env.random() < rules.random) return CONTINUE;
  return { result: 'interrupt', console_notice: 'No group response rule matched.' };
};

/** Whether a list entry covers this chat: `person_<id>`, `group_<id>`, `person_*`, `group_*` or `*_<id>` (chat or sender). */
function listed(entries: string[], launcherType: string, launcherId: string, senderId: string): boolean {
  return entries.some((entry) => {
    const cut = entry.indexOf('_');
    if (cut < 0) return false;
    const kind = entry.slice(0, cut);
    const id = entry.slice(cut + 1);
    if (kind === '*') return id === launcherId || id === senderId;
    return kind === launcherType && (id === '*' || id === launcherId);
  });
}

export const accessControl: Stage = async (query) => {
  const rules = query.config.trigger['access-control'] as { mode: 'blacklist' | 'whitelist'; blacklist: string[]; whitelist: string[] };
  const hit = listed(rules.mode === 'whitelist' ? rules.whitelist : rules.blacklist, query.launcher_type, query.launcher_id, query.sender_id);
  const allowed = rules.mode === 'whitelist' ? hit : !hit;
  return allowed ? CONTINUE : { ...INTERRUPT, console_notice: `Access control (${rules.mode}) refused ${query.launcher_type}_${query.launcher_id}.` };
};
