/**
 * Message processing: a message that starts with a command prefix runs a command contribution; anything else goes
 * to the runner the pipeline names (`ai.runner.runner`), streamed when the adapter can show partial replies.
 * Plugins see both first (`*CommandSent`, `*NormalMessageReceived`) and may answer instead or stay silent.
 */
import { RpcError, contentText, plainText, type ConversationMessage, type MessageChain, type RunnerMessage, type RunnerRequest, type StageResult } from '@langbot-ts/sdk';
import { notice } from '../notices.js';
import type { Query } from '../query.js';
import type { Stage, StageEnv } from '../stage.js';
import { runnerConfig } from './preprocess.js';

/** Upstream's guards against a runaway stream. */
const MAX_STREAM_CHUNKS = 100_000;
const MAX_GENERATED_CHARS = 1024 * 1024;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
const legacy = (query: Query, person: string, group: string) => (query.launcher_type === 'group' ? group : person) as never;

/** What the user hears when the request failed, per `output.misc.exception-handling`. */
export function failureNotice(query: Query, error: unknown, language: string): StageResult {
  const misc = query.config.output.misc as { 'exception-handling': string; 'failure-hint': string };
  const detail = describe(error);
  const base: StageResult = { result: 'interrupt', error_notice: detail };
  if (misc['exception-handling'] === 'show-error') return { ...base, user_notice: notice('error', language, { detail }) };
  if (misc['exception-handling'] === 'show-hint') return { ...base, user_notice: misc['failure-hint'] };
  return base;
}

/** A listener prevented the default: it may have answered with `reply_message_chain`, which is then sent. */
async function* pluginAnswer(query: Query, chain: unknown): AsyncGenerator<StageResult> {
  if (!Array.isArray(chain) || chain.length === 0) return;
  query.responses.push({ role: 'plugin', content: plainText(chain as MessageChain), chain: chain as MessageChain });
  yield { result: 'continue' };
}

async function* chat(query: Query, env: StageEnv): AsyncGenerator<StageResult> {
  const text = plainText(query.message_chain);
  const base = { launcher_type: query.launcher_type, launcher_id: query.launcher_id, sender_id: query.sender_id, text_message: text, message_chain: query.message_chain };
  const seen = await env.listeners.emit(legacy(query, 'PersonNormalMessageReceived', 'GroupNormalMessageReceived'), base, query.bot.uuid);
  if (seen.prevented_default) return yield* pluginAnswer(query, seen.event.reply_message_chain);
  const alter = seen.event.user_message_alter;
  if (typeof alter === 'string') query.user_message = { role: 'user', content: alter };
  else if (Array.isArray(alter)) query.user_message = { role: 'user', content: alter as ConversationMessage['content'] };

  const runner = runnerConfig(query.config);
  const request: RunnerRequest = {
    query_id: query.id,
    bot: query.bot,
    pipeline_uuid: query.pipeline.uuid,
    event: query.event,
    launcher_type: query.launcher_type,
    launcher_id: query.launcher_id,
    sender_id: query.sender_id,
    session_id: query.session.key,
    conversation_id: query.conversation?.uuid ?? '',
    prompt: query.prompt,
    messages: query.messages,
    user_message: query.user_message!,
    message_chain: query.message_chain,
    variables: query.variables,
    config: runner.section,
    stream: query.stream,
    preferences: query.pipeline.extensions_preferences,
  };
  const finished: ConversationMessage[] = [];
  let chunks = 0;
  try {
    const replies = env.ctx.stream<RunnerMessage>('contributions', 'stream', { point: 'runners', id: runner.id, method: 'run', args: request });
    for await (const message of replies) {
      if (message.streaming) {
        if (++chunks > MAX_STREAM_CHUNKS || contentText(message.content).length > MAX_GENERATED_CHARS) throw new Error('The reply grew past the stream limits and was stopped.');
        const last = query.responses.at(-1);
        // A chunk replaces the chunk before it of the same message.
        if (last?.streaming && !last.is_final) query.responses[query.responses.length - 1] = message;
        else query.responses.push(message);
        if (message.is_final) finished.push(strip(message));
      } else {
        query.responses.push(message);
        finished.push(strip(message));
      }
      yield { result: 'continue' };
    }
  } catch (error) {
    env.monitoring.error(query, RpcError.is(error) ? error.code : 'RunnerError', describe(error));
    yield failureNotice(query, error, env.settings.language);
    return;
  }
  if (query.conversation) env.conversations.append(query.conversation, query.session, [query.user_message!, ...finished]);
}

/** What is kept in the conversation: the message without its streaming flags. */
function strip(message: RunnerMessage): ConversationMessage {
  const { streaming: _s, is_final: _f, finish_reason: _r, chain: _c, ...rest } = message;
  return rest;
}

interface CommandEntry {
  name: string;
  aliases?: string[];
  level?: 'member' | 'admin';
}

type CommandOutput = string | { text?: string; image_url?: string; image_base64?: string; file_url?: string; file_name?: string };

function chainOf(outputs: CommandOutput[]): MessageChain {
  const out: MessageChain = [];
  for (const item of outputs) {
    if (typeof item === 'string') out.push({ type: 'Plain', text: item });
    else {
      if (item.text) out.push({ type: 'Plain', text: item.text });
      if (item.image_url) out.push({ type: 'Image', url: item.image_url });
      if (item.image_base64) out.push({ type: 'Image', base64: item.image_base64 });
      if (item.file_url) out.push({ type: 'File', url: item.file_url, ...(item.file_name ? { name: item.file_name } : {}) });
    }
  }
  return out;
}

async function* command(query: Query, env: StageEnv, prefix: string): AsyncGenerator<StageResult> {
  const text = plainText(query.message_chain).trimStart().slice(prefix.length).trim();
  const [name = '', ...params] = text.split(/\s+/);
  const seen = await env.listeners.emit(
    legacy(query, 'PersonCommandSent', 'GroupCommandSent'),
    { launcher_type: query.launcher_type, launcher_id: query.launcher_id, sender_id: query.sender_id, command: name, params, text_message: text, is_admin: query.is_admin },
    query.bot.uuid,
  );
  if (seen.prevented_default) return yield* pluginAnswer(query, seen.event.reply_message_chain);
  const commands = await env.ctx.call<{ key: string; entry: CommandEntry }[]>('contributions', 'list', { point: 'commands' });
  const found = commands.find((c) => c.entry.name === name || c.entry.aliases?.includes(name));
  if (!found) {
    yield { result: 'interrupt', user_notice: notice('unknownCommand', env.settings.language, { name }) };
    return;
  }
  if (found.entry.level === 'admin' && !query.is_admin) {
    yield { result: 'interrupt', user_notice: notice('permissionDenied', env.settings.language, { name }) };
    return;
  }
  try {
    const result = await env.ctx.call<CommandOutput | CommandOutput[] | undefined>('contributions', 'invoke', {
      point: 'commands',
      id: found.key,
      method: 'execute',
      args: { command: name, params, text, is_admin: query.is_admin, launcher_type: query.launcher_type, launcher_id: query.launcher_id, sender_id: query.sender_id, bot_uuid: query.bot.uuid, event: query.event },
    });
    const outputs = result === undefined ? [] : Array.isArray(result) ? result : [result];
    const chain = chainOf(outputs);
    if (chain.length === 0) return;
    query.responses.push({ role: 'command', content: plainText(chain), chain });
    yield { result: 'continue' };
  } catch (error) {
    yield failureNotice(query, error, env.settings.language);
  }
}

export const processMessage: Stage = (query, env) => {
  const text = plainText(query.message_chain).trimStart();
  const prefix = env.settings.commandEnable ? env.settings.commandPrefix.find((p) => p !== '' && text.startsWith(p)) : undefined;
  return prefix !== undefined ? command(query, env, prefix) : chat(query, env);
};
