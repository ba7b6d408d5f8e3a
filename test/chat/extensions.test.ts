import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { BUSY_NOTICE } from '../../extensions/core/bots/router.js';
import { FIXTURES, chat } from './support.js';

const listeners = join(FIXTURES, 'listeners');
const seen = (bot: Awaited<ReturnType<typeof chat>>) =>
  bot.kernel.manager.invoke('tools', 'listener-log', 'seen', {}) as Promise<{ listener: string; event_name: string; event: Record<string, any> }[]>;

describe('plugins: event listeners around the pipeline', () => {
  it('lets a listener answer instead of the runner (prevent default with a reply chain)', async () => {
    const bot = await chat({ extensions: [listeners] });
    expect(await bot.user('alice').says('plugin answers')).toEqual(['answered by a plugin']);
    expect(await bot.runs()).toEqual([]);
  });

  it('lets a listener silence a message, and rewrite what the runner sees', async () => {
    const bot = await chat({ extensions: [listeners], script: [{ reply: '{text}' }] });
    expect(await bot.user('alice').says('plugin hushes')).toEqual([]);
    expect(await bot.user('alice').says('rewrite me')).toEqual(['rewritten']);
  });

  it('runs listeners by priority; prevent_postorder stops the lower ones', async () => {
    const bot = await chat({ extensions: [listeners] });
    await bot.user('alice').says('both see this');
    await bot.user('alice').says('only high');
    const normal = (await seen(bot)).filter((s) => s.event_name === 'PersonNormalMessageReceived');
    expect(normal.map((s) => [s.listener, s.event.text_message])).toEqual([
      ['high', 'both see this'],
      ['low', 'both see this'],
      ['high', 'only high'],
    ]);
  });

  it('emits the legacy events with their fields: group messages, responses, prompt preprocessing', async () => {
    const bot = await chat({ extensions: [listeners], script: [{ reply: 'replace reply please' }], pipeline: { trigger: { 'group-respond-rules': { random: 1 } } } });
    expect(await bot.user('alice').inGroup('g1').says('hi')).toEqual(['@alice replaced by a plugin']);
    const events = await seen(bot);
    expect(events.find((e) => e.event_name === 'GroupNormalMessageReceived')?.event).toMatchObject({ launcher_type: 'group', launcher_id: 'g1', sender_id: 'alice', text_message: 'hi' });
    expect(events.find((e) => e.event_name === 'NormalMessageResponded')?.event).toMatchObject({ response_text: 'replace reply please', finish_reason: 'stop', funcs_called: [] });
    expect(events.find((e) => e.event_name === 'PromptPreProcessing')?.event).toMatchObject({ session_name: 'group_g1' });
  });

  it('lets PromptPreProcessing replace the prompt the runner gets', async () => {
    const bot = await chat({ extensions: [listeners], script: [{ reply: '{prompt}' }] });
    expect(await bot.user('alice').says('who are you?')).toEqual(['You are a pirate.']);
  });

  it('hands events no rule claims to the plugin handler, which dispatches by unified pattern', async () => {
    const bot = await chat({ extensions: [listeners] });
    const result = await bot.emit({ type: 'group.member_joined', group: { id: 'g1' }, member: { id: 'newbie' } });
    expect(result).toMatchObject({ accepted: true, handler_type: 'plugin', via: 'fallback' });
    await bot.idle();
    expect((await seen(bot)).filter((s) => s.listener === 'unified').map((s) => s.event_name)).toEqual(['group.member_joined']);
  });
});

describe('commands', () => {
  it('runs a contributed command by name or alias, with its parameters', async () => {
    const bot = await chat({ extensions: [join(FIXTURES, 'commands')] });
    expect(await bot.user('alice').says('!ping a b')).toEqual(['[bot] pong a b']);
    expect(await bot.user('alice').says('！p')).toEqual(['[bot] pong']);
    expect(await bot.user('alice').says('!nope')).toEqual(['Unknown command: nope']);
    expect(await bot.runs()).toEqual([]);
  });

  it('refuses an admin command to others and runs it for administrators', async () => {
    const bot = await chat({ extensions: [join(FIXTURES, 'commands')], config: { 'langbot.pipeline': { admins: ['person_root'] } } });
    expect(await bot.user('alice').says('!shutdown')).toEqual(['Permission denied: shutdown']);
    const [reply] = await bot.user('root').saysAndGet('!shutdown');
    expect(reply.chain).toEqual([{ type: 'Plain', text: '[bot] shutting down' }, { type: 'Image', url: 'https://example.test/bye.png' }]);
  });

  it('treats command prefixes as plain text when commands are off', async () => {
    const bot = await chat({ extensions: [join(FIXTURES, 'commands')], config: { 'langbot.pipeline': { commandEnable: false } } });
    expect(await bot.user('alice').says('!ping')).toEqual(['echo: !ping']);
  });
});

describe('contributed stages', () => {
  it('runs a stage from another extension (worker host) where its manifest places it', async () => {
    const bot = await chat({ extensions: [join(FIXTURES, 'stage')], script: [{ reply: '{text}' }] });
    expect(await bot.user('alice').says('a forbidden word')).toEqual(['That word stops here.']);
    expect(await bot.user('alice').says('fine words')).toEqual(['fine words']);
    expect((await bot.runs())[0].variables.checked_by).toBe('stop-word');
    const metadata = await bot.call('pipelines', { method: 'metadata' });
    expect(metadata.stages.indexOf('stop-word')).toBe(metadata.stages.indexOf('preprocess') + 1);
  });
});

describe('query pool', () => {
  it('answers a message that does not fit in a busy chat’s queue with a notice instead of dropping it silently', async () => {
    const bot = await chat({ config: { 'langbot.bots': { queueLimit: 0 } }, script: [{ delayMs: 300, reply: 'slow answer' }] });
    const alice = bot.user('alice');
    const first = await bot.emit(alice.message('one'));
    const second = await bot.emit(alice.message('two'));
    expect(first.accepted).toBe(true);
    expect(second).toMatchObject({ accepted: false, reason: expect.stringContaining('limit is 0') });
    await bot.idle();
    expect((await bot.sent()).map((m) => m.text).sort()).toEqual([BUSY_NOTICE.en_US, 'slow answer'].sort());
  });
});
