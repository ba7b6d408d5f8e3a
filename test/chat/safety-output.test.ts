import { describe, expect, it } from 'vitest';
import { NOTICES } from '../../extensions/core/pipeline/notices.js';

const MASKED_NOTICE = NOTICES.masked.en_US;
const RATE_LIMITED_NOTICE = NOTICES.rateLimited.en_US;
import { chat } from './support.js';

const words = { 'langbot.pipeline': { sensitiveWords: ['bad\\w*'] } };
const filter = (scope: string, check = true) => ({ safety: { 'content-filter': { scope, 'check-sensitive-words': check } } });

describe('safety: content filter', () => {
  it('stops an incoming message with a sensitive word and tells the sender (scope all)', async () => {
    const bot = await chat({ config: words, script: [{ reply: 'you said {text}' }], pipeline: filter('all') });
    expect(await bot.user('alice').says('this is badness')).toEqual([MASKED_NOTICE]);
    expect(await bot.user('alice').says('this is fine')).toEqual(['you said this is fine']);
  });

  it('speaks the configured language', async () => {
    const bot = await chat({ config: { 'langbot.pipeline': { sensitiveWords: ['bad'], language: 'zh_Hans' } }, pipeline: filter('all') });
    expect(await bot.user('alice').says('bad')).toEqual([NOTICES.masked.zh_Hans]);
  });

  it('masks sensitive words in replies (scope all and output-msg)', async () => {
    const bot = await chat({ config: words, script: [{ reply: 'a bad answer' }], pipeline: filter('output-msg') });
    expect(await bot.user('alice').says('badly worded question')).toEqual(['a *** answer']);
  });

  it('leaves replies alone with scope income-msg, and everything alone when the check is off', async () => {
    const bot = await chat({ config: words, script: [{ reply: 'a bad answer' }], pipeline: filter('income-msg') });
    expect(await bot.user('alice').says('clean question')).toEqual(['a bad answer']);
    await bot.configure(filter('all', false));
    expect(await bot.user('alice').says('bad question')).toEqual(['a bad answer']);
  });

  it('replaces a whole word when no mask character is set', async () => {
    const bot = await chat({ config: { 'langbot.pipeline': { sensitiveWords: ['darn'], mask: '', maskWord: '[removed]' } }, script: [{ reply: 'well darn it' }], pipeline: filter('output-msg') });
    expect(await bot.user('alice').says('hi')).toEqual(['well [removed] it']);
  });
});

describe('safety: rate limit', () => {
  it('drops messages over the limit with a notice (strategy drop)', async () => {
    const bot = await chat({ pipeline: { safety: { 'rate-limit': { 'window-length': 60, limitation: 2, strategy: 'drop' } } } });
    const alice = bot.user('alice');
    expect(await alice.says('1')).toEqual(['echo: 1']);
    expect(await alice.says('2')).toEqual(['echo: 2']);
    expect(await alice.says('3')).toEqual([RATE_LIMITED_NOTICE]);
    expect(await bot.user('bob').says('mine')).toEqual(['echo: mine']);
  });

  it('holds a message until the next window (strategy wait)', async () => {
    const bot = await chat({ pipeline: { safety: { 'rate-limit': { 'window-length': 1, limitation: 1, strategy: 'wait' } } } });
    const alice = bot.user('alice');
    expect(await alice.says('1')).toEqual(['echo: 1']);
    const started = Date.now();
    expect(await alice.says('2')).toEqual(['echo: 2']);
    // The first window had room for one: the second message waited for the next.
    const windowStart = started - (started % 1000);
    expect(Date.now()).toBeGreaterThanOrEqual(windowStart + 1000);
  });
});

describe('output', () => {
  it('sends long replies as a forwarded message (strategy forward), short ones as they are', async () => {
    const bot = await chat({ script: [{ match: 'long', reply: 'x'.repeat(50) }], pipeline: { output: { 'long-text-processing': { threshold: 20, strategy: 'forward' } } } });
    const [long] = await bot.user('alice').saysAndGet('long please');
    expect(long.chain).toEqual([{ type: 'Forward', display: expect.any(Object), node_list: [expect.objectContaining({ message_chain: [{ type: 'Plain', text: 'x'.repeat(50) }] })] }]);
    expect(await bot.user('alice').says('short')).toEqual(['echo: short']);
  });

  it('renders long replies as a PNG image (strategy image) with the system font', async () => {
    const long = 'The quick brown fox jumps over the lazy dog. '.repeat(30);
    const bot = await chat({ script: [{ reply: long }], pipeline: { output: { 'long-text-processing': { threshold: 100, strategy: 'image' } } } });
    const [reply] = await bot.user('alice').saysAndGet('tell me a story');
    expect(reply.chain).toHaveLength(1);
    const image = reply.chain[0] as { type: string; base64: string };
    expect(image.type).toBe('Image');
    expect(image.base64).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(image.base64.split(',')[1], 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // Width is fixed; the height grows with the wrapped lines (IHDR: width at 16, height at 20).
    expect(png.readUInt32BE(16)).toBe(720);
    expect(png.readUInt32BE(20)).toBeGreaterThan(200);
  });

  it('falls back to a forwarded message when the font cannot be used, and says why once', async () => {
    const bot = await chat({ script: [{ reply: 'y'.repeat(30) }], pipeline: { output: { 'long-text-processing': { threshold: 10, strategy: 'image', 'font-path': '/nonexistent/font.ttf' } } } });
    const [reply] = await bot.user('alice').saysAndGet('hi');
    expect(reply.chain[0].type).toBe('Forward');
    await bot.user('alice').says('again');
    expect(bot.logs.join('\n').match(/the font file \/nonexistent\/font.ttf does not exist/g)).toHaveLength(1);
  });

  it('sends long replies unchanged with strategy none', async () => {
    const bot = await chat({ script: [{ reply: 'z'.repeat(30) }], pipeline: { output: { 'long-text-processing': { threshold: 10, strategy: 'none' } } } });
    expect(await bot.user('alice').says('hi')).toEqual(['z'.repeat(30)]);
  });

  it('waits force-delay seconds before replying', async () => {
    const bot = await chat({ pipeline: { output: { 'force-delay': { min: 1, max: 1 } } } });
    const started = Date.now();
    expect(await bot.user('alice').says('slowly')).toEqual(['echo: slowly']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('tells the user about tool calls when track-function-calls is on', async () => {
    const script = [{ tool_calls: ['search', 'fetch'], reply: 'found it' }];
    const quiet = await chat({ script });
    expect(await quiet.user('alice').says('look it up')).toEqual(['found it']);
    const chatty = await chat({ script, pipeline: { output: { misc: { 'track-function-calls': true } } } });
    expect(await chatty.user('alice').says('look it up')).toEqual(['Call search...', 'Call fetch...', 'found it']);
  });

  it('removes <think> blocks when remove-think is on', async () => {
    const script = [{ reply: '<think>let me see</think>The answer is 4.' }];
    const raw = await chat({ script });
    expect(await raw.user('alice').says('2+2?')).toEqual(['<think>let me see</think>The answer is 4.']);
    const clean = await chat({ script, pipeline: { output: { misc: { 'remove-think': true } } } });
    expect(await clean.user('alice').says('2+2?')).toEqual(['The answer is 4.']);
  });

  it('streams a reply by chunks to an adapter that edits messages, the last one final', async () => {
    const bot = await chat({ streaming: true, script: [{ chunks: ['Hel', 'lo ', 'there'] }] });
    const sent = await bot.user('alice').saysAndGet('hi');
    expect(sent.map((m) => [m.api, m.text, m.args.is_final])).toEqual([
      ['reply_message_chunk', 'Hel', false],
      ['reply_message_chunk', 'Hello ', false],
      ['reply_message_chunk', 'Hello there', true],
    ]);
    expect((await bot.runs())[0].stream).toBe(true);
    // The conversation keeps the whole reply once.
    expect(await bot.user('alice').says('again')).toHaveLength(3);
    expect((await bot.runs())[1].messages).toEqual([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hello there' }]);
  });

  it('sends only complete messages to an adapter that cannot stream', async () => {
    const bot = await chat({ script: [{ chunks: ['Hel', 'lo'] }] });
    expect(await bot.user('alice').says('hi')).toEqual(['Hello']);
    expect((await bot.runs())[0].stream).toBe(false);
  });
});
