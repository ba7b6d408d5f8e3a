/**
 * Output stages: wrap the response into a chain (plugins may replace it through `NormalMessageResponded`), apply
 * the long-text strategy, and send it back — as streamed chunks when the adapter edits messages in place.
 */
import { contentText, type MessageChain, type RunnerMessage } from '@langbot-ts/sdk';
import type { Query } from '../query.js';
import { CONTINUE, type Stage, type StageEnv } from '../stage.js';
import { renderTextImage } from '../text-image.js';

const THINK = /<think>[\s\S]*?(<\/think>|$)\s*/g;

const complete = (r: RunnerMessage) => !r.streaming || r.is_final === true;

export const responseWrapper: Stage = async (query, env) => {
  const response = query.responses.at(-1);
  if (!response) return { result: 'interrupt' };
  const misc = query.config.output.misc as { 'track-function-calls': boolean; 'remove-think': boolean };
  if (response.chain) {
    query.reply = response.role === 'command' ? prefixed('[bot] ', response.chain) : response.chain;
    return CONTINUE;
  }
  if (response.role === 'tool' || response.role === 'system' || response.role === 'user') return { result: 'interrupt' };
  let text = contentText(response.content);
  if (misc['remove-think']) text = text.replace(THINK, '');
  if (response.tool_calls?.length && !text.trim()) {
    if (!misc['track-function-calls']) return { result: 'interrupt' };
    query.reply = [{ type: 'Plain', text: `Call ${response.tool_calls.map((c) => c.function.name).join('.')}...` }];
    return CONTINUE;
  }
  if (response.role === 'command') {
    query.reply = [{ type: 'Plain', text: `[bot] ${text}` }];
    return CONTINUE;
  }
  if (complete(response) && response.role === 'assistant') {
    const funcs = query.responses.flatMap((r) => r.tool_calls?.map((c) => c.function.name) ?? []);
    const seen = await env.listeners.emit(
      'NormalMessageResponded',
      { launcher_type: query.launcher_type, launcher_id: query.launcher_id, sender_id: query.sender_id, session: query.session.key, prefix: '', response_text: text, finish_reason: response.finish_reason ?? 'stop', funcs_called: funcs },
      query.bot.uuid,
    );
    if (seen.prevented_default) {
      const chain = seen.event.reply_message_chain;
      if (!Array.isArray(chain) || chain.length === 0) return { result: 'interrupt', console_notice: 'A plugin prevented the reply.' };
      query.reply = chain as MessageChain;
      return CONTINUE;
    }
  }
  if (!text && !response.streaming) return { result: 'interrupt' };
  query.reply = [{ type: 'Plain', text }];
  return CONTINUE;
};

function prefixed(prefix: string, chain: MessageChain): MessageChain {
  const [first, ...rest] = chain;
  return first?.type === 'Plain' ? [{ type: 'Plain', text: prefix + first.text }, ...rest] : [{ type: 'Plain', text: prefix.trimEnd() }, ...chain];
}

/** Why the image strategy last fell back, so each reason is logged once rather than on every long reply. */
let lastFallback = '';

export const longText: Stage = async (query, env) => {
  const config = query.config.output['long-text-processing'] as { threshold: number; strategy: string; 'font-path': string };
  const response = query.responses.at(-1);
  const reply = query.reply;
  if (!reply || !response || !complete(response) || config.strategy === 'none') return CONTINUE;
  if (!reply.every((c) => c.type === 'Plain')) return CONTINUE;
  const text = reply.map((c) => (c as { text: string }).text).join('');
  if ([...text].length <= config.threshold) return CONTINUE;
  if (config.strategy === 'image') {
    const image = await renderTextImage(text, config['font-path']);
    if (image.ok) {
      query.reply = [{ type: 'Image', base64: image.dataUri }];
      return CONTINUE;
    }
    if (image.reason !== lastFallback) {
      lastFallback = image.reason;
      env.ctx.log.warn(`A long reply is sent as a forwarded message instead of an image: ${image.reason}.`);
    }
  }
  query.reply = [{ type: 'Forward', display: { title: 'Chat history', brief: '[Chat history]' }, node_list: [{ sender_id: query.bot.account_id ?? query.bot.uuid, sender_name: 'User', message_chain: [{ type: 'Plain', text }] }] }];
  return CONTINUE;
};

/** Puts `At(sender)` first in group chats when `at-sender` is on. */
export function addressed(query: Query, chain: MessageChain): MessageChain {
  const misc = query.config.output.misc as { 'at-sender': boolean };
  if (query.launcher_type !== 'group' || !misc['at-sender']) return chain;
  return [{ type: 'At', target: query.event.sender.id, ...(query.event.sender.nickname ? { display: query.event.sender.nickname } : {}) }, { type: 'Plain', text: ' ' }, ...chain];
}

async function forceDelay(query: Query, env: StageEnv): Promise<void> {
  const delay = query.config.output['force-delay'] as { min: number; max: number };
  const max = Math.max(delay.min, delay.max);
  if (max <= 0) return;
  await env.sleep((delay.min + env.random() * (max - delay.min)) * 1000);
}

export const sendResponse: Stage = async (query, env) => {
  const response = query.responses.at(-1);
  const reply = query.reply;
  if (!response || !reply) return CONTINUE;
  query.reply = undefined;
  const quote = (query.config.output.misc as { 'quote-origin': boolean })['quote-origin'];
  const chain = addressed(query, reply);
  if (response.streaming && query.stream) {
    if (!query.bot_message) await forceDelay(query, env);
    const result = await env.platform.replyChunk(query.bot.uuid, query.event, query.bot_message ?? {}, chain, quote, response.is_final === true);
    if (result && typeof result === 'object') query.bot_message = { ...(query.bot_message ?? {}), ...(result as Record<string, unknown>) };
    if (response.is_final) query.bot_message = undefined;
  } else {
    // Without streaming only complete messages are sent.
    if (!complete(response)) return CONTINUE;
    await forceDelay(query, env);
    await env.platform.reply(query.bot.uuid, query.event, chain, quote);
  }
  if (complete(response)) env.monitoring.message(query, 'assistant', contentText(response.content), 'success', String(query.config.ai.runner?.runner ?? ''));
  return CONTINUE;
};
