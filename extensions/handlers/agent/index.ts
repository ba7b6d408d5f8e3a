/**
 * langbot.handler-agent: the `agent` event handler — hands any event straight to a runner (no pipeline) and sends
 * what it answers back to where the event happened. Non-message events become a prompt through a template.
 */
import { RpcError, RpcErrorCode, contentText, defineExtension, type BotRef, type RunnerMessage, type RunnerRequest, type UnifiedEvent } from '@langbot-ts/sdk';
import { DEFAULT_EVENT_TEMPLATE, replyTarget, userText } from './prompt.js';

interface AgentConfig {
  runner: string;
  runner_config: Record<string, unknown>;
  system_prompt: string;
  event_template: string;
}

function configOf(raw: Record<string, unknown> | undefined): AgentConfig {
  const c = raw ?? {};
  if (typeof c.runner !== 'string' || !c.runner) throw new RpcError(RpcErrorCode.ValidationFailed, 'The agent rule needs `runner`, the id of a runner.');
  return {
    runner: c.runner,
    runner_config: c.runner_config && typeof c.runner_config === 'object' ? (c.runner_config as Record<string, unknown>) : {},
    system_prompt: typeof c.system_prompt === 'string' ? c.system_prompt : '',
    event_template: typeof c.event_template === 'string' && c.event_template ? c.event_template : DEFAULT_EVENT_TEMPLATE,
  };
}

let sequence = 0;

export default defineExtension({
  activate(ctx) {
    ctx.provide('eventHandlers', 'agent', {
      handle: async (args: { event: UnifiedEvent; bot: BotRef; config?: Record<string, unknown> }) => {
        const { event, bot } = args;
        const config = configOf(args.config);
        const e = event as Record<string, any>;
        const isMessage = event.type === 'message.received';
        const launcher_type = isMessage ? (e.chat_type === 'group' ? 'group' : 'person') : e.group ? 'group' : 'person';
        const launcher_id = String(isMessage ? e.chat_id : (e.group?.id ?? e.user?.id ?? e.member?.id ?? ''));
        const sender_id = String(e.sender?.id ?? e.user?.id ?? e.member?.id ?? '');
        const request: RunnerRequest = {
          query_id: `agent-${Date.now().toString(36)}-${++sequence}`,
          bot,
          event,
          launcher_type,
          launcher_id,
          sender_id,
          session_id: `${bot.uuid}:${launcher_type}_${launcher_id}`,
          conversation_id: '',
          prompt: config.system_prompt ? [{ role: 'system', content: config.system_prompt }] : [],
          messages: [],
          user_message: { role: 'user', content: userText(event, config.event_template) },
          message_chain: isMessage ? e.message_chain : [],
          variables: { event_type: event.type, launcher_type, launcher_id, sender_id },
          config: config.runner_config,
          stream: false,
        };
        const answers: string[] = [];
        for await (const message of ctx.stream<RunnerMessage>('contributions', 'stream', { point: 'runners', id: config.runner, method: 'run', args: request })) {
          if (message.role !== 'assistant' || (message.streaming && !message.is_final)) continue;
          const text = contentText(message.content);
          if (text.trim()) answers.push(text);
        }
        const target = replyTarget(event);
        if (!target || answers.length === 0) return { answered: false };
        for (const text of answers) {
          const message = [{ type: 'Plain', text }];
          const api = target.kind === 'reply' ? { api: 'reply_message', args: { event, message } } : { api: 'send_message', args: { target_type: target.target_type, target_id: target.target_id, message } };
          await ctx.call('bots', 'api', { bot_uuid: bot.uuid, ...api });
        }
        return { answered: true, replies: answers.length };
      },
    });
  },
});
