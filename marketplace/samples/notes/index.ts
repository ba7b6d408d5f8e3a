import { defineExtension } from '@langbot-ts/sdk';

const MAX_NOTE_CHARS = 500;
const USAGE = 'Usage: !note add <text> | !note list | !note remove <number> | !note clear';

interface CommandArgs {
  params: string[];
  launcher_type: string;
  launcher_id: string;
}

export default defineExtension({
  activate(ctx) {
    const maxNotes = Number(ctx.config.maxNotes ?? 50);
    // One list per chat: a group's notes are shared by its members, a private chat's are the user's own.
    const keyOf = (args: CommandArgs) => `notes:${args.launcher_type}_${args.launcher_id}`;
    const load = async (key: string) => ((await ctx.call<{ value: string[] | null }>('kv', 'get', { key })).value ?? []);
    const save = (key: string, notes: string[]) => (notes.length > 0 ? ctx.call('kv', 'set', { key, value: notes }) : ctx.call('kv', 'delete', { key }));

    ctx.provide('commands', 'note', {
      execute: async (args: CommandArgs) => {
        const [sub = 'list', ...rest] = args.params;
        const key = keyOf(args);
        const notes = await load(key);
        switch (sub) {
          case 'add': {
            const text = rest.join(' ').trim();
            if (!text) return USAGE;
            if (text.length > MAX_NOTE_CHARS) return `A note may be at most ${MAX_NOTE_CHARS} characters long.`;
            if (notes.length >= maxNotes) return `This chat already has ${maxNotes} notes; remove some first.`;
            await save(key, [...notes, text]);
            return `Noted (#${notes.length + 1}).`;
          }
          case 'list':
            return notes.length === 0 ? 'No notes yet.' : notes.map((n, i) => `${i + 1}. ${n}`).join('\n');
          case 'remove': {
            const index = Number(rest[0]);
            if (!Number.isInteger(index) || index < 1 || index > notes.length) return `There is no note #${rest[0] ?? ''}; see !note list.`;
            const [removed] = notes.splice(index - 1, 1);
            await save(key, notes);
            return `Removed: ${removed}`;
          }
          case 'clear':
            await save(key, []);
            return `Cleared ${notes.length} note(s).`;
          default:
            return USAGE;
        }
      },
    });
  },
});
