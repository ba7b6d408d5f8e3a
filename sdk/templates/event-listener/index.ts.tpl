import { defineExtension, type ListenerOutcome } from '@langbot-ts/sdk';

export default defineExtension({
  activate(ctx) {
    // Event listeners have no name: the first entry of contributes.eventListeners is '#0', the next '#1'…
    ctx.provide('eventListeners', '#0', {
      handle: (args: { event_name: string; event: Record<string, unknown> }): ListenerOutcome => {
        if (String(args.event.text_message).trim().toLowerCase() !== 'ping') return {};
        // prevent_default: the pipeline does not ask the model; the reply chain is sent instead.
        return { prevent_default: true, event: { ...args.event, reply_message_chain: [{ type: 'Plain', text: 'pong' }] } };
      },
    });
  },
});
