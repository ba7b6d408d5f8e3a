import { defineExtension } from '@langbot-ts/sdk';

interface Rule {
  keyword: string;
  reply: string;
}

interface MessageEvent {
  launcher_type: string;
  text_message: string;
}

export default defineExtension({
  activate(ctx) {
    const rules = ((ctx.config.rules ?? []) as Rule[]).map((r) => ({ keyword: r.keyword.toLowerCase(), reply: r.reply }));
    const groups = ctx.config.groups !== false;

    ctx.provide('eventListeners', '#0', {
      handle: (args: { event_name: string; event: MessageEvent }) => {
        const { event } = args;
        if (event.launcher_type === 'group' && !groups) return {};
        const text = String(event.text_message ?? '').toLowerCase();
        const rule = rules.find((r) => text.includes(r.keyword));
        if (!rule) return {};
        // prevent_default: the runner is not asked; the reply chain is sent instead.
        return { prevent_default: true, event: { ...event, reply_message_chain: [{ type: 'Plain', text: rule.reply }] } };
      },
    });
  },
});
