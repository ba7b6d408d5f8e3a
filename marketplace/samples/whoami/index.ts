import { defineExtension } from '@langbot-ts/sdk';

interface CommandArgs {
  launcher_type: string;
  launcher_id: string;
  sender_id: string;
  bot_uuid: string;
  is_admin: boolean;
}

export default defineExtension({
  activate(ctx) {
    ctx.provide('commands', 'whoami', {
      execute: (args: CommandArgs) =>
        [
          `You: ${args.sender_id} (person_${args.sender_id})${args.is_admin ? ', an administrator' : ''}`,
          `This chat: ${args.launcher_type} ${args.launcher_id} (${args.launcher_type}_${args.launcher_id})`,
          `Bot: ${args.bot_uuid}`,
        ].join('\n'),
    });
  },
});
