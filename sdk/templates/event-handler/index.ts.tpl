import { defineExtension, plainText, type BotRef, type UnifiedEvent } from '@langbot-ts/sdk';

export default defineExtension({
  activate(ctx) {
    // The handler a bot's rule names with handler_type '{{key}}'. It gets every event the rule matches, the bot,
    // and the rule's handler_config.
    ctx.provide('eventHandlers', '{{key}}', {
      handle: async (args: { event: UnifiedEvent; bot: BotRef; config?: { prefix?: string } }) => {
        const { event, bot } = args;
        if (event.type !== 'message.received') return { answered: false };
        const text = `${args.config?.prefix ?? 'You said: '}${plainText(event.message_chain)}`;
        await ctx.call('bots', 'api', { bot_uuid: bot.uuid, api: 'reply_message', args: { event, message: [{ type: 'Plain', text }] } });
        return { answered: true };
      },
    });
  },
});
