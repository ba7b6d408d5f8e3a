/** Telegram updates → unified events and message chains. */
import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../sdk/index.js';
import { UpdateConverter } from '../../../extensions/adapters/telegram/events.js';
import { messageChain, textComponents } from '../../../extensions/adapters/telegram/inbound.js';

const BOT = { botId: 777, botUsername: 'LangBot' };
const alice = { id: 1, is_bot: false, first_name: 'Alice', username: 'alice' };
const bob = { id: 2, is_bot: false, first_name: 'Bob' };
const privateChat = { id: 1, type: 'private', first_name: 'Alice' };
const group = { id: -100, type: 'supergroup', title: 'Group' };
const msg = (fields: Record<string, unknown>) => ({ message_id: 10, date: 1_700_000_000, chat: privateChat, from: alice, ...fields });
const convert = (update: Record<string, unknown>, ctx = {}) => new UpdateConverter({ ...BOT, ...ctx }).convert({ update_id: 1, ...update });
/** The event as the kernel would receive it, checked against the unified schema. */
const valid = (event: Record<string, unknown>) => parseEvent({ timestamp: 1, bot_uuid: 'b', adapter_name: 'telegram', ...event }).ok;

describe('message text', () => {
  it('keeps text as Plain and turns a mention of the bot (by @username, any case) into an At of its numeric id', () => {
    expect(textComponents('hi @langbot, and @bob', [{ type: 'mention', offset: 3, length: 8 }, { type: 'mention', offset: 17, length: 4 }], BOT)).toEqual([
      { type: 'Plain', text: 'hi ' },
      { type: 'At', target: 777, display: 'langbot' },
      { type: 'Plain', text: ', and ' },
      { type: 'At', target: '@bob', display: 'bob' },
    ]);
  });

  it('uses the user id of a text_mention and counts offsets in UTF-16 like Telegram', () => {
    expect(textComponents('👋 Bob!', [{ type: 'text_mention', offset: 3, length: 3, user: bob }], BOT)).toEqual([
      { type: 'Plain', text: '👋 ' },
      { type: 'At', target: 2, display: 'Bob' },
      { type: 'Plain', text: '!' },
    ]);
  });

  it('ignores formatting entities and entities that point outside the text', () => {
    expect(textComponents('bold text', [{ type: 'bold', offset: 0, length: 4 }, { type: 'mention', offset: 5, length: 50 }], BOT)).toEqual([{ type: 'Plain', text: 'bold text' }]);
  });
});

describe('message chains', () => {
  it('starts with Source, quotes the replied-to message, then the content', async () => {
    const chain = await messageChain(msg({ text: 'yes', reply_to_message: msg({ message_id: 9, from: bob, text: 'really?' }) }) as never, BOT);
    expect(chain).toEqual([
      { type: 'Source', id: 10, time: 1_700_000_000 },
      { type: 'Quote', id: 9, sender_id: 2, origin: [{ type: 'Plain', text: 'really?' }] },
      { type: 'Plain', text: 'yes' },
    ]);
  });

  it('takes the largest photo with its file id, and its bytes when they can be fetched, then the caption', async () => {
    const photo = [{ file_id: 'small', width: 90, height: 90 }, { file_id: 'large', width: 1280, height: 960 }, { file_id: 'mid', width: 320, height: 240 }];
    const chain = await messageChain(msg({ photo, caption: 'look' }) as never, { ...BOT, imageData: async (f) => `data:image/jpeg;base64,${f.file_id}` });
    expect(chain.slice(1)).toEqual([{ type: 'Image', image_id: 'large', base64: 'data:image/jpeg;base64,large' }, { type: 'Plain', text: 'look' }]);
    const without = await messageChain(msg({ photo }) as never, { ...BOT, imageData: async () => { throw new Error('offline'); } });
    expect(without[1]).toEqual({ type: 'Image', image_id: 'large' });
  });

  it('maps voice and audio to Voice, documents and videos to File, stickers and dice to Face', async () => {
    const chain = async (fields: Record<string, unknown>) => (await messageChain(msg(fields) as never, BOT)).slice(1);
    expect(await chain({ voice: { file_id: 'v', duration: 3 } })).toEqual([{ type: 'Voice', voice_id: 'v', length: 3 }]);
    expect(await chain({ audio: { file_id: 'a', duration: 200 } })).toEqual([{ type: 'Voice', voice_id: 'a', length: 200 }]);
    expect(await chain({ document: { file_id: 'd', file_name: 'report.pdf', file_size: 1234 } })).toEqual([{ type: 'File', id: 'd', name: 'report.pdf', size: 1234 }]);
    expect(await chain({ video: { file_id: 'x' } })).toEqual([{ type: 'File', id: 'x', name: 'video.mp4' }]);
    expect(await chain({ sticker: { file_id: 's', emoji: '😀' } })).toEqual([{ type: 'Face', face_type: 'face', face_name: '😀' }]);
    expect(await chain({ dice: { emoji: '🎯', value: 6 } })).toEqual([{ type: 'Face', face_type: 'dice', face_name: '🎯', face_id: 6 }]);
  });

  it('wraps a forwarded message in a Forward naming the original sender', async () => {
    const chain = await messageChain(msg({ text: 'news', forward_origin: { type: 'user', date: 1, sender_user: bob } }) as never, BOT);
    expect(chain[1]).toMatchObject({ type: 'Forward', node_list: [{ sender_id: 2, sender_name: 'Bob', message_chain: [{ type: 'Plain', text: 'news' }] }] });
  });

  it('keeps content it has no component for as Unknown with the raw data', async () => {
    const chain = await messageChain(msg({ location: { latitude: 1.5, longitude: 2.5 } }) as never, BOT);
    expect(chain[1]).toEqual({ type: 'Unknown', text: '[Location 1.5, 2.5]', raw: { location: { latitude: 1.5, longitude: 2.5 } } });
  });
});

describe('updates to events', () => {
  it('a private message is message.received with the sender as chat id', async () => {
    const [event] = await convert({ message: msg({ text: 'hi' }) });
    expect(event).toMatchObject({ type: 'message.received', message_id: 10, chat_type: 'private', chat_id: 1, sender: { id: 1, nickname: 'Alice', username: 'alice' } });
    expect(valid(event as never)).toBe(true);
  });

  it('a message in a forum topic is addressed as <chat>#<topic>, the group keeping its own id', async () => {
    const [event] = await convert({ message: msg({ chat: group, text: 'hi', message_thread_id: 5, is_topic_message: true }) });
    expect(event).toMatchObject({ chat_type: 'group', chat_id: '-100#5', group: { id: -100, name: 'Group' } });
  });

  it("drops the bot's own messages so it never answers itself", async () => {
    expect(await convert({ message: msg({ from: { id: 777, is_bot: true, first_name: 'Bot' }, text: 'echo' }) })).toEqual([]);
  });

  it('an edit is message.edited with the new content', async () => {
    const [event] = await convert({ edited_message: msg({ text: 'fixed', edit_date: 2 }) });
    expect(event).toMatchObject({ type: 'message.edited', message_id: 10, editor: { id: 1 }, new_content: [{ type: 'Source' }, { type: 'Plain', text: 'fixed' }] });
    expect(valid(event as never)).toBe(true);
  });

  it('a reaction change becomes one event per added and removed reaction', async () => {
    const events = await convert({ message_reaction: { chat: group, message_id: 3, user: bob, date: 1, old_reaction: [{ type: 'emoji', emoji: '👍' }], new_reaction: [{ type: 'emoji', emoji: '🔥' }] } });
    expect(events.map((e) => [e.type, (e as { reaction: string }).reaction, (e as { is_add: boolean }).is_add])).toEqual([
      ['message.reaction', '🔥', true],
      ['message.reaction', '👍', false],
    ]);
    expect(events.every((e) => valid(e as never))).toBe(true);
  });

  it('reports a join once even when both the service message and chat_member arrive', async () => {
    const converter = new UpdateConverter(BOT);
    const service = await converter.convert({ update_id: 1, message: msg({ chat: group, from: bob, new_chat_members: [bob] }) });
    const member = await converter.convert({ update_id: 2, chat_member: { chat: group, from: bob, date: 1, old_chat_member: { status: 'left', user: bob }, new_chat_member: { status: 'member', user: bob } } });
    expect(service).toEqual([{ type: 'group.member_joined', group: { id: -100, name: 'Group' }, member: { id: 2, nickname: 'Bob', is_bot: false }, join_type: 'direct' }]);
    expect(member).toEqual([]);
  });

  it('a member removed by an admin left with is_kicked; a ban is member_banned with its duration', async () => {
    const [left] = await convert({ message: msg({ chat: group, from: alice, left_chat_member: bob }) });
    expect(left).toMatchObject({ type: 'group.member_left', is_kicked: true, operator: { id: 1 }, member: { id: 2 } });
    const [banned] = await convert({ chat_member: { chat: group, from: alice, date: 100, old_chat_member: { status: 'member', user: bob }, new_chat_member: { status: 'kicked', user: bob, until_date: 400 } } });
    expect(banned).toMatchObject({ type: 'group.member_banned', duration: 300, operator: { id: 1 } });
  });

  it('title and photo changes are group.info_updated naming the changed field', async () => {
    const [title] = await convert({ message: msg({ chat: group, new_chat_title: 'New name' }) });
    expect(title).toMatchObject({ type: 'group.info_updated', group: { id: -100, name: 'New name' }, changed_fields: ['name'], operator: { id: 1 } });
    const [photo] = await convert({ message: msg({ chat: group, delete_chat_photo: true }) });
    expect(photo).toMatchObject({ changed_fields: ['avatar'] });
  });

  it("maps the bot's own membership changes to invited, removed, muted and unmuted", async () => {
    const bot = { id: 777, is_bot: true, first_name: 'Bot' };
    const change = async (before: Record<string, unknown>, after: Record<string, unknown>) =>
      (await convert({ my_chat_member: { chat: group, from: alice, date: 100, old_chat_member: { user: bot, ...before }, new_chat_member: { user: bot, ...after } } }))[0];
    expect(await change({ status: 'left' }, { status: 'member' })).toMatchObject({ type: 'bot.invited_to_group', inviter: { id: 1 } });
    expect(await change({ status: 'administrator' }, { status: 'kicked' })).toMatchObject({ type: 'bot.removed_from_group', operator: { id: 1 } });
    expect(await change({ status: 'member' }, { status: 'restricted', is_member: true, can_send_messages: false, until_date: 160 })).toMatchObject({ type: 'bot.muted', duration: 60 });
    expect(await change({ status: 'restricted', is_member: true, can_send_messages: false }, { status: 'member' })).toMatchObject({ type: 'bot.unmuted' });
    expect(await change({ status: 'member' }, { status: 'administrator' })).toMatchObject({ type: 'platform.specific', action: 'my_chat_member' });
  });

  it('callback queries, join requests and update types it does not know become platform.specific', async () => {
    for (const [kind, payload] of [['callback_query', { id: 'q', from: alice, data: 'x' }], ['chat_join_request', { chat: group, from: bob, date: 1 }], ['some_future_update', { a: 1 }], ['weird_scalar', 42]] as const) {
      const [event] = await convert({ [kind]: payload });
      expect(event).toMatchObject({ type: 'platform.specific', action: kind });
      expect(valid(event as never)).toBe(true);
    }
  });

  it('refuses (throws on) a message without a chat, which the bot then logs and drops', async () => {
    await expect(convert({ message: { message_id: 1, text: 'x' } })).rejects.toThrow(/lacks the fields/);
  });
});
