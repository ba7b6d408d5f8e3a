import { defineExtension, type BotRef, type UnifiedEvent } from '@langbot-ts/sdk';

interface Person {
  id: string;
  nickname?: string;
}
interface MemberEvent {
  type: string;
  group: { id: string; name?: string };
  member: Person;
}

const fill = (template: string, event: MemberEvent) =>
  template.replaceAll('{name}', event.member.nickname || event.member.id).replaceAll('{group}', event.group.name || event.group.id);

export default defineExtension({
  activate(ctx) {
    ctx.provide('eventHandlers', 'welcome', {
      handle: async (args: { event: UnifiedEvent; bot: BotRef; config?: { welcome?: string; goodbye?: string } }) => {
        const event = args.event as unknown as MemberEvent;
        const template = event.type === 'group.member_joined' ? args.config?.welcome : event.type === 'group.member_left' ? args.config?.goodbye : undefined;
        if (!template || !event.group?.id || !event.member?.id) return { sent: false };
        await ctx.call('bots', 'api', {
          bot_uuid: args.bot.uuid,
          api: 'send_message',
          args: { target_type: 'group', target_id: event.group.id, message: [{ type: 'Plain', text: fill(template, event) }] },
        });
        return { sent: true };
      },
    });
  },
});
