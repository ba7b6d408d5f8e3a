/**
 * The Discord adapter against a fake Discord (REST + gateway on loopback), driven by the real discord.js client.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { REPO_ROOT } from '../../../kernel/kernel.js';
import { FakeDiscord } from '../../support/fake-platforms/discord/index.js';
import { user } from '../../support/fake-platforms/discord/state.js';
import { describeAdapterConformance, waitFor } from './suite.js';

type Json = Record<string, any>;

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const carol = user('carol');
const later = () => new Date(Date.now() + 600_000).toISOString();

/** The newest message a user (not the bot) wrote in #general. */
function lastUserMessage(fake: FakeDiscord): Json {
  const found = [...fake.state.messages.values()].reverse().find((m) => m.channel_id === fake.channel.id && m.author.id !== fake.bot.id);
  if (!found) throw new Error('No user message in #general yet.');
  return found;
}

function lastBotMessage(fake: FakeDiscord): Json {
  const id = fake.state.botMessageIds.findLast((i) => fake.state.messages.has(i));
  return fake.state.messages.get(id!)!;
}

const chatOf = (fake: FakeDiscord, m: Json) => (m.guild_id ? { chat_type: 'group', chat_id: m.channel_id } : { chat_type: 'private', chat_id: fake.alice.id });
const lastPost = (fake: FakeDiscord) => fake.requests('POST', /^\/channels\/\d+\/messages$/).at(-1)!;

describeAdapterConformance<FakeDiscord>({
  adapter: 'discord',
  extensionDir: join(REPO_ROOT, 'extensions/adapters/discord'),
  startFake: () => FakeDiscord.start(),
  botConfig: (fake) => ({ client_id: fake.state.application.id, token: fake.token, api_base_url: fake.apiBaseUrl }),
  connected: (fake) => fake.whenConnected(),
  secrets: (fake) => [fake.token],
  userSays: async (fake, text) => void fake.dm(fake.alice, text),
  botTexts: (fake) => fake.botTexts(),
  edits: (fake) => fake.edits,
  produce: {
    'message.received': async (fake) => void fake.say(fake.alice, 'hi <@' + fake.bot.id + '>', { mentions: [fake.bot] }),
    'message.edited': async (fake) => {
      const m = fake.say(fake.alice, 'typo');
      fake.dispatch('MESSAGE_UPDATE', { ...m, content: 'fixed', edited_timestamp: new Date().toISOString() });
    },
    'message.deleted': async (fake) => {
      const m = fake.say(fake.bob, 'regrettable');
      fake.dispatch('MESSAGE_DELETE', { id: m.id, channel_id: m.channel_id, guild_id: fake.guild.id });
    },
    'message.reaction': async (fake) => {
      const m = lastUserMessage(fake);
      fake.dispatch('MESSAGE_REACTION_ADD', { user_id: fake.bob.id, channel_id: m.channel_id, message_id: m.id, guild_id: fake.guild.id, emoji: { id: null, name: '👍' }, member: { user: fake.bob, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false } });
    },
    'group.member_joined': async (fake) => fake.dispatch('GUILD_MEMBER_ADD', { guild_id: fake.guild.id, user: carol, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false }),
    'group.member_left': async (fake) => fake.dispatch('GUILD_MEMBER_REMOVE', { guild_id: fake.guild.id, user: carol }),
    'group.member_banned': async (fake) => fake.dispatch('GUILD_BAN_ADD', { guild_id: fake.guild.id, user: carol }),
    'group.member_unbanned': async (fake) => fake.dispatch('GUILD_BAN_REMOVE', { guild_id: fake.guild.id, user: carol }),
    'group.info_updated': async (fake) => {
      fake.guild.name = 'Renamed Guild';
      const { channels: _c, members: _m, ...guild } = fake.guild;
      fake.dispatch('GUILD_UPDATE', guild);
    },
    'bot.invited_to_group': async (fake) => {
      fake.state.addGuild(fake.state.otherGuild);
      fake.dispatch('GUILD_CREATE', fake.state.otherGuild);
    },
    'bot.removed_from_group': async (fake) => {
      fake.state.guilds.delete(fake.state.otherGuild.id);
      fake.dispatch('GUILD_DELETE', { id: fake.state.otherGuild.id });
    },
    'bot.muted': async (fake) => fake.dispatch('GUILD_MEMBER_UPDATE', { guild_id: fake.guild.id, user: fake.bot, roles: [], joined_at: new Date().toISOString(), communication_disabled_until: later() }),
    'bot.unmuted': async (fake) => fake.dispatch('GUILD_MEMBER_UPDATE', { guild_id: fake.guild.id, user: fake.bot, roles: [], joined_at: new Date().toISOString(), communication_disabled_until: null }),
    'platform.specific': async (fake) => fake.dispatch('CHANNEL_PINS_UPDATE', { guild_id: fake.guild.id, channel_id: fake.channel.id, last_pin_timestamp: new Date().toISOString() }),
  },
  apis: {
    send_message: {
      args: (fake) => ({ target_type: 'group', target_id: fake.channel.id, message: [{ type: 'Plain', text: 'hello ' }, { type: 'At', target: fake.bob.id }, { type: 'AtAll' }, { type: 'Image', base64: PNG }] }),
      check: (fake, result) => {
        const post = lastPost(fake);
        expect(post.body.content).toBe(`hello <@${fake.bob.id}>@everyone`);
        expect(post.body.allowed_mentions).toMatchObject({ parse: ['everyone'], users: [fake.bob.id] });
        expect(post.files).toHaveLength(1);
        expect(post.files[0].data.subarray(1, 4).toString()).toBe('PNG');
        expect((result as Json).message_id).toBe(fake.state.botMessageIds.at(-1));
      },
    },
    reply_message: {
      args: (_fake, last) => ({ event: last, message: [{ type: 'Plain', text: 'a reply' }], quote_origin: true }),
      check: (fake) => expect(lastPost(fake).body.message_reference).toMatchObject({ message_id: lastUserMessage(fake).id }),
    },
    edit_message: {
      args: (fake) => {
        const m = lastBotMessage(fake);
        return { ...chatOf(fake, m), message_id: m.id, new_content: [{ type: 'Plain', text: 'edited by the bot' }] };
      },
      check: (fake) => expect(lastBotMessage(fake).content).toBe('edited by the bot'),
    },
    delete_message: {
      args: (fake) => {
        const m = lastBotMessage(fake);
        return { ...chatOf(fake, m), message_id: m.id };
      },
      check: (fake) => expect(fake.requests('DELETE', /^\/channels\/\d+\/messages\/\d+$/)).toHaveLength(1),
    },
    forward_message: {
      args: (fake) => ({ from_chat_type: 'group', from_chat_id: fake.channel.id, message_id: fake.say(fake.bob, 'worth forwarding', { attachments: [] }).id, to_chat_type: 'private', to_chat_id: fake.alice.id }),
      check: (fake) => expect(fake.botTexts().at(-1)).toBe('worth forwarding'),
    },
    get_group_info: {
      args: (fake) => ({ group_id: fake.guild.id }),
      check: (fake, result) => expect(result).toMatchObject({ id: fake.guild.id, name: fake.guild.name, member_count: 3, owner_id: fake.alice.id }),
    },
    get_group_member_list: {
      args: (fake) => ({ group_id: fake.guild.id }),
      check: (fake, result) => {
        const roles = Object.fromEntries((result as Json[]).map((m) => [m.user.id, m.role]));
        expect(roles).toEqual({ [fake.bot.id]: 'member', [fake.alice.id]: 'owner', [fake.bob.id]: 'admin' });
      },
    },
    get_group_member_info: {
      args: (fake) => ({ group_id: fake.guild.id, user_id: fake.bob.id }),
      check: (fake, result) => expect(result).toMatchObject({ user: { id: fake.bob.id, username: 'bob' }, group_id: fake.guild.id, role: 'admin' }),
    },
    get_user_info: {
      args: (fake) => ({ user_id: fake.alice.id }),
      check: (fake, result) => expect(result).toMatchObject({ id: fake.alice.id, nickname: 'Alice', username: 'alice', is_bot: false }),
    },
    get_file_url: {
      args: (fake) => ({ file_id: `${fake.baseUrl}/attachments/1/a.png` }),
      check: (fake, result) => expect(result).toBe(`${fake.baseUrl}/attachments/1/a.png`),
    },
    mute_member: {
      args: (fake) => ({ group_id: fake.guild.id, user_id: fake.bob.id, duration: 60 }),
      check: (fake) => {
        const until = Date.parse(fake.state.guildMember(fake.guild.id, fake.bob.id)!.communication_disabled_until);
        expect(until - Date.now()).toBeGreaterThan(50_000);
        expect(until - Date.now()).toBeLessThanOrEqual(60_000);
      },
    },
    unmute_member: {
      args: (fake) => ({ group_id: fake.guild.id, user_id: fake.bob.id }),
      check: (fake) => expect(fake.state.guildMember(fake.guild.id, fake.bob.id)!.communication_disabled_until).toBeNull(),
    },
    kick_member: {
      args: (fake) => {
        fake.state.users.set(carol.id, carol);
        fake.guild.members.push(fake.state.member(carol));
        return { group_id: fake.guild.id, user_id: carol.id };
      },
      check: (fake) => expect(fake.state.guildMember(fake.guild.id, carol.id)).toBeUndefined(),
    },
    leave_group: {
      args: (fake) => ({ group_id: fake.state.makeGuild('Leave me', [fake.bot], fake.bot.id).id }),
      check: (fake) => expect([...fake.state.guilds.values()].map((g) => g.name)).not.toContain('Leave me'),
    },
  },
  platformApis: {
    get_channel: { args: (fake) => ({ channel_id: fake.channel.id }), check: (fake, r) => expect(r).toMatchObject({ id: fake.channel.id, name: 'general' }) },
    get_guild: { args: (fake) => ({ guild_id: fake.guild.id }), check: (fake, r) => expect(r).toMatchObject({ id: fake.guild.id, approximate_member_count: fake.guild.members.length }) },
    get_guild_channels: { args: (fake) => ({ guild_id: fake.guild.id }), check: (_fake, r) => expect((r as Json).channels.map((c: Json) => c.name)).toContain('general') },
    get_guild_roles: { args: (fake) => ({ guild_id: fake.guild.id }), check: (_fake, r) => expect((r as Json).roles.map((c: Json) => c.name)).toEqual(['@everyone', 'Admin']) },
    create_channel: {
      args: (fake) => ({ guild_id: fake.guild.id, name: 'announcements', type: 'text', topic: 'News' }),
      check: (fake, r) => expect(fake.guild.channels.find((c: Json) => c.id === (r as Json).id)).toMatchObject({ name: 'announcements', type: 0, topic: 'News' }),
    },
    create_invite: { args: (fake) => ({ channel_id: fake.channel.id, max_age: 3600 }), check: (_fake, r) => expect(r).toMatchObject({ code: expect.any(String), max_age: 3600 }) },
    pin_message: { args: (fake) => ({ channel_id: fake.channel.id, message_id: lastUserMessage(fake).id }), check: (fake) => expect(lastUserMessage(fake).pinned).toBe(true) },
    unpin_message: { args: (fake) => ({ channel_id: fake.channel.id, message_id: lastUserMessage(fake).id }), check: (fake) => expect(lastUserMessage(fake).pinned).toBe(false) },
    add_reaction: {
      args: (fake) => ({ channel_id: fake.channel.id, message_id: lastUserMessage(fake).id, emoji: '🎉' }),
      check: (fake) => expect(fake.requests('PUT', /\/reactions\//).at(-1)!.path).toContain(encodeURIComponent('🎉')),
    },
    remove_reaction: {
      args: (fake) => ({ channel_id: fake.channel.id, message_id: lastUserMessage(fake).id, emoji: '<:party:112233445566778899>' }),
      check: (fake) => expect(fake.requests('DELETE', /\/reactions\//).at(-1)!.path).toMatch(/\/reactions\/party(:|%3A)112233445566778899\/@me$/),
    },
    typing: { args: (fake) => ({ channel_id: fake.channel.id }), check: (fake) => expect(fake.requests('POST', `/channels/${fake.channel.id}/typing`)).toHaveLength(1) },
  },
  unknownInputs: [
    { name: 'a dispatch type Discord may add later', send: async (fake) => fake.dispatch('BRAND_NEW_THING', { some: 'data' }), becomes: 'platform.specific' },
    { name: 'a poll', send: async (fake) => void fake.dm(fake.alice, '', { poll: { question: { text: 'Lunch?' }, answers: [{ answer_id: 1, poll_media: { text: 'Yes' } }] } }), becomes: 'Unknown' },
    { name: 'a MESSAGE_CREATE without an author', send: async (fake) => fake.dispatch('MESSAGE_CREATE', { id: '1', channel_id: fake.channel.id, guild_id: fake.guild.id, content: 'who?' }), becomes: 'nothing' },
    // discord.js's own cache update throws on these; the adapter must contain it (an unhandled rejection fails the run).
    { name: 'a MESSAGE_CREATE whose author is not an object', send: async (fake) => fake.dispatch('MESSAGE_CREATE', { id: '2', channel_id: fake.channel.id, guild_id: fake.guild.id, content: 'x', author: 5 }), becomes: 'nothing' },
    { name: 'a GUILD_MEMBER_ADD without a user', send: async (fake) => fake.dispatch('GUILD_MEMBER_ADD', { guild_id: fake.guild.id }), becomes: 'nothing' },
    { name: 'a frame that is not JSON', send: async (fake) => fake.gateway.sendRaw('{not json'), becomes: 'nothing' },
  ],
  dropConnection: async (fake) => {
    const resumes = fake.gateway.resumes;
    fake.drop(4000);
    await waitFor('the adapter to resume', () => fake.gateway.resumes > resumes || undefined, 15_000);
  },
});
