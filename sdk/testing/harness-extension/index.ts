import { contentText, defineExtension, type RunnerMessage, type RunnerRequest } from '@langbot-ts/sdk';
import type { ScriptRule } from '../chat.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default defineExtension({
  activate(ctx) {
    const outbox: { api: string; args: Record<string, unknown>; at: number }[] = [];
    const runs: RunnerRequest[] = [];
    let script: ScriptRule[] = [{ reply: 'echo: {text}' }];
    let handle = 0;

    const record = (api: string, result: (args: Record<string, unknown>) => unknown = () => ({ message_id: `m-${++handle}` })) => (args: Record<string, unknown>) => {
      outbox.push({ api, args, at: Date.now() });
      return result(args);
    };
    const adapter = {
      start: (args: { config?: { account_id?: string; fail?: string } }) => {
        if (args.config?.fail) throw new Error(args.config.fail);
        return { account_id: args.config?.account_id ?? 'bot-1' };
      },
      stop: () => ({}),
      send_message: record('send_message'),
      reply_message: record('reply_message'),
    };
    ctx.provide('adapters', 'harness', {
      ...adapter,
      get_group_info: (args: { group_id: string }) => ({ id: args.group_id, name: `Group ${args.group_id}` }),
      get_user_info: (args: { user_id: string }) => ({ id: args.user_id, nickname: `User ${args.user_id}` }),
      approve_friend_request: record('approve_friend_request', () => undefined),
      approve_group_invite: record('approve_group_invite', () => undefined),
      mute_member: record('mute_member', () => undefined),
      kick_member: record('kick_member', () => undefined),
      call_platform_api: record('call_platform_api', (args) => ({ ok: true, action: args.action })),
    });
    ctx.provide('adapters', 'harness-stream', {
      ...adapter,
      reply_message_chunk: record('reply_message_chunk', (args) => ({ message_id: (args.bot_message as { message_id?: string })?.message_id ?? `m-${++handle}` })),
    });

    ctx.provide('runners', 'scripted', {
      async *run(request: RunnerRequest): AsyncGenerator<RunnerMessage> {
        runs.push(request);
        const text = contentText(request.user_message.content);
        const rule = script.find((r) => !r.match || new RegExp(r.match, 'u').test(text)) ?? { reply: 'echo: {text}' };
        if (rule.delayMs) await sleep(rule.delayMs);
        if (rule.error) throw new Error(rule.error);
        for (const name of rule.tool_calls ?? []) {
          yield { role: 'assistant', content: null, tool_calls: [{ id: `call-${name}`, type: 'function', function: { name, arguments: '{}' } }] };
          yield { role: 'tool', content: `${name} done`, tool_call_id: `call-${name}` };
        }
        const fill = (template: string) =>
          template
            .replaceAll('{text}', text)
            .replaceAll('{sender}', request.sender_id)
            .replaceAll('{history}', String(request.messages.length))
            .replaceAll('{prompt}', request.prompt.map((m) => contentText(m.content)).join('\n'));
        if (rule.chunks && request.stream) {
          let sofar = '';
          for (const [i, chunk] of rule.chunks.entries()) {
            sofar += fill(chunk);
            yield { role: 'assistant', content: sofar, streaming: true, is_final: i === rule.chunks.length - 1 };
          }
          return;
        }
        yield { role: 'assistant', content: fill(rule.reply ?? (rule.chunks ?? []).join('')) };
      },
    });

    ctx.provide('tools', 'chat-harness', {
      emit: (args: { event: unknown }) => ctx.call('events', 'emit', { event: args.event }),
      idle: () => ctx.call('bots', 'idle', {}),
      outbox: (args: { since?: number }) => outbox.slice(args.since ?? 0),
      runs: () => runs,
      setScript: (args: { script: ScriptRule[] }) => {
        script = args.script;
        return { rules: script.length };
      },
      bots: (args: { method: string; args?: Record<string, unknown> }) => ctx.call('bots', args.method, args.args ?? {}),
      pipelines: (args: { method: string; args?: Record<string, unknown> }) => ctx.call('pipelines', args.method, args.args ?? {}),
      http: () => ctx.call('http', 'info', {}),
    });
  },
});
