import { describe, expect, it } from 'vitest';
import { chat } from './support.js';

describe('pipeline: private chats', () => {
  it('answers a private message with the runner’s reply, quoting per output.misc.quote-origin', async () => {
    const bot = await chat();
    const [reply] = await bot.user('alice').saysAndGet('hello');
    expect(reply.text).toBe('echo: hello');
    expect(reply.api).toBe('reply_message');
    expect(reply.args.quote_origin).toBe(true); // the default pipeline quotes
    await bot.configure({ output: { misc: { 'quote-origin': false } } });
    expect((await bot.user('alice').saysAndGet('again'))[0].args.quote_origin).toBe(false);
  });

  it('keeps the conversation: the runner sees the earlier messages and the variables', async () => {
    const bot = await chat({ script: [{ reply: '{history} earlier' }], pipeline: { ai: { scripted: { prompt: [{ role: 'system', content: 'Be brief.' }] } } } });
    expect(await bot.user('alice', 'Alice').says('one')).toEqual(['0 earlier']);
    expect(await bot.user('alice').says('two')).toEqual(['2 earlier']);
    expect(await bot.user('bob').says('mine')).toEqual(['0 earlier']);
    const runs = await bot.runs();
    expect(runs[1].messages).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: '0 earlier' },
    ]);
    expect(runs[0].variables).toMatchObject({ launcher_type: 'person', launcher_id: 'alice', sender_id: 'alice', session_id: 'person_alice', sender_name: 'Alice', user_message_text: 'one' });
    expect(runs[0].prompt).toEqual([{ role: 'system', content: 'Be brief.' }]);
  });

  it('keeps only the last max-round rounds of history for the runner', async () => {
    const bot = await chat({ script: [{ reply: '{history}' }], pipeline: { ai: { scripted: { 'max-round': 1 } } } });
    for (const text of ['a', 'b', 'c']) await bot.user('alice').says(text);
    const runs = await bot.runs();
    expect(runs[2].messages.map((m) => m.content)).toEqual(['b', '2']);
  });

  it('starts a new conversation after ai.runner.expire-time idle seconds', async () => {
    const bot = await chat({ script: [{ reply: '{history}' }], pipeline: { ai: { runner: { 'expire-time': 1 } } } });
    expect(await bot.user('alice').says('a')).toEqual(['0']);
    expect(await bot.user('alice').says('b')).toEqual(['2']);
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await bot.user('alice').says('c')).toEqual(['0']);
  });

  it('keeps conversations and bot configuration across a kernel restart', async () => {
    const first = await chat({ script: [{ reply: '{history}' }] });
    await first.user('alice').says('remember me');
    await first.configure({ output: { misc: { 'quote-origin': false } } });
    await first.stop();
    const second = await chat({ dataDir: first.dataDir, script: [{ reply: '{history}' }] });
    expect(second.bot_uuid).toBe(first.bot_uuid);
    const [reply] = await second.user('alice').saysAndGet('still there?');
    expect(reply.text).toBe('2');
    expect(reply.args.quote_origin).toBe(false);
    expect((await second.runs())[0].messages[0]).toEqual({ role: 'user', content: 'remember me' });
  });

  it('includes a quoted message in what the runner sees unless combine-quote-message is off', async () => {
    const bot = await chat({ script: [{ reply: '{text}' }] });
    const quote = { type: 'Quote' as const, origin: [{ type: 'Plain' as const, text: 'the quoted words' }] };
    expect(await bot.user('alice').says(quote, 'what about this?')).toEqual(['the quoted words\nwhat about this?']);
    await bot.configure({ trigger: { misc: { 'combine-quote-message': false } } });
    expect(await bot.user('alice').says(quote, 'and now?')).toEqual(['and now?']);
  });
});

describe('pipeline: failures', () => {
  it.each([
    ['show-hint', ['Request failed.']],
    ['show-error', ['Error: model exploded']],
    ['hide', []],
  ])('with exception-handling %s the user hears %j', async (mode, expected) => {
    const bot = await chat({ script: [{ error: 'model exploded' }], pipeline: { output: { misc: { 'exception-handling': mode } } } });
    expect(await bot.user('alice').says('hi')).toEqual(expected);
  });

  it('uses failure-hint as the hint and says which runner is missing in show-error mode', async () => {
    const bot = await chat({ pipeline: { output: { misc: { 'failure-hint': 'Oops, try later.' } } } });
    await bot.configure({ ai: { runner: { runner: 'no-such-runner' } } });
    expect(await bot.user('alice').says('hi')).toEqual(['Oops, try later.']);
    await bot.configure({ output: { misc: { 'exception-handling': 'show-error' } } });
    expect((await bot.user('alice').says('hi'))[0]).toMatch(/no-such-runner/);
  });
});
