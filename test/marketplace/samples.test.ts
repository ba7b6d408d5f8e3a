/**
 * The sample extensions of the bundled registry, each loaded as a drop-in into a real kernel through the chat
 * harness and used the way a user would: "user says X → bot replies Y".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { startFakeLlm, type ChatHarness, type FakeLlm, type FakeRule } from '../../sdk/testing/index.js';
import { OPEN_GROUP, chat } from '../chat/support.js';

const SAMPLES = resolve(import.meta.dirname, '../../marketplace/samples');
const sample = (name: string) => resolve(SAMPLES, name);

const fakes: FakeLlm[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

const service = (bot: ChatHarness, name: string, method: string, args: Record<string, unknown> = {}) =>
  bot.kernel.manager.invoke('services', name, method, args, { timeoutMs: 30_000 }) as Promise<any>;

/** The extension's record once it has been used: running, under the isolation its manifest declares. */
function running(bot: ChatHarness, id: string) {
  const record = bot.kernel.manager.get(id);
  return { state: record?.state, isolation: record?.manifest?.isolation };
}

describe('samples.dice (a tool in an isolate, called by the local agent)', () => {
  async function agentBot(script: FakeRule[]) {
    const fake = await startFakeLlm({ script });
    fakes.push(fake);
    const bot = await chat({ extensions: [sample('dice')] });
    const provider = await service(bot, 'models', 'createProvider', { name: 'Fake', requester: 'openai-chat-completions', base_url: fake.url, api_keys: ['sk-fake'] });
    const model = await service(bot, 'models', 'createModel', { type: 'llm', name: 'fake-model', provider_uuid: provider.uuid, abilities: ['func_call'] });
    await bot.configure({ ai: { runner: { runner: 'local-agent' }, 'local-agent': { model: { primary: model.uuid, fallbacks: [] }, 'enable-all-tools': false, tools: ['roll_dice'] } } });
    return { bot, fake };
  }
  const script: FakeRule[] = [
    { match: 'roll (\\S+)', toolRounds: 0, tool_calls: [{ name: 'roll_dice', arguments: '{"notation":"$1"}' }] },
    { match: 'roll', toolRounds: 1, reply: 'Rolled: {tool_result}' },
  ];

  it('rolls the dice the model asks for and the model answers with every die and the total', async () => {
    const { bot, fake } = await agentBot(script);
    const [answer] = await bot.user('alice').says('roll 3d6+2');
    const result = JSON.parse(answer.replace('Rolled: ', ''));
    expect(result).toMatchObject({ notation: '3d6+2', modifier: 2 });
    expect(result.rolls).toHaveLength(3);
    for (const die of result.rolls) expect(die).toSatisfy((n: number) => Number.isInteger(n) && n >= 1 && n <= 6);
    expect(result.total).toBe(result.rolls.reduce((a: number, b: number) => a + b, 0) + 2);
    expect(fake.requests[0].body.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['roll_dice']);
    expect(running(bot, 'samples.dice')).toEqual({ state: 'active', isolation: 'isolate' });
  });

  it('refuses notation it cannot read, saying what was wrong', async () => {
    const { bot } = await agentBot(script);
    expect((await bot.user('alice').says('roll banana'))[0]).toContain("'banana' is not dice notation");
    // Another chat: the fake model counts tool rounds over the whole conversation.
    expect((await bot.user('bob').says('roll 5000d6'))[0]).toContain('number of dice must be between 1 and 100; got 5000');
  });
});

describe('samples.notes (a chat command keeping notes in its key-value store)', () => {
  it('adds, lists and removes the notes of a chat', async () => {
    const bot = await chat({ extensions: [sample('notes')] });
    const alice = bot.user('alice');
    expect(await alice.says('!note')).toEqual(['[bot] No notes yet.']);
    expect(await alice.says('!note add buy milk')).toEqual(['[bot] Noted (#1).']);
    expect(await alice.says('!notes add call the plumber')).toEqual(['[bot] Noted (#2).']);
    expect(await alice.says('!note list')).toEqual(['[bot] 1. buy milk\n2. call the plumber']);
    expect(await alice.says('!note remove 1')).toEqual(['[bot] Removed: buy milk']);
    expect(await alice.says('!note remove 7')).toEqual(['[bot] There is no note #7; see !note list.']);
    expect(await alice.says('!note list')).toEqual(['[bot] 1. call the plumber']);
    expect(await alice.says('!note frobnicate')).toEqual(['[bot] Usage: !note add <text> | !note list | !note remove <number> | !note clear']);
    expect(await bot.runs()).toEqual([]);
    expect(running(bot, 'samples.notes')).toEqual({ state: 'active', isolation: 'process' });
  });

  it('keeps one list per chat, shared by a group, and keeps it across a restart', async () => {
    const first = await chat({ extensions: [sample('notes')], pipeline: OPEN_GROUP });
    expect(await first.user('alice').inGroup('g1').says('!note add standup at 10')).toEqual(['@alice [bot] Noted (#1).']);
    expect(await first.user('bob').inGroup('g1').says('!note list')).toEqual(['@bob [bot] 1. standup at 10']);
    expect(await first.user('bob').says('!note list')).toEqual(['[bot] No notes yet.']);
    await first.stop();
    const again = await chat({ extensions: [sample('notes')], dataDir: first.dataDir });
    expect(await again.user('carol').inGroup('g1').says('!note clear')).toEqual(['@carol [bot] Cleared 1 note(s).']);
  });
});

describe('samples.whoami (a chat command in an isolate)', () => {
  it('tells users the ids access-control lists and the admin list expect', async () => {
    const bot = await chat({ extensions: [sample('whoami')], pipeline: OPEN_GROUP, config: { 'langbot.pipeline': { admins: ['person_root'] } } });
    expect(await bot.user('alice').inGroup('g1').says('!whoami')).toEqual([`@alice [bot] You: alice (person_alice)\nThis chat: group g1 (group_g1)\nBot: ${bot.bot_uuid}`]);
    expect(await bot.user('root').says('!id')).toEqual([`[bot] You: root (person_root), an administrator\nThis chat: person root (person_root)\nBot: ${bot.bot_uuid}`]);
    expect(running(bot, 'samples.whoami')).toEqual({ state: 'active', isolation: 'isolate' });
  });
});

describe('samples.auto-reply (an event listener answering keywords before the runner)', () => {
  const rules = [
    { keyword: 'opening hours', reply: 'We are open Monday to Friday, 9:00 to 17:00.' },
    { keyword: 'refund', reply: 'Refunds: https://example.com/refunds' },
  ];

  it('answers a message containing a keyword itself and lets the others through to the runner', async () => {
    const bot = await chat({ extensions: [sample('auto-reply')], config: { 'samples.auto-reply': { rules } } });
    expect(await bot.user('alice').says('What are your OPENING HOURS?')).toEqual(['We are open Monday to Friday, 9:00 to 17:00.']);
    expect(await bot.user('alice').says('I want a refund')).toEqual(['Refunds: https://example.com/refunds']);
    expect(await bot.user('alice').says('hello')).toEqual(['echo: hello']);
    expect((await bot.runs()).map((r) => r.user_message.content)).toEqual(['hello']);
    expect(running(bot, 'samples.auto-reply')).toEqual({ state: 'active', isolation: 'worker' });
  });

  it('answers with its default rule, and stays out of groups when told to', async () => {
    const bot = await chat({ extensions: [sample('auto-reply')], pipeline: OPEN_GROUP, config: { 'samples.auto-reply': { groups: false } } });
    expect(await bot.user('alice').says('opening hours?')).toEqual(['We are open Monday to Friday, 9:00 to 17:00.']);
    expect(await bot.user('alice').inGroup('g1').says('opening hours?')).toEqual(['@alice echo: opening hours?']);
  });
});

describe('samples.welcome (an event handler greeting new group members)', () => {
  async function welcomeBot(handler_config: Record<string, unknown>) {
    const bot = await chat({ extensions: [sample('welcome')] });
    await bot.call('bots', {
      method: 'update',
      args: {
        uuid: bot.bot_uuid,
        event_handlers: [
          { event_type: 'message.received', handler_type: 'pipeline', handler_config: { pipeline_uuid: bot.pipeline_uuid } },
          { event_type: 'group.*', handler_type: 'welcome', handler_config },
        ],
      },
    });
    return bot;
  }
  const joins = { type: 'group.member_joined', group: { id: 'g1', name: 'Readers' }, member: { id: 'u9', nickname: 'Nina' } };
  const leaves = { ...joins, type: 'group.member_left' };

  it('greets a member who joins, in the group, with the default message', async () => {
    const bot = await welcomeBot({});
    expect(await bot.emit(joins)).toMatchObject({ accepted: true, handler_type: 'welcome', via: 'rule' });
    await bot.idle();
    const [sent, ...more] = await bot.sent();
    expect(more).toEqual([]);
    expect(sent).toMatchObject({ api: 'send_message', args: { target_type: 'group', target_id: 'g1' }, text: 'Welcome to Readers, Nina!' });
    // Without a goodbye message a member leaving is not announced; chat still goes to the pipeline.
    await bot.emit(leaves);
    await bot.idle();
    expect(await bot.sent()).toEqual([]);
    expect(await bot.user('alice').says('hi')).toEqual(['echo: hi']);
    expect(running(bot, 'samples.welcome')).toEqual({ state: 'active', isolation: 'process' });
  });

  it('uses the rule’s own messages, falling back to ids when names are unknown', async () => {
    const bot = await welcomeBot({ welcome: 'Hi {name}, read the rules of {group}.', goodbye: 'Bye {name}.' });
    await bot.emit({ ...joins, group: { id: 'g2' }, member: { id: 'u10' } });
    await bot.emit(leaves);
    await bot.idle();
    expect((await bot.sent()).map((m) => m.text)).toEqual(['Hi u10, read the rules of g2.', 'Bye Nina.']);
  });
});

describe('samples.faq (an agent runner answering from its settings)', () => {
  const faq = {
    entries: [
      { question: 'How do I reset my password?', answer: 'Use “Forgot password” on the sign-in page.' },
      { question: 'Where is my invoice?', answer: 'Invoices are under Account → Billing.' },
      { question: '如何重置密码', answer: '请在登录页点击“忘记密码”。' },
    ],
    fallback: 'Sorry, I do not know. A human will answer soon.',
  };

  it('answers with the entry the question matches best, and the fallback otherwise', async () => {
    const bot = await chat({ extensions: [sample('faq')], pipeline: { ai: { runner: { runner: 'faq' }, faq } } });
    const alice = bot.user('alice');
    expect(await alice.says('how can I reset the password')).toEqual(['Use “Forgot password” on the sign-in page.']);
    expect(await alice.says('where is the invoice')).toEqual(['Invoices are under Account → Billing.']);
    expect(await alice.says('怎么重置密码？')).toEqual(['请在登录页点击“忘记密码”。']);
    expect(await alice.says('what is the weather like')).toEqual(['Sorry, I do not know. A human will answer soon.']);
    expect(running(bot, 'samples.faq')).toEqual({ state: 'active', isolation: 'isolate' });
  });

  it('is strict as its threshold says', async () => {
    const bot = await chat({ extensions: [sample('faq')], pipeline: { ai: { runner: { runner: 'faq' }, faq: { ...faq, minScore: 1 } } } });
    expect(await bot.user('alice').says('how can I reset the password')).toEqual(['Sorry, I do not know. A human will answer soon.']);
    expect(await bot.user('alice').says('how do I reset my password')).toEqual(['Use “Forgot password” on the sign-in page.']);
  });
});
