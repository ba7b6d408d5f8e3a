import { defineExtension } from '@langbot-ts/sdk';

export default defineExtension({
  activate(ctx) {
    // The command the manifest declares under contributes.commands. `params` are the words after its name;
    // the answer is a text (or a list of { text, image_url, file_url } parts) sent back to the chat.
    ctx.provide('commands', '{{key}}', {
      execute: (args: { params: string[]; sender_id: string }) => {
        if (args.params.length === 0) return { text: 'Usage: !{{key}} <words…>' };
        const n = args.params.length;
        return { text: `${n} word${n === 1 ? '' : 's'}, ${args.sender_id}.` };
      },
    });
  },
});
