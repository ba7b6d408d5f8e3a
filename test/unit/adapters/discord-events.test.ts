/** Gateway dispatches → unified events. */
import { beforeEach, describe, expect, it } from 'vitest';
import { DispatchState, MalformedDispatchError } from '../../../extensions/adapters/discord/events.js';
import { parseEvent } from '../../../sdk/index.js';

const BOT = { id: '100', username: 'langbot', bot: true };
const ALICE = { id: '200', username: 'alice', global_name: 'Alice' };
const GUILD = '300';
const CHANNEL = '400';
const DM = '500';

let state: DispatchState;
beforeEach(() => {
  state = new DispatchState();
  state.convert('READY', { user: BOT, guilds: [{ id: GUILD, unavailable: true }] });
  state.convert('GUILD_CREATE', { id: GUILD, name: 'Guild', owner_id: ALICE.id, member_count: 2 });
});

const full = (draft: object) => ({ timestamp: 1, bot_uuid: 'b', adapter_name: 'discord', ...draft });
const msg = (extra: object = {}) => ({ id: '1', type: 0, channel_id: CHANNEL, guild_id: GUILD, author: ALICE, content: 'hi', timestamp: '2025-01-01T00:00:00Z', mentions: [], attachments: [], embeds: [], ...extra });

describe('messages', () => {
  it('a server message is a group chat on its channel, in its server', () => {
    const [event] = state.convert('MESSAGE_CREATE', msg({ member: { nick: 'Ally' } }));
    expect(event).toMatchObject({ type: 'message.received', message_id: '1', chat_type: 'group', chat_id: CHANNEL, group: { id: GUILD, name: 'Guild' }, sender: { id: ALICE.id, nickname: 'Ally' } });
    expect(parseEvent(full(event)).ok).toBe(true);
  });

  it('a DM is a private chat named after the user, and later DM events in that channel keep that name', () => {
    const [event] = state.convert('MESSAGE_CREATE', msg({ channel_id: DM, guild_id: undefined }));
    expect(event).toMatchObject({ chat_type: 'private', chat_id: ALICE.id });
    expect(state.dmChannelOf.get(ALICE.id)).toBe(DM);
    expect(state.convert('MESSAGE_DELETE', { id: '1', channel_id: DM })).toEqual([{ type: 'message.deleted', message_id: '1', chat_type: 'private', chat_id: ALICE.id }]);
  });

  it("never echoes the bot's own messages, edits or reactions", () => {
    expect(state.convert('MESSAGE_CREATE', msg({ author: BOT }))).toEqual([]);
    expect(state.convert('MESSAGE_UPDATE', msg({ author: BOT, edited_timestamp: '2025-01-01T00:00:01Z' }))).toEqual([]);
    expect(state.convert('MESSAGE_REACTION_ADD', { user_id: BOT.id, channel_id: CHANNEL, message_id: '1', guild_id: GUILD, emoji: { id: null, name: '👍' } })).toEqual([]);
  });

  it('skips the delete of a message the bot deleted itself', () => {
    state.deletedByBot.set('9', true);
    expect(state.convert('MESSAGE_DELETE', { id: '9', channel_id: CHANNEL, guild_id: GUILD })).toEqual([]);
    expect(state.convert('MESSAGE_DELETE', { id: '9', channel_id: CHANNEL, guild_id: GUILD })).toHaveLength(1);
  });

  it('an update with new text is an edit; an embed-only update is not', () => {
    const [edit] = state.convert('MESSAGE_UPDATE', msg({ content: 'hello', edited_timestamp: '2025-01-01T00:00:01Z' }));
    expect(edit).toMatchObject({ type: 'message.edited', message_id: '1', new_content: [{ type: 'Plain', text: 'hello' }], editor: { id: ALICE.id } });
    expect(parseEvent(full(edit)).ok).toBe(true);
    expect(state.convert('MESSAGE_UPDATE', { id: '1', channel_id: CHANNEL, guild_id: GUILD, embeds: [{}] })).toEqual([]);
  });

  it('bulk deletes become one message.deleted each', () => {
    expect(state.convert('MESSAGE_DELETE_BULK', { ids: ['1', '2'], channel_id: CHANNEL, guild_id: GUILD }).map((e: any) => e.message_id)).toEqual(['1', '2']);
  });

  it('system messages (pins, joins, boosts) are platform-specific, not messages', () => {
    expect(state.convert('MESSAGE_CREATE', msg({ type: 6 }))).toMatchObject([{ type: 'platform.specific', action: 'system_message' }]);
  });

  it('a malformed message is refused with the reason', () => {
    expect(() => state.convert('MESSAGE_CREATE', { id: '1', channel_id: CHANNEL })).toThrow(MalformedDispatchError);
    expect(() => state.convert('MESSAGE_CREATE', msg({ channel_id: undefined }))).toThrow(/channel_id/);
  });
});

describe('reactions', () => {
  it('names Unicode reactions by the emoji and custom ones as name:id', () => {
    const [add] = state.convert('MESSAGE_REACTION_ADD', { user_id: ALICE.id, channel_id: CHANNEL, message_id: '1', guild_id: GUILD, emoji: { id: null, name: '👍' }, member: { user: ALICE, nick: null } });
    expect(add).toMatchObject({ type: 'message.reaction', reaction: '👍', is_add: true, user: { id: ALICE.id, nickname: 'Alice' }, chat_id: CHANNEL });
    expect(parseEvent(full(add)).ok).toBe(true);
    const [remove] = state.convert('MESSAGE_REACTION_REMOVE', { user_id: ALICE.id, channel_id: CHANNEL, message_id: '1', guild_id: GUILD, emoji: { id: '777', name: 'party' } });
    expect(remove).toMatchObject({ reaction: 'party:777', is_add: false, user: { id: ALICE.id } });
  });
});

describe('members and servers', () => {
  const carol = { id: '600', username: 'carol' };
  it('member add, remove, ban and unban are group events on the server', () => {
    const types = ['GUILD_MEMBER_ADD', 'GUILD_MEMBER_REMOVE', 'GUILD_BAN_ADD', 'GUILD_BAN_REMOVE'].map((t) => state.convert(t, { guild_id: GUILD, user: carol })[0]);
    expect(types.map((e: any) => [e.type, e.group.id, e.member.id])).toEqual([
      ['group.member_joined', GUILD, '600'],
      ['group.member_left', GUILD, '600'],
      ['group.member_banned', GUILD, '600'],
      ['group.member_unbanned', GUILD, '600'],
    ]);
    for (const e of types) expect(parseEvent(full(e)).ok).toBe(true);
  });

  it('GUILD_CREATE for a server from READY is no event; for a new one it is an invitation', () => {
    expect(state.convert('GUILD_CREATE', { id: GUILD, name: 'Guild' })).toEqual([]);
    expect(state.convert('GUILD_CREATE', { id: '301', name: 'New', member_count: 5 })).toEqual([{ type: 'bot.invited_to_group', group: { id: '301', name: 'New', member_count: 5 } }]);
  });

  it('GUILD_UPDATE is group.info_updated naming the fields that changed', () => {
    expect(state.convert('GUILD_UPDATE', { id: GUILD, name: 'Renamed', owner_id: ALICE.id })).toEqual([
      { type: 'group.info_updated', group: { id: GUILD, name: 'Renamed', owner_id: ALICE.id, member_count: 2 }, changed_fields: ['name'] },
    ]);
  });

  it('GUILD_DELETE is a removal unless the server is only unavailable', () => {
    expect(state.convert('GUILD_DELETE', { id: GUILD, unavailable: true })).toEqual([]);
    expect(state.convert('GUILD_DELETE', { id: GUILD })).toEqual([{ type: 'bot.removed_from_group', group: { id: GUILD, name: 'Guild', member_count: 2, owner_id: ALICE.id } }]);
  });

  it("the bot's own timeout is bot.muted with the seconds left, its end bot.unmuted; others' updates are platform-specific", () => {
    const until = new Date(Date.now() + 60_000).toISOString();
    const [muted] = state.convert('GUILD_MEMBER_UPDATE', { guild_id: GUILD, user: BOT, communication_disabled_until: until });
    expect(muted).toMatchObject({ type: 'bot.muted', group: { id: GUILD } });
    expect((muted as any).duration).toBeGreaterThan(55);
    expect(state.convert('GUILD_MEMBER_UPDATE', { guild_id: GUILD, user: BOT, communication_disabled_until: null })).toMatchObject([{ type: 'bot.unmuted' }]);
    expect(state.convert('GUILD_MEMBER_UPDATE', { guild_id: GUILD, user: BOT, communication_disabled_until: null })).toEqual([]);
    expect(state.convert('GUILD_MEMBER_UPDATE', { guild_id: GUILD, user: ALICE, nick: 'x' })).toMatchObject([{ type: 'platform.specific', action: 'guild_member_update' }]);
  });
});

describe('everything else', () => {
  it('unknown and unmapped dispatches become platform.specific with their data', () => {
    expect(state.convert('INTERACTION_CREATE', { id: '1', type: 3 })).toEqual([{ type: 'platform.specific', action: 'interaction_create', data: { id: '1', type: 3 } }]);
    expect(state.convert('SOMETHING_NEW', 42)).toEqual([{ type: 'platform.specific', action: 'something_new', data: { value: 42 } }]);
  });

  it('gateway plumbing is no event', () => {
    for (const t of ['RESUMED', 'PRESENCE_UPDATE', 'GUILD_MEMBERS_CHUNK', 'VOICE_STATE_UPDATE']) expect(state.convert(t, {})).toEqual([]);
  });
});
