/**
 * The Discord adapter's connection and API behaviour against the fake Discord, with the real discord.js client:
 * how it starts and fails to, how it survives drops, how it streams, and how it reports errors.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INTENTS } from '../../../extensions/adapters/discord/bot.js';
import { waitFor } from '../../conformance/adapters/suite.js';
import { runAdapter, type AdapterRun } from './discord-fixture.js';

let run: AdapterRun | undefined;
afterEach(async () => {
  await run?.dispose();
  run = undefined;
});

const received = (r: AdapterRun, text: string) => r.event(`"${text}"`, (e) => e.type === 'message.received' && e.message_chain.some((c: any) => c.type === 'Plain' && c.text === text));

describe('starting and stopping', () => {
  it('logs in with the configured intents and answers with the bot user id', async () => {
    run = await runAdapter({ start: false });
    const started = await run.impl.start({ bot_uuid: run.bot_uuid, config: run.config });
    expect(started).toEqual({ account_id: run.fake.bot.id });
    const identify = run.fake.gateway.received.find((f) => f.op === 2)!;
    expect(identify.d.intents).toBe(INTENTS.reduce((a, b) => a | b, 0));
    expect(run.fake.gateway.connections[0].query.get('encoding')).toBe('json');
  });

  it('fails with a clear message when Discord refuses the token over REST (401)', async () => {
    run = await runAdapter({ start: false });
    const error = await run.impl.start({ bot_uuid: run.bot_uuid, config: { ...run.config, token: 'wrong-token-value' } }).catch((e: Error) => e);
    expect(String(error)).toMatch(/Discord refused the token/);
    expect(String(error)).not.toContain('wrong-token-value');
  });

  it('fails with a clear message when the gateway closes with 4004 or 4014', async () => {
    run = await runAdapter({ start: false });
    run.fake.gateway.identifyCloseCode = 4004;
    await expect(run.impl.start({ bot_uuid: run.bot_uuid, config: run.config })).rejects.toThrow(/Discord refused the token/);
    run.fake.gateway.identifyCloseCode = 4014;
    await expect(run.impl.start({ bot_uuid: run.bot_uuid, config: run.config })).rejects.toThrow(/privileged intent/);
    await waitFor('the refused sockets to close', () => run!.fake.gateway.openSockets === 0 || undefined);
  });

  it('refuses a config without token or client id before connecting', async () => {
    run = await runAdapter({ start: false });
    await expect(run.impl.start({ bot_uuid: run.bot_uuid, config: { ...run.config, token: '' } })).rejects.toThrow(/needs a bot token/);
    await expect(run.impl.start({ bot_uuid: run.bot_uuid, config: { ...run.config, client_id: '' } })).rejects.toThrow(/client id/);
    expect(run.fake.rest.requests).toHaveLength(0);
  });

  it('closes the gateway connection on stop and on disposal', async () => {
    run = await runAdapter();
    expect(run.fake.gateway.openSockets).toBe(1);
    await run.impl.stop({ bot_uuid: run.bot_uuid });
    await waitFor('the socket to close', () => run!.fake.gateway.openSockets === 0 || undefined);
    await run.impl.start({ bot_uuid: run.bot_uuid, config: run.config });
    await run.dispose();
    await waitFor('the socket to close', () => run!.fake.gateway.openSockets === 0 || undefined);
    run = undefined;
  });

  it('never logs the token', async () => {
    run = await runAdapter();
    run.fake.drop('terminate');
    run.fake.dm(run.fake.alice, 'hi');
    await received(run, 'hi');
    await run.impl.get_user_info({ bot_uuid: run.bot_uuid, user_id: '1' }).catch(() => undefined);
    expect(run.logs.length).toBeGreaterThan(5);
    expect(run.logs.filter((l) => l.includes(run!.fake.token))).toEqual([]);
  });
});

describe('reconnecting', () => {
  it('resumes after an abrupt drop and receives what was sent meanwhile', async () => {
    run = await runAdapter();
    run.fake.drop('terminate');
    run.fake.dm(run.fake.alice, 'sent while down');
    await received(run, 'sent while down');
    expect(run.fake.gateway.resumes).toBe(1);
    expect(run.fake.gateway.identifies).toBe(1);
    expect(run.fake.gateway.connections.at(-1)!.path).toBe('/resume');
  });

  it('identifies again when the session cannot be resumed', async () => {
    run = await runAdapter();
    run.fake.gateway.forgetSession();
    run.fake.drop(4000);
    await waitFor('a new identify', () => run!.fake.gateway.identifies === 2 || undefined, 15_000);
    run.fake.dm(run.fake.alice, 'after identify');
    await received(run, 'after identify');
  }, 20_000);

  it('survives malformed dispatches that discord.js itself cannot process', async () => {
    run = await runAdapter();
    run.fake.dispatch('MESSAGE_CREATE', { id: '2', channel_id: run.fake.channel.id, guild_id: run.fake.guild.id, content: 'x', author: 5 });
    run.fake.dispatch('GUILD_MEMBER_ADD', { guild_id: run.fake.guild.id });
    run.fake.dm(run.fake.alice, 'still here');
    await received(run, 'still here');
    expect(run.logs.some((l) => l.includes('malformed MESSAGE_CREATE'))).toBe(true);
    expect(run.logs.some((l) => l.includes('discord.js could not process a GUILD_MEMBER_ADD'))).toBe(true);
  });
});

describe('sending', () => {
  it('answers a DM in the DM channel of the user the chat is named after', async () => {
    run = await runAdapter();
    run.fake.dm(run.fake.alice, 'hello');
    const event = await received(run, 'hello');
    expect(event).toMatchObject({ chat_type: 'private', chat_id: run.fake.alice.id, sender: { id: run.fake.alice.id, nickname: 'Alice' } });
    await run.impl.reply_message({ bot_uuid: run.bot_uuid, event, message: [{ type: 'Plain', text: 'hi Alice' }] });
    expect(run.fake.botTexts()).toEqual(['hi Alice']);
    // The bot's own message came back through the gateway and was not taken for a user's.
    await new Promise((r) => setTimeout(r, 100));
    expect(run.events.filter((e) => e.type === 'message.received')).toHaveLength(1);
  });

  it('opens a DM channel to send to a user it has not heard from', async () => {
    run = await runAdapter();
    await run.impl.send_message({ bot_uuid: run.bot_uuid, target_type: 'private', target_id: run.fake.bob.id, message: [{ type: 'Plain', text: 'hello Bob' }] });
    expect(run.fake.requests('POST', '/users/@me/channels')[0].body).toEqual({ recipient_id: run.fake.bob.id });
    expect(run.fake.botTexts(run.fake.bob)).toEqual(['hello Bob']);
  });

  it('splits long text into messages of at most 2000 characters', async () => {
    run = await runAdapter();
    const text = Array.from({ length: 450 }, (_, i) => `word${i % 10}`).join(' ');
    await run.impl.send_message({ bot_uuid: run.bot_uuid, target_type: 'group', target_id: run.fake.channel.id, message: [{ type: 'Plain', text }] });
    const posts = run.fake.requests('POST', /\/messages$/);
    expect(posts.length).toBe(2);
    expect(posts.every((p) => p.body.content.length <= 2000)).toBe(true);
    expect(posts.map((p) => p.body.content).join(' ')).toBe(text);
  });

  it('uploads media given by URL and by path as multipart attachments', async () => {
    run = await runAdapter();
    const url = run.fake.host('cat.png', Buffer.from('\x89PNG fake'), 'image/png');
    const dir = mkdtempSync(join(tmpdir(), 'discord-test-'));
    writeFileSync(join(dir, 'notes.txt'), 'some notes');
    await run.impl.send_message({
      bot_uuid: run.bot_uuid,
      target_type: 'group',
      target_id: run.fake.channel.id,
      message: [{ type: 'Plain', text: 'files' }, { type: 'Image', url }, { type: 'File', path: join(dir, 'notes.txt') }],
    });
    const post = run.fake.requests('POST', /\/messages$/).at(-1)!;
    expect(post.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(post.files.map((f) => [f.field, f.filename, f.data.toString()])).toEqual([
      ['files[0]', 'cat.png', '\x89PNG fake'],
      ['files[1]', 'notes.txt', 'some notes'],
    ]);
    expect(post.body.content).toBe('files');
  });

  it('refuses an empty message before calling Discord', async () => {
    run = await runAdapter();
    await expect(run.impl.send_message({ bot_uuid: run.bot_uuid, target_type: 'group', target_id: run.fake.channel.id, message: [] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(run.fake.requests('POST', /\/messages$/)).toHaveLength(0);
  });
});

describe('streaming by editing', () => {
  const chunk = (r: AdapterRun, event: any, bot_message: any, text: string, is_final = false) =>
    r.impl.reply_message_chunk({ bot_uuid: r.bot_uuid, event, bot_message, message: [{ type: 'Plain', text }], is_final });

  it('sends the first chunk, skips edits within a second, and always writes the final text', async () => {
    run = await runAdapter();
    run.fake.dm(run.fake.alice, 'tell me');
    const event = await received(run, 'tell me');
    let state = await chunk(run, event, {}, 'Once');
    state = { ...state, ...(await chunk(run, event, state, 'Once upon')) };
    expect(run.fake.edits).toBe(0);
    state = { ...state, ...(await chunk(run, event, state, 'Once upon a time', true)) };
    expect(run.fake.edits).toBe(1);
    expect(run.fake.botTexts()).toEqual(['Once upon a time']);
    await chunk(run, event, state, 'Once upon a time', true);
    expect(run.fake.edits).toBe(1);
  });

  it('edits again once a second has passed', async () => {
    run = await runAdapter();
    run.fake.dm(run.fake.alice, 'go');
    const event = await received(run, 'go');
    const state = await chunk(run, event, {}, 'a');
    await chunk(run, event, { ...state, edited_at: Date.now() - 1500 }, 'ab');
    expect(run.fake.edits).toBe(1);
    expect(run.fake.botTexts()).toEqual(['ab']);
  });

  it('continues text past 2000 characters in a second message', async () => {
    run = await runAdapter();
    run.fake.dm(run.fake.alice, 'long');
    const event = await received(run, 'long');
    const state = await chunk(run, event, {}, 'x'.repeat(1500));
    await chunk(run, event, state, 'x'.repeat(2500), true);
    expect(run.fake.botTexts()).toEqual(['x'.repeat(2000), 'x'.repeat(500)]);
  });
});

describe('errors', () => {
  it('turns Discord errors into clear errors with a code', async () => {
    run = await runAdapter();
    const error = await run.impl.get_user_info({ bot_uuid: run.bot_uuid, user_id: '123456789' }).catch((e: any) => e);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    expect(error.message).toMatch(/Discord answered 404 to GET \/users\/123456789: Unknown User \(Discord error 10013\)/);
    run.fake.rest.failNext = { status: 403, body: { message: 'Missing Permissions', code: 50013 } };
    await expect(run.impl.kick_member({ bot_uuid: run.bot_uuid, group_id: run.fake.guild.id, user_id: run.fake.bob.id })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('refuses ids that are not snowflakes', async () => {
    run = await runAdapter();
    await expect(run.impl.get_group_info({ bot_uuid: run.bot_uuid, group_id: '../users/@me' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(run.impl.call_platform_api({ bot_uuid: run.bot_uuid, action: 'typing', params: {} })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('looks up attachment URLs by the ids it has seen', async () => {
    run = await runAdapter();
    const url = `${run.fake.baseUrl}/attachments/42/a.txt`;
    run.fake.dm(run.fake.alice, 'a file', { attachments: [{ id: '42', filename: 'a.txt', size: 3, url, content_type: 'text/plain' }] });
    await received(run, 'a file');
    expect(await run.impl.get_file_url({ bot_uuid: run.bot_uuid, file_id: '42' })).toBe(url);
    await expect(run.impl.get_file_url({ bot_uuid: run.bot_uuid, file_id: '43' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
