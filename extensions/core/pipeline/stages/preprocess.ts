/**
 * Preprocessing: the session and its current conversation (a new one after `expire-time` idle seconds), the prompt,
 * the query variables and the user message as the runner will see it. Plugins may rewrite the prompt through
 * `PromptPreProcessing`.
 */
import { plainText, type ContentPart, type ConversationMessage, type MessageChain } from '@langbot-ts/sdk';
import { CONTINUE, type Stage } from '../stage.js';

/** The runner section of the config: `ai.<runner>`. */
export function runnerConfig(config: { ai: Record<string, Record<string, unknown>> }): { id: string; section: Record<string, unknown> } {
  const id = String(config.ai.runner?.runner ?? 'local-agent');
  return { id, section: config.ai[id] ?? {} };
}

function contentOf(chain: MessageChain, combineQuote: boolean): ContentPart[] {
  const parts: ContentPart[] = [];
  const text = (t: string) => {
    const last = parts.at(-1);
    if (last?.type === 'text') last.text += t;
    else if (t) parts.push({ type: 'text', text: t });
  };
  for (const c of chain) {
    if (c.type === 'Image') {
      const url = c.base64 ?? c.url ?? c.path;
      if (url) parts.push({ type: 'image_url', image_url: { url } });
    } else if (c.type === 'File' || c.type === 'Voice') {
      const url = c.url ?? c.path ?? c.base64;
      if (url) parts.push({ type: 'file_url', file_url: { url, ...(c.type === 'File' && c.name ? { name: c.name } : {}) } });
    } else if (c.type === 'Quote') {
      if (combineQuote) text(`${plainText(c.origin)}\n`);
    } else text(plainText([c]));
  }
  return parts;
}

export const preprocess: Stage = async (query, env) => {
  const runner = runnerConfig(query.config);
  const expire = Number(query.config.ai.runner?.['expire-time'] ?? 0);
  const conversation = await env.conversations.currentFor(query.session, expire);
  query.conversation = conversation;

  const prompt = Array.isArray(runner.section.prompt) ? (runner.section.prompt as ConversationMessage[]) : [];
  query.prompt = prompt;
  query.messages = [...conversation.messages];
  if (await env.listeners.has('PromptPreProcessing')) {
    // Listeners get copies: what they change applies to this request only, never to the stored conversation.
    const edited = await env.listeners.emit('PromptPreProcessing', { session_name: `${query.launcher_type}_${query.launcher_id}`, default_prompt: structuredClone(prompt), prompt: structuredClone(conversation.messages) }, query.bot.uuid);
    if (Array.isArray(edited.event.default_prompt)) query.prompt = edited.event.default_prompt as ConversationMessage[];
    if (Array.isArray(edited.event.prompt)) query.messages = edited.event.prompt as ConversationMessage[];
  }

  const combineQuote = query.config.trigger.misc?.['combine-quote-message'] !== false;
  const content = contentOf(query.message_chain, combineQuote);
  const onlyText = content.every((p) => p.type === 'text');
  query.user_message = { role: 'user', content: onlyText ? content.map((p) => (p as { text: string }).text).join('') : content };

  const event = query.event;
  Object.assign(query.variables, {
    launcher_type: query.launcher_type,
    launcher_id: query.launcher_id,
    sender_id: query.sender_id,
    session_id: `${query.launcher_type}_${query.launcher_id}`,
    conversation_id: conversation.uuid,
    msg_create_time: Math.floor(event.timestamp),
    group_name: event.group?.name ?? '',
    sender_name: event.sender.nickname ?? '',
    user_message_text: plainText(query.message_chain),
  });
  return CONTINUE;
};

/** Keeps the last `max-round` user rounds of the history (upstream truncator `round`). */
export const truncate: Stage = async (query) => {
  const { section } = runnerConfig(query.config);
  const rounds = Number(section['max-round'] ?? 10);
  if (!(rounds > 0)) return CONTINUE;
  let seen = 0;
  for (let i = query.messages.length - 1; i >= 0; i--) {
    if (query.messages[i].role === 'user' && ++seen === rounds) {
      query.messages = query.messages.slice(i);
      return CONTINUE;
    }
  }
  return CONTINUE;
};
