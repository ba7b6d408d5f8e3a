/**
 * langbot.handler-plugin: the `plugin` event handler (where events go when no rule matches) and the `listeners`
 * service the pipeline uses for the legacy plugin events.
 */
import { RpcError, RpcErrorCode, defineExtension, type BotRef, type UnifiedEvent } from '@langbot-ts/sdk';
import { Dispatcher } from './dispatch.js';

export default defineExtension({
  activate(ctx) {
    const dispatcher = new Dispatcher(ctx);
    ctx.provideService('listeners', {
      patterns: () => dispatcher.patterns(),
      dispatch: (args: { event_name?: unknown; event?: unknown; bot_uuid?: unknown }) => {
        if (typeof args?.event_name !== 'string' || !args.event_name) throw new RpcError(RpcErrorCode.ValidationFailed, '`event_name` must be a non-empty string.');
        if (typeof args.event !== 'object' || args.event === null) throw new RpcError(RpcErrorCode.ValidationFailed, '`event` must be an object.');
        return dispatcher.dispatch(args.event_name, args.event as Record<string, unknown>, typeof args.bot_uuid === 'string' ? args.bot_uuid : undefined);
      },
    });
    ctx.provide('eventHandlers', 'plugin', {
      handle: async (args: { event: UnifiedEvent; bot: BotRef }) => {
        const { event, bot } = args;
        const unified = await dispatcher.dispatch(event.type, event as Record<string, unknown>, bot.uuid);
        if (event.type !== 'message.received') return { emitted: unified.emitted };
        // Old-style listeners know message events by their legacy names.
        const legacyName = event.chat_type === 'group' ? 'GroupMessageReceived' : 'PersonMessageReceived';
        const legacy = await dispatcher.dispatch(
          legacyName,
          { launcher_type: event.chat_type === 'group' ? 'group' : 'person', launcher_id: String(event.chat_id), sender_id: String(event.sender.id), message_chain: event.message_chain, message_event: event },
          bot.uuid,
        );
        return { emitted: [...unified.emitted, ...legacy.emitted] };
      },
    });
  },
});
