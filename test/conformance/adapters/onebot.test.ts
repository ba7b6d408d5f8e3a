/**
 * The OneBot v11 adapter (`aiocqhttp`) against a fake NapCat-like implementation, once per connection mode:
 * reverse (the fake connects to the adapter's server) and forward (the adapter connects to the fake's server).
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import type { MessageReceivedEvent } from '../../../sdk/index.js';
import { FakeOneBot, freePort, segmentText, type Segment } from '../../support/fake-platforms/onebot/index.js';
import { describeAdapterConformance, type AdapterConformanceSpec, type ApiCase } from './suite.js';

const extensionDir = join(import.meta.dirname, '../../../extensions/adapters/onebot');
const ALICE = 10001;
const BOB = 10002;
const GROUP = 20001;

type Mode = 'reverse' | 'forward';

const lastCall = (fake: FakeOneBot, action: string) => {
  const calls = fake.state.calls(action);
  expect(calls.length, `the implementation saw ${action}`).toBeGreaterThan(0);
  return calls[calls.length - 1].params;
};
const sentSegments = (fake: FakeOneBot, action: string) => lastCall(fake, action).message as Segment[];

function spec(mode: Mode): AdapterConformanceSpec<FakeOneBot> {
  const token = `onebot-${mode}-token-5f2c9a`;
  let n = 0;
  const unique = () => 50_000 + ++n;
  const notice = (fields: Record<string, unknown>) => async (fake: FakeOneBot) => fake.push({ post_type: 'notice', ...fields });

  const apis: Record<string, ApiCase<FakeOneBot>> = {
    send_message: {
      args: () => ({ target_type: 'private', target_id: ALICE, message: [{ type: 'Plain', text: 'proactive hello' }, { type: 'Image', url: 'https://example.com/cat.png' }] }),
      check: (fake, result) => {
        expect(sentSegments(fake, 'send_private_msg')).toEqual([
          { type: 'text', data: { text: 'proactive hello' } },
          { type: 'image', data: { file: 'https://example.com/cat.png' } },
        ]);
        expect(lastCall(fake, 'send_private_msg').user_id).toBe(ALICE);
        expect(result).toMatchObject({ message_id: expect.any(Number) });
      },
    },
    reply_message: {
      args: (_fake, last) => ({ event: last, message: [{ type: 'Plain', text: 'a quoted reply' }], quote_origin: true }),
      check: (fake) => {
        const action = fake.state.actions[fake.state.actions.length - 1];
        expect(action.action).toMatch(/^send_(group|private)_msg$/);
        expect((action.params.message as Segment[])[0]).toMatchObject({ type: 'reply' });
        expect(segmentText(action.params.message as Segment[])).toBe('a quoted reply');
      },
    },
    delete_message: {
      args: (fake) => ({ chat_type: 'private', chat_id: ALICE, message_id: fake.state.botMessages().at(-1)!.message_id }),
      check: (fake) => expect(fake.state.botMessages().some((m) => m.deleted && m.message_id === lastCall(fake, 'delete_msg').message_id)).toBe(true),
    },
    forward_message: {
      args: (_fake, last) => ({ from_chat_type: last.chat_type, from_chat_id: last.chat_id, message_id: last.message_id, to_chat_type: 'private', to_chat_id: BOB }),
      check: (fake) => {
        expect(lastCall(fake, 'send_private_msg').user_id).toBe(BOB);
        expect(fake.botTexts(BOB).length).toBeGreaterThan(0);
      },
    },
    get_message: {
      args: (_fake, last) => ({ chat_type: last.chat_type, chat_id: last.chat_id, message_id: last.message_id }),
      check: (_fake, result) => {
        const event = result as MessageReceivedEvent;
        expect(event).toMatchObject({ type: 'message.received', adapter_name: 'aiocqhttp' });
        expect(event.message_chain[0]).toMatchObject({ type: 'Source' });
      },
    },
    get_group_info: { args: () => ({ group_id: GROUP }), check: (_f, result) => expect(result).toEqual({ id: GROUP, name: 'Test group', member_count: 3 }) },
    get_group_list: { args: () => ({}), check: (_f, result) => expect(result).toEqual([{ id: GROUP, name: 'Test group', member_count: 3 }]) },
    get_group_member_list: {
      args: () => ({ group_id: GROUP }),
      check: (_f, result) => expect((result as { role: string }[]).map((m) => m.role)).toEqual(['owner', 'member']),
    },
    get_group_member_info: {
      args: () => ({ group_id: GROUP, user_id: ALICE }),
      check: (_f, result) => expect(result).toMatchObject({ user: { id: ALICE, nickname: 'Alice' }, group_id: GROUP, role: 'owner', display_name: 'Alice in group', title: 'Boss' }),
    },
    set_group_name: { args: () => ({ group_id: GROUP, name: 'Renamed' }), check: (fake) => expect(lastCall(fake, 'set_group_name')).toEqual({ group_id: GROUP, group_name: 'Renamed' }) },
    mute_member: { args: () => ({ group_id: GROUP, user_id: BOB, duration: 60 }), check: (fake) => expect(lastCall(fake, 'set_group_ban')).toEqual({ group_id: GROUP, user_id: BOB, duration: 60 }) },
    unmute_member: { args: () => ({ group_id: GROUP, user_id: BOB }), check: (fake) => expect(lastCall(fake, 'set_group_ban')).toEqual({ group_id: GROUP, user_id: BOB, duration: 0 }) },
    kick_member: { args: () => ({ group_id: GROUP, user_id: BOB }), check: (fake) => expect(lastCall(fake, 'set_group_kick')).toMatchObject({ group_id: GROUP, user_id: BOB }) },
    leave_group: { args: () => ({ group_id: GROUP }), check: (fake) => expect(lastCall(fake, 'set_group_leave')).toEqual({ group_id: GROUP }) },
    get_user_info: { args: () => ({ user_id: ALICE }), check: (_f, result) => expect(result).toEqual({ id: ALICE, nickname: 'Alice' }) },
    get_friend_list: {
      args: () => ({}),
      check: (_f, result) => expect(result).toEqual([{ id: ALICE, nickname: 'Alice', remark: 'alice' }, { id: BOB, nickname: 'Bob' }]),
    },
    approve_friend_request: {
      args: () => ({ request_id: 'friend-flag-1', approve: true, remark: 'new friend' }),
      check: (fake) => expect(lastCall(fake, 'set_friend_add_request')).toEqual({ flag: 'friend-flag-1', approve: true, remark: 'new friend' }),
    },
    approve_group_invite: {
      args: () => ({ request_id: 'invite-flag-1', approve: false }),
      check: (fake) => expect(lastCall(fake, 'set_group_add_request')).toMatchObject({ flag: 'invite-flag-1', sub_type: 'invite', approve: false }),
    },
  };

  const node = (text: string) => ({ type: 'node', data: { user_id: String(ALICE), nickname: 'Alice', content: [{ type: 'text', data: { text } }] } });
  const seen = (action: string, params?: Record<string, unknown>) => (fake: FakeOneBot) => {
    const call = lastCall(fake, action);
    if (params) expect(call).toMatchObject(params);
  };
  const platformApis: Record<string, ApiCase<FakeOneBot>> = {
    get_login_info: { args: () => ({}), check: (fake, result) => expect(result).toEqual({ user_id: fake.selfId, nickname: 'FakeBot' }) },
    get_status: { args: () => ({}), check: (_f, result) => expect(result).toEqual({ online: true, good: true }) },
    get_version_info: { args: () => ({}), check: (_f, result) => expect(result).toMatchObject({ protocol_version: 'v11' }) },
    get_group_honor_info: { args: () => ({ group_id: GROUP, type: 'talkative' }), check: (_f, result) => expect(result).toMatchObject({ group_id: GROUP }) },
    set_group_card: { args: () => ({ group_id: GROUP, user_id: BOB, card: 'Bobby' }), check: seen('set_group_card', { card: 'Bobby' }) },
    set_group_special_title: { args: () => ({ group_id: GROUP, user_id: BOB, special_title: 'Helper' }), check: seen('set_group_special_title', { special_title: 'Helper' }) },
    set_group_admin: { args: () => ({ group_id: GROUP, user_id: BOB, enable: true }), check: seen('set_group_admin', { enable: true }) },
    set_group_whole_ban: { args: () => ({ group_id: GROUP, enable: false }), check: seen('set_group_whole_ban', { enable: false }) },
    set_group_add_request: { args: () => ({ flag: 'join-flag-1', sub_type: 'add', approve: false, reason: 'no' }), check: seen('set_group_add_request', { flag: 'join-flag-1', sub_type: 'add' }) },
    send_group_forward_msg: { args: () => ({ group_id: GROUP, messages: [node('first'), node('second')] }), check: (_f, result) => expect(result).toMatchObject({ message_id: expect.any(Number) }) },
    send_private_forward_msg: { args: () => ({ user_id: ALICE, messages: [node('only')] }), check: seen('send_private_forward_msg', { user_id: ALICE }) },
    get_forward_msg: {
      args: (fake) => ({ id: `fwd-${fake.state.botMessages().filter((m) => m.forward).at(-1)!.message_id}` }),
      check: (_f, result) => expect((result as { messages: unknown[] }).messages.length).toBeGreaterThan(0),
    },
    get_record: { args: () => ({ file: 'voice.silk', out_format: 'mp3' }), check: (_f, result) => expect(result).toEqual({ file: '/data/record/voice.silk.mp3' }) },
    get_image: { args: () => ({ file: 'cat.jpg' }), check: (_f, result) => expect(result).toEqual({ file: '/data/image/cat.jpg' }) },
    can_send_image: { args: () => ({}), check: (_f, result) => expect(result).toEqual({ yes: true }) },
    can_send_record: { args: () => ({}), check: (_f, result) => expect(result).toEqual({ yes: true }) },
  };

  return {
    adapter: 'aiocqhttp',
    extensionDir,
    async startFake() {
      if (mode === 'forward') return FakeOneBot.start({ mode, token });
      const port = await freePort();
      const fake = await FakeOneBot.start({ mode, token, url: `ws://127.0.0.1:${port}/onebot/v11/ws` });
      fake.port = port;
      return fake;
    },
    botConfig: (fake) =>
      mode === 'forward'
        ? { 'connection-mode': 'forward', 'forward-url': `ws://127.0.0.1:${fake.port}`, 'access-token': token, 'action-timeout': 5 }
        : { 'connection-mode': 'reverse', host: '127.0.0.1', port: fake.port, 'access-token': token, 'action-timeout': 5 },
    connected: (fake) => fake.waitConnected(),
    secrets: () => [token],
    userSays: async (fake, text) => void fake.says(ALICE, text, { nickname: 'Alice' }),
    botTexts: (fake) => fake.botTexts(ALICE),
    produce: {
      'message.received': async (fake) => void fake.says(BOB, 'hello group', { group: GROUP }),
      'message.deleted': notice({ notice_type: 'group_recall', group_id: GROUP, user_id: BOB, operator_id: BOB, message_id: unique() }),
      'group.member_joined': async (fake) => fake.push({ post_type: 'notice', notice_type: 'group_increase', sub_type: 'approve', group_id: GROUP, operator_id: ALICE, user_id: unique() }),
      'group.member_left': async (fake) => fake.push({ post_type: 'notice', notice_type: 'group_decrease', sub_type: 'leave', group_id: GROUP, operator_id: 0, user_id: unique() }),
      'group.member_banned': async (fake) => fake.push({ post_type: 'notice', notice_type: 'group_ban', sub_type: 'ban', group_id: GROUP, operator_id: ALICE, user_id: unique(), duration: 600 }),
      'group.member_unbanned': async (fake) => fake.push({ post_type: 'notice', notice_type: 'group_ban', sub_type: 'lift_ban', group_id: GROUP, operator_id: ALICE, user_id: unique(), duration: 0 }),
      'friend.request_received': async (fake) => fake.push({ post_type: 'request', request_type: 'friend', user_id: unique(), comment: 'hi, add me', flag: `friend-${n}` }),
      'friend.added': async (fake) => fake.push({ post_type: 'notice', notice_type: 'friend_add', user_id: unique() }),
      'bot.invited_to_group': async (fake) => fake.push({ post_type: 'request', request_type: 'group', sub_type: 'invite', group_id: unique(), user_id: ALICE, comment: '', flag: `invite-${n}` }),
      'bot.removed_from_group': async (fake) => fake.push({ post_type: 'notice', notice_type: 'group_decrease', sub_type: 'kick_me', group_id: unique(), operator_id: ALICE, user_id: fake.selfId }),
      'bot.muted': async (fake) => fake.push({ post_type: 'notice', notice_type: 'group_ban', sub_type: 'ban', group_id: unique(), operator_id: ALICE, user_id: fake.selfId, duration: 60 }),
      'bot.unmuted': async (fake) => fake.push({ post_type: 'notice', notice_type: 'group_ban', sub_type: 'lift_ban', group_id: unique(), operator_id: ALICE, user_id: fake.selfId, duration: 0 }),
      'platform.specific': async (fake) => fake.push({ post_type: 'notice', notice_type: 'notify', sub_type: 'poke', group_id: GROUP, user_id: ALICE, target_id: unique() }),
    },
    apis,
    platformApis,
    unknownInputs: [
      { name: 'a JSON card', becomes: 'Unknown', send: async (fake) => void fake.says(BOB, [{ type: 'json', data: { data: `{"app":"com.tencent.miniapp","n":${unique()}}` } }], { group: GROUP }) },
      { name: 'a segment that is not an object', becomes: 'Unknown', send: async (fake) => void fake.says(BOB, [42 as unknown as Segment, { type: 'text', data: { text: `n${unique()}` } }], { group: GROUP }) },
      { name: 'a poke', becomes: 'platform.specific', send: async (fake) => fake.push({ post_type: 'notice', notice_type: 'notify', sub_type: 'poke', group_id: GROUP, user_id: BOB, target_id: unique() }) },
      { name: 'an unknown post type', becomes: 'platform.specific', send: async (fake) => fake.push({ post_type: 'something_new', detail: unique() }) },
      { name: 'a frame that is not JSON', becomes: 'nothing', send: async (fake) => fake.pushRaw('{not json') },
      { name: 'a JSON array', becomes: 'nothing', send: async (fake) => fake.pushRaw('[1,2,3]') },
      { name: 'a heartbeat', becomes: 'nothing', send: async (fake) => fake.push({ post_type: 'meta_event', meta_event_type: 'heartbeat', status: { online: true, good: true }, interval: 5000 }) },
    ],
    dropConnection: (fake) => fake.drop(),
  };
}

describeAdapterConformance(spec('reverse'));
describeAdapterConformance(spec('forward'));
