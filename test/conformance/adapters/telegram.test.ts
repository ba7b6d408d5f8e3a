/** The Telegram adapter (grammY) against a fake Bot API server, in long-polling mode. */
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { FakeTelegram, type Chat, type User } from '../../support/fake-platforms/telegram/index.js';
import { describeAdapterConformance, waitFor } from './suite.js';

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const WEBHOOK_SECRET = 'conformance-webhook-secret';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const at = () => Math.floor(Date.now() / 1000);

let userSeq = 3000;
const newUser = (fake: FakeTelegram): User => fake.state.addUser({ id: ++userSeq, is_bot: false, first_name: `Member ${userSeq}` });
/** A group the destructive APIs may use up. */
const disposable = (fake: FakeTelegram): Chat =>
  fake.state.chats.get(-1_009_999) ?? fake.state.addGroup({ id: -1_009_999, type: 'supergroup', title: 'Disposable' }, [{ status: 'administrator', user: fake.bot }]);
const memberUpdate = (fake: FakeTelegram, chat: Chat, user: User, before: Record<string, unknown>, after: Record<string, unknown>, from: User = fake.alice) => ({
  chat,
  from,
  date: at(),
  old_chat_member: { user, ...before },
  new_chat_member: { user, ...after },
});
const lastCall = (fake: FakeTelegram, method: string) => fake.callsOf(method).at(-1)!;

describeAdapterConformance<FakeTelegram>({
  adapter: 'telegram',
  extensionDir: resolve(import.meta.dirname, '../../../extensions/adapters/telegram'),
  startFake: () => FakeTelegram.start(),
  botConfig: (fake) => ({ token: fake.token, api_base_url: fake.apiRoot, 'enable-stream-reply': true, webhook_secret: WEBHOOK_SECRET }),
  connected: async (fake) => void (await waitFor('the first long poll', () => fake.callsOf('getUpdates').length > 0)),
  secrets: (fake) => [fake.token, WEBHOOK_SECRET],
  userSays: async (fake, text) => void (await fake.userSays(text)),
  botTexts: (fake) => fake.botTexts(fake.alice.id),
  edits: (fake) => fake.edits,

  produce: {
    'message.received': async (fake) => void (await fake.userSays('a message')),
    'message.edited': async (fake) => {
      const message = await fake.userSays('before the edit');
      await fake.inject({ edited_message: { ...message, text: 'after the edit', edit_date: at() } });
    },
    'message.reaction': async (fake) =>
      void (await fake.inject({ message_reaction: { chat: fake.group, message_id: 1, user: fake.bob, date: at(), old_reaction: [], new_reaction: [{ type: 'emoji', emoji: '👍' }] } })),
    'group.member_joined': async (fake) => {
      const user = newUser(fake);
      await fake.inject({ message: { message_id: fake.state.nextMessageId(fake.group.id), date: at(), chat: fake.group, from: user, new_chat_members: [user] } });
    },
    'group.member_left': async (fake) => void (await fake.inject({ chat_member: memberUpdate(fake, fake.group, newUser(fake), { status: 'member' }, { status: 'left' }) })),
    'group.member_banned': async (fake) =>
      void (await fake.inject({ chat_member: memberUpdate(fake, fake.group, newUser(fake), { status: 'member' }, { status: 'kicked', until_date: at() + 3600 }) })),
    'group.info_updated': async (fake) =>
      void (await fake.inject({ message: { message_id: fake.state.nextMessageId(fake.group.id), date: at(), chat: fake.group, from: fake.alice, new_chat_title: 'Renamed group' } })),
    'bot.invited_to_group': async (fake) => void (await fake.inject({ my_chat_member: memberUpdate(fake, fake.group, fake.bot, { status: 'left' }, { status: 'member' }) })),
    'bot.removed_from_group': async (fake) => void (await fake.inject({ my_chat_member: memberUpdate(fake, fake.group, fake.bot, { status: 'member' }, { status: 'kicked', until_date: 0 }) })),
    'bot.muted': async (fake) =>
      void (await fake.inject({ my_chat_member: memberUpdate(fake, fake.group, fake.bot, { status: 'member' }, { status: 'restricted', is_member: true, can_send_messages: false, until_date: at() + 600 }) })),
    'bot.unmuted': async (fake) =>
      void (await fake.inject({ my_chat_member: memberUpdate(fake, fake.group, fake.bot, { status: 'restricted', is_member: true, can_send_messages: false, until_date: 0 }, { status: 'member' }) })),
    'platform.specific': async (fake) =>
      void (await fake.inject({ callback_query: { id: 'cbq-1', from: fake.alice, chat_instance: 'ci', data: 'button-1', message: { message_id: 1, date: at(), chat: fake.state.chats.get(fake.alice.id) } } })),
  },

  apis: {
    send_message: {
      args: (fake) => ({ target_type: 'private', target_id: fake.alice.id, message: [{ type: 'Plain', text: 'sent **by** the api' }, { type: 'Image', base64: PNG }, { type: 'File', name: 'notes.txt', base64: Buffer.from('hello').toString('base64') }] }),
      check: (fake, result) => {
        const [text, photo, document] = fake.botMessages(fake.alice.id).slice(-3);
        expect(text.text).toBe('sent by the api');
        expect(photo.photo).toBeDefined();
        expect(document.document).toMatchObject({ file_name: 'notes.txt' });
        expect(result).toMatchObject({ message_id: text.message_id });
      },
    },
    reply_message: {
      args: (_fake, last) => ({ event: last, message: [{ type: 'Plain', text: 'a quoted reply' }], quote_origin: true }),
      check: (fake) => expect(lastCall(fake, 'sendMessage').params).toMatchObject({ text: 'a quoted reply', reply_parameters: { message_id: expect.any(Number) } }),
    },
    edit_message: {
      args: (fake) => ({ chat_type: 'private', chat_id: fake.alice.id, message_id: fake.botMessages(fake.alice.id).filter((m) => m.text).at(-1)!.message_id, new_content: [{ type: 'Plain', text: 'edited by the api' }] }),
      check: (fake) => expect(fake.botTexts(fake.alice.id)).toContain('edited by the api'),
    },
    delete_message: {
      args: (fake) => ({ chat_type: 'private', chat_id: fake.alice.id, message_id: fake.botMessages(fake.alice.id)[0].message_id }),
      check: (fake) => expect(lastCall(fake, 'deleteMessage').params).toMatchObject({ chat_id: fake.alice.id }),
    },
    forward_message: {
      args: (fake, last) => ({ from_chat_type: 'private', from_chat_id: last.chat_id, message_id: last.message_id, to_chat_type: 'group', to_chat_id: fake.group.id }),
      check: (fake, result) => {
        const forwarded = fake.botMessages(fake.group.id).at(-1)!;
        expect(forwarded.forward_origin).toMatchObject({ type: 'user', sender_user: { id: fake.alice.id } });
        expect(result).toEqual({ message_id: forwarded.message_id });
      },
    },
    get_group_info: {
      args: (fake) => ({ group_id: fake.group.id }),
      check: (fake, result) => expect(result).toMatchObject({ id: fake.group.id, name: fake.group.title, member_count: 3 }),
    },
    get_group_member_list: {
      args: (fake) => ({ group_id: fake.group.id }),
      check: (fake, result) =>
        expect(result).toEqual(
          expect.arrayContaining([expect.objectContaining({ role: 'owner', user: expect.objectContaining({ id: fake.alice.id }) }), expect.objectContaining({ role: 'admin', user: expect.objectContaining({ id: fake.bot.id }) })]),
        ),
    },
    get_group_member_info: {
      args: (fake) => ({ group_id: fake.group.id, user_id: fake.bob.id }),
      check: (fake, result) => expect(result).toMatchObject({ role: 'member', group_id: fake.group.id, user: { id: fake.bob.id, nickname: 'Bob', username: 'bob' } }),
    },
    set_group_name: {
      args: (fake) => ({ group_id: fake.group.id, name: 'Renamed by the api' }),
      check: (fake) => expect(fake.group.title).toBe('Renamed by the api'),
    },
    mute_member: {
      args: (fake) => ({ group_id: fake.group.id, user_id: fake.bob.id, duration: 600 }),
      check: (fake) => expect(fake.state.member(fake.group.id, fake.bob.id)).toMatchObject({ status: 'restricted', can_send_messages: false, can_send_photos: false }),
    },
    unmute_member: {
      args: (fake) => ({ group_id: fake.group.id, user_id: fake.bob.id }),
      // The group's defaults come back: polls stay off because the group does not allow them.
      check: (fake) => expect(fake.state.member(fake.group.id, fake.bob.id)).toMatchObject({ can_send_messages: true, can_send_photos: true, can_send_polls: false }),
    },
    kick_member: {
      args: (fake) => ({ group_id: fake.group.id, user_id: fake.bob.id }),
      check: (fake) => {
        expect(fake.state.member(fake.group.id, fake.bob.id).status).toBe('left');
        expect(fake.callsOf('banChatMember')).toHaveLength(1);
      },
    },
    leave_group: {
      args: (fake) => ({ group_id: disposable(fake).id }),
      check: (fake) => expect(fake.state.member(-1_009_999, fake.bot.id).status).toBe('left'),
    },
    get_user_info: {
      args: (fake) => ({ user_id: fake.alice.id }),
      check: (fake, result) => expect(result).toEqual({ id: fake.alice.id, nickname: 'Alice', username: 'alice' }),
    },
    get_file_url: {
      args: (fake) => ({ file_id: fake.addFile(Buffer.from('file body'), 'txt').file_id }),
      check: async (fake, result) => {
        expect(result).toMatch(new RegExp(`^${fake.apiRoot}/file/bot${fake.token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/files/`));
        expect(await (await fetch(String(result))).text()).toBe('file body');
      },
    },
  },

  platformApis: {
    pin_message: { args: (fake) => ({ chat_id: fake.alice.id, message_id: fake.botMessages(fake.alice.id).at(-1)!.message_id }), check: (_f, r) => expect(r).toEqual({ result: true }) },
    unpin_message: { args: (fake) => ({ chat_id: fake.alice.id }), check: (fake) => expect(fake.callsOf('unpinChatMessage')).toHaveLength(1) },
    unpin_all_messages: { args: (fake) => ({ chat_id: fake.group.id }), check: (fake) => expect(fake.callsOf('unpinAllChatMessages')).toHaveLength(1) },
    get_chat_administrators: { args: (fake) => ({ chat_id: fake.group.id }), check: (_f, r) => expect((r as { result: unknown[] }).result).toHaveLength(2) },
    set_chat_title: { args: (fake) => ({ chat_id: fake.group.id, title: 'New title' }), check: (fake) => expect(fake.group.title).toBe('New title') },
    set_chat_description: { args: (fake) => ({ chat_id: fake.group.id, description: 'New description' }), check: (fake) => expect(fake.group.description).toBe('New description') },
    get_chat_member_count: { args: (fake) => ({ chat_id: fake.group.id }), check: (_f, r) => expect((r as { result: number }).result).toBeGreaterThan(0) },
    send_chat_action: { args: (fake) => ({ chat_id: fake.alice.id, action: 'typing' }), check: (fake) => expect(lastCall(fake, 'sendChatAction').params).toMatchObject({ action: 'typing' }) },
    create_chat_invite_link: { args: (fake) => ({ chat_id: fake.group.id, name: 'conformance' }), check: (_f, r) => expect(r).toMatchObject({ result: { invite_link: expect.stringContaining('https://t.me/'), name: 'conformance' } }) },
    answer_callback_query: { args: () => ({ callback_query_id: 'cbq-1', text: 'Done' }), check: (fake) => expect(lastCall(fake, 'answerCallbackQuery').params).toMatchObject({ callback_query_id: 'cbq-1', text: 'Done' }) },
    approve_chat_join_request: { args: (fake) => ({ chat_id: fake.group.id, user_id: 4242 }), check: (fake) => expect(fake.state.member(fake.group.id, 4242).status).toBe('member') },
    decline_chat_join_request: { args: (fake) => ({ chat_id: fake.group.id, user_id: 4343 }), check: (fake) => expect(fake.callsOf('declineChatJoinRequest')).toHaveLength(1) },
  },

  unknownInputs: [
    { name: 'a shared location', send: async (fake) => void (await fake.userSays(undefined, { fields: { location: { latitude: 52.52, longitude: 13.4 } } })), becomes: 'Unknown' },
    { name: 'a join request', send: async (fake) => void (await fake.inject({ chat_join_request: { chat: fake.group, from: fake.bob, user_chat_id: fake.bob.id, date: at() } })), becomes: 'platform.specific' },
    { name: 'a boost (no unified event)', send: async (fake) => void (await fake.inject({ chat_boost: { chat: fake.group, boost: { boost_id: 'b1', add_date: at(), expiration_date: at() + 86_400, source: { source: 'premium', user: fake.bob } } } })), becomes: 'platform.specific' },
    { name: 'a message without a chat', send: async (fake) => void (await fake.inject({ message: { message_id: 77, text: 'no chat' } })), becomes: 'nothing' },
    { name: 'a message that is not an object', send: async (fake) => void (await fake.inject({ message: 'garbage' })), becomes: 'nothing' },
    { name: 'an edit with broken entities', send: async (fake) => void (await fake.userSays('short', { fields: { entities: [{ type: 'mention', offset: 3, length: 99 }, 'junk'] } })), becomes: 'nothing' },
  ],

  dropConnection: async (fake) => {
    fake.outage(1_500);
    await sleep(1_600);
    await fake.restart();
  },
});
