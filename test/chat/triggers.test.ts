import { describe, expect, it } from 'vitest';
import { chat, sleep } from './support.js';

const rules = (r: Record<string, unknown>) => ({ trigger: { 'group-respond-rules': { at: false, prefix: [], regexp: [], random: 0, ...r } } });

describe('trigger: group response rules', () => {
  it('stays silent in a group when no rule matches, but always answers in private', async () => {
    const bot = await chat({ pipeline: rules({}) });
    expect(await bot.user('alice').inGroup('g1').says('hello')).toEqual([]);
    expect(await bot.user('alice').says('hello')).toEqual(['echo: hello']);
  });

  it('answers a mention when `at` is on, without the mention, addressing the sender', async () => {
    const bot = await chat({ pipeline: rules({ at: true }) });
    const [reply] = await bot.user('alice', 'Alice').inGroup('g1').saysAndGet('@bot hello');
    expect(reply.chain[0]).toEqual({ type: 'At', target: 'alice', display: 'Alice' });
    expect(reply.text).toBe('@Alice echo: hello');
    expect(await bot.user('alice').inGroup('g1').says('hello without mention')).toEqual([]);
  });

  it('answers a prefix and strips it', async () => {
    const bot = await chat({ pipeline: rules({ prefix: ['ai', '/ask'] }) });
    expect(await bot.user('alice').inGroup('g1').says('/ask what time is it')).toEqual(['@alice echo: what time is it']);
    expect(await bot.user('alice').inGroup('g1').says('tell me')).toEqual([]);
  });

  it('answers a regular expression match; a broken pattern never matches', async () => {
    const bot = await chat({ pipeline: rules({ regexp: ['(unclosed', 'hey\\b'] }) });
    expect(await bot.user('alice').inGroup('g1').says('hey there')).toEqual(['@alice echo: hey there']);
    expect(await bot.user('alice').inGroup('g1').says('they said')).toEqual([]);
  });

  it('answers at random with probability `random`', async () => {
    const bot = await chat({ pipeline: rules({ random: 1 }) });
    expect(await bot.user('alice').inGroup('g1').says('anyone?')).toEqual(['@alice echo: anyone?']);
    await bot.configure(rules({ random: 0 }));
    expect(await bot.user('alice').inGroup('g1').says('anyone?')).toEqual([]);
  });

  it('does not mention the sender when output at-sender is off', async () => {
    const bot = await chat({ pipeline: { ...rules({ random: 1 }), output: { misc: { 'at-sender': false } } } });
    const [reply] = await bot.user('alice').inGroup('g1').saysAndGet('hi');
    expect(reply.chain).toEqual([{ type: 'Plain', text: 'echo: hi' }]);
  });
});

describe('trigger: access control', () => {
  it('blacklist refuses listed people and groups, and *_<id> matches a sender anywhere', async () => {
    const bot = await chat({ pipeline: { ...rules({ random: 1 }), trigger: { ...rules({ random: 1 }).trigger, 'access-control': { mode: 'blacklist', blacklist: ['person_mallory', 'group_g2', '*_eve'], whitelist: [] } } } });
    expect(await bot.user('mallory').says('hi')).toEqual([]);
    expect(await bot.user('alice').says('hi')).toEqual(['echo: hi']);
    expect(await bot.user('alice').inGroup('g2').says('hi')).toEqual([]);
    expect(await bot.user('eve').inGroup('g1').says('hi')).toEqual([]);
    expect(await bot.user('alice').inGroup('g1').says('hi')).toEqual(['@alice echo: hi']);
  });

  it('whitelist answers only listed chats; person_* admits every private chat', async () => {
    const bot = await chat({ pipeline: { trigger: { ...rules({ random: 1 }).trigger, 'access-control': { mode: 'whitelist', blacklist: [], whitelist: ['group_g1', 'person_*'] } } } });
    expect(await bot.user('alice').inGroup('g1').says('hi')).toEqual(['@alice echo: hi']);
    expect(await bot.user('alice').inGroup('g9').says('hi')).toEqual([]);
    expect(await bot.user('zed').says('hi')).toEqual(['echo: hi']);
  });
});

describe('trigger: ignore rules and aggregation', () => {
  it('ignores messages by prefix and by pattern, silently', async () => {
    const bot = await chat({ pipeline: { trigger: { 'ignore-rules': { prefix: ['#'], regexp: ['.*secret.*'] } } } });
    expect(await bot.user('alice').says('# a note to self')).toEqual([]);
    expect(await bot.user('alice').says('my secret plan')).toEqual([]);
    expect(await bot.user('alice').says('hello')).toEqual(['echo: hello']);
  });

  it('aggregates quick successive messages into one request after the delay', async () => {
    const bot = await chat({ pipeline: { trigger: { 'message-aggregation': { enabled: true, delay: 1 } } } });
    const alice = bot.user('alice');
    for (const text of ['first part', 'second part']) await bot.emit(alice.message(text));
    await bot.idle();
    expect(await bot.sent()).toEqual([]);
    await sleep(1_300);
    await bot.idle();
    expect((await bot.sent()).map((m) => m.text)).toEqual(['echo: first part\nsecond part']);
  });

  it('clamps the aggregation delay to at least one second', async () => {
    const bot = await chat({ pipeline: { trigger: { 'message-aggregation': { enabled: true, delay: 0.01 } } } });
    await bot.emit(bot.user('alice').message('a'));
    await sleep(300);
    expect(await bot.sent()).toEqual([]);
    await sleep(1_000);
    expect((await bot.sent()).map((m) => m.text)).toEqual(['echo: a']);
  });
});
