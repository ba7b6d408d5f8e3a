/** OneBot v11 events → unified events, checked against the unified event schemas. */
import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../sdk/index.js';
import { convertEvent, type RawEvent } from '../../../extensions/adapters/onebot/events.js';

const SELF = 3000001;
const base = { time: 1_700_000_000, self_id: SELF };

/** Converts and checks the result is a valid unified event once the kernel fills in the common fields. */
async function convert(raw: RawEvent) {
  const event = await convertEvent({ ...base, ...raw });
  if (event) {
    const parsed = parseEvent({ ...event, bot_uuid: 'b', adapter_name: 'aiocqhttp', timestamp: event.timestamp ?? 1 });
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
  }
  return event;
}

describe('messages', () => {
  it('a private message becomes message.received with the Source first and the sender', async () => {
    const event = await convert({ post_type: 'message', message_type: 'private', sub_type: 'friend', message_id: 11, user_id: 10001, message: [{ type: 'text', data: { text: 'hi' } }], sender: { user_id: 10001, nickname: 'Alice' } });
    expect(event).toMatchObject({
      type: 'message.received',
      timestamp: 1_700_000_000,
      message_id: 11,
      chat_type: 'private',
      chat_id: 10001,
      sender: { id: 10001, nickname: 'Alice' },
      message_chain: [{ type: 'Source', id: 11, time: 1_700_000_000 }, { type: 'Plain', text: 'hi' }],
    });
  });

  it('a group message carries the group and prefers the group card as the name', async () => {
    const event = await convert({ post_type: 'message', message_type: 'group', message_id: 12, group_id: 20001, user_id: 10002, message: 'yo', sender: { nickname: 'Bob', card: 'Bobby' } });
    expect(event).toMatchObject({ chat_type: 'group', chat_id: 20001, group: { id: 20001 }, sender: { id: 10002, nickname: 'Bobby' }, message_chain: [{ type: 'Source' }, { type: 'Plain', text: 'yo' }] });
  });

  it("the bot's own messages (message_sent, or its own user id) yield nothing", async () => {
    expect(await convert({ post_type: 'message_sent', message_type: 'private', message_id: 1, user_id: SELF, message: 'x' })).toBeUndefined();
    expect(await convert({ post_type: 'message', message_type: 'group', message_id: 2, group_id: 1, user_id: SELF, message: 'x' })).toBeUndefined();
  });

  it('an incomplete message becomes platform.specific instead of a broken event', async () => {
    expect(await convert({ post_type: 'message', message_type: 'group', message_id: 3, user_id: 1, message: 'x' })).toMatchObject({ type: 'platform.specific', action: 'message.group' });
  });
});

describe('notices', () => {
  it('recalls become message.deleted in groups and private chats', async () => {
    expect(await convert({ post_type: 'notice', notice_type: 'group_recall', group_id: 20001, user_id: 10002, operator_id: 10001, message_id: 5 })).toMatchObject({
      type: 'message.deleted', message_id: 5, chat_type: 'group', chat_id: 20001, operator: { id: 10001 },
    });
    expect(await convert({ post_type: 'notice', notice_type: 'friend_recall', user_id: 10001, message_id: 6 })).toMatchObject({ type: 'message.deleted', message_id: 6, chat_type: 'private', chat_id: 10001 });
  });

  it('group_increase: a member joins, or the bot was added to a group', async () => {
    expect(await convert({ post_type: 'notice', notice_type: 'group_increase', sub_type: 'invite', group_id: 20001, operator_id: 10001, user_id: 10003 })).toEqual(
      expect.objectContaining({ type: 'group.member_joined', group: { id: 20001 }, member: { id: 10003 }, inviter: { id: 10001 }, join_type: 'invite' }),
    );
    expect(await convert({ post_type: 'notice', notice_type: 'group_increase', sub_type: 'approve', group_id: 20002, operator_id: 10001, user_id: SELF })).toMatchObject({ type: 'bot.invited_to_group', group: { id: 20002 } });
  });

  it('group_decrease: leave and kick of members, kick_me of the bot', async () => {
    expect(await convert({ post_type: 'notice', notice_type: 'group_decrease', sub_type: 'leave', group_id: 1, operator_id: 10003, user_id: 10003 })).toMatchObject({ type: 'group.member_left', is_kicked: false });
    expect(await convert({ post_type: 'notice', notice_type: 'group_decrease', sub_type: 'kick', group_id: 1, operator_id: 10001, user_id: 10003 })).toMatchObject({ type: 'group.member_left', is_kicked: true, operator: { id: 10001 } });
    expect(await convert({ post_type: 'notice', notice_type: 'group_decrease', sub_type: 'kick_me', group_id: 1, operator_id: 10001, user_id: SELF })).toMatchObject({ type: 'bot.removed_from_group', group: { id: 1 }, operator: { id: 10001 } });
  });

  it('group_ban: members banned and unbanned, the bot muted and unmuted, the whole group as platform.specific', async () => {
    expect(await convert({ post_type: 'notice', notice_type: 'group_ban', sub_type: 'ban', group_id: 1, operator_id: 10001, user_id: 10002, duration: 600 })).toMatchObject({ type: 'group.member_banned', member: { id: 10002 }, duration: 600 });
    expect(await convert({ post_type: 'notice', notice_type: 'group_ban', sub_type: 'lift_ban', group_id: 1, operator_id: 10001, user_id: 10002, duration: 0 })).toMatchObject({ type: 'group.member_unbanned', member: { id: 10002 } });
    expect(await convert({ post_type: 'notice', notice_type: 'group_ban', sub_type: 'ban', group_id: 1, operator_id: 10001, user_id: SELF, duration: 60 })).toMatchObject({ type: 'bot.muted', duration: 60 });
    expect(await convert({ post_type: 'notice', notice_type: 'group_ban', sub_type: 'lift_ban', group_id: 1, operator_id: 10001, user_id: SELF, duration: 0 })).toMatchObject({ type: 'bot.unmuted' });
    expect(await convert({ post_type: 'notice', notice_type: 'group_ban', sub_type: 'ban', group_id: 1, operator_id: 10001, user_id: 0, duration: -1 })).toMatchObject({ type: 'platform.specific', action: 'notice.group_ban.ban' });
  });

  it('friend_add becomes friend.added', async () => {
    expect(await convert({ post_type: 'notice', notice_type: 'friend_add', user_id: 10004 })).toMatchObject({ type: 'friend.added', user: { id: 10004 } });
  });

  it('pokes, honors, admin changes, uploads and unknown notices become platform.specific named by their type path', async () => {
    const poke = { post_type: 'notice', notice_type: 'notify', sub_type: 'poke', group_id: 1, user_id: 2, target_id: SELF };
    expect(await convert(poke)).toMatchObject({ type: 'platform.specific', action: 'notice.notify.poke', data: { ...base, ...poke } });
    expect(await convert({ post_type: 'notice', notice_type: 'notify', sub_type: 'honor', honor_type: 'talkative', group_id: 1, user_id: 2 })).toMatchObject({ action: 'notice.notify.honor' });
    expect(await convert({ post_type: 'notice', notice_type: 'group_admin', sub_type: 'set', group_id: 1, user_id: 2 })).toMatchObject({ action: 'notice.group_admin.set' });
    expect(await convert({ post_type: 'notice', notice_type: 'group_upload', group_id: 1, user_id: 2, file: { id: 'f', name: 'a.txt', size: 1, busid: 102 } })).toMatchObject({ action: 'notice.group_upload' });
    expect(await convert({ post_type: 'notice', notice_type: 'essence', sub_type: 'add', group_id: 1 })).toMatchObject({ action: 'notice.essence.add' });
  });
});

describe('requests and meta events', () => {
  it('a friend request carries its flag as request_id', async () => {
    expect(await convert({ post_type: 'request', request_type: 'friend', user_id: 10005, comment: 'hello', flag: 'flag-1' })).toMatchObject({ type: 'friend.request_received', request_id: 'flag-1', user: { id: 10005 }, message: 'hello' });
  });

  it('an invitation of the bot becomes bot.invited_to_group with the flag; a join request by someone else stays platform.specific', async () => {
    expect(await convert({ post_type: 'request', request_type: 'group', sub_type: 'invite', group_id: 30001, user_id: 10001, flag: 'flag-2' })).toMatchObject({ type: 'bot.invited_to_group', group: { id: 30001 }, inviter: { id: 10001 }, request_id: 'flag-2' });
    expect(await convert({ post_type: 'request', request_type: 'group', sub_type: 'add', group_id: 30001, user_id: 10009, flag: 'flag-3' })).toMatchObject({ type: 'platform.specific', action: 'request.group.add' });
  });

  it('heartbeats yield nothing; lifecycle and unknown post types become platform.specific', async () => {
    expect(await convert({ post_type: 'meta_event', meta_event_type: 'heartbeat', interval: 5000, status: {} })).toBeUndefined();
    expect(await convert({ post_type: 'meta_event', meta_event_type: 'lifecycle', sub_type: 'connect' })).toMatchObject({ type: 'platform.specific', action: 'meta_event.lifecycle.connect' });
    expect(await convert({ post_type: 'brand_new' })).toMatchObject({ type: 'platform.specific', action: 'brand_new' });
    expect(await convert({})).toMatchObject({ type: 'platform.specific', action: 'unknown' });
  });
});
