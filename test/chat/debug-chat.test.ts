import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { WebSocket } from 'ws';
import { checkAdapterDeclarations } from '../../sdk/index.js';
import { debugChatAdapter } from '../../extensions/adapters/debug-chat/adapter.js';
import type { DebugChatHub } from '../../extensions/adapters/debug-chat/hub.js';
import type { ChatHarness } from '../../sdk/testing/index.js';
import { chat, sleep } from './support.js';

const TOKEN = 'debug-secret';
type Frame = Record<string, any>;

/** A debug-chat client through the kernel API (as the HTTP extension will carry it). */
async function kernelClient(bot: ChatHarness, session_type = 'person') {
  const manager = bot.kernel.manager;
  const { connection_id } = (await manager.invoke('services', 'debug-chat', 'open', { pipeline_uuid: bot.pipeline_uuid, session_type })) as { connection_id: string };
  const frames: Frame[] = [];
  const done = (async () => {
    for await (const frame of manager.stream('services', 'debug-chat', 'frames', { connection_id }, { timeoutMs: 0 })) frames.push(frame as Frame);
  })();
  const send = (frame: unknown) => manager.invoke('services', 'debug-chat', 'send', { connection_id, frame });
  const until = async (predicate: (f: Frame[]) => boolean) => {
    await expect.poll(() => predicate(frames), { timeout: 5_000 }).toBe(true);
    return frames;
  };
  return { connection_id, frames, send, until, done };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });

describe('debug chat', () => {
  it('declares exactly what its adapter implements', () => {
    const manifest = parse(readFileSync(join(import.meta.dirname, '../../extensions/adapters/debug-chat/manifest.yaml'), 'utf8'));
    expect(checkAdapterDeclarations(manifest.contributes.adapters[0], debugChatAdapter({} as DebugChatHub), { emittedEvents: ['message.received'] })).toEqual([]);
  });

  it('authenticates with the first frame, echoes the user message and streams the reply with one id', async () => {
    const bot = await chat({ config: { 'langbot.adapter-debug-chat': { token: TOKEN } }, script: [{ chunks: ['Hi ', 'there', '!'] }] });
    const client = await kernelClient(bot);
    await client.send({ type: 'authenticate', token: TOKEN });
    await client.until((f) => f.some((x) => x.type === 'connected'));
    expect(client.frames[0]).toMatchObject({ type: 'connected', connection_id: client.connection_id, pipeline_uuid: bot.pipeline_uuid, session_type: 'person' });

    await client.send({ type: 'message', message: [{ type: 'Plain', text: 'hello' }], stream: true });
    const frames = await client.until((f) => f.some((x) => x.type === 'response' && x.data.is_final));
    const echo = frames.find((f) => f.type === 'user_message')!;
    expect(echo.data).toMatchObject({ role: 'user', content: 'hello', is_final: true, connection_id: client.connection_id });
    const responses = frames.filter((f) => f.type === 'response').map((f) => f.data);
    expect(responses.map((r) => [r.content, r.is_final])).toEqual([
      ['Hi ', false],
      ['Hi there', false],
      ['Hi there!', true],
    ]);
    expect(new Set(responses.map((r) => r.id)).size).toBe(1);

    await client.send({ type: 'ping' });
    await client.until((f) => f.some((x) => x.type === 'pong'));
    await client.send('{not json');
    await client.until((f) => f.some((x) => x.type === 'error' && x.message === 'Invalid JSON format'));
  });

  it('sends only the finished reply when the client asks for no streaming', async () => {
    const bot = await chat({ config: { 'langbot.adapter-debug-chat': { token: TOKEN } }, script: [{ chunks: ['a', 'b', 'c'] }] });
    const client = await kernelClient(bot);
    await client.send({ type: 'authenticate', token: TOKEN });
    await client.send({ type: 'message', message: [{ type: 'Plain', text: 'x' }], stream: false });
    const frames = await client.until((f) => f.some((x) => x.type === 'response'));
    await sleep(100);
    expect(frames.filter((f) => f.type === 'response').map((f) => [f.data.content, f.data.is_final])).toEqual([['abc', true]]);
  });

  it('refuses a wrong token, or no token configured, with Unauthorized and closes', async () => {
    const bot = await chat({ config: { 'langbot.adapter-debug-chat': { token: TOKEN } } });
    const client = await kernelClient(bot);
    await client.send({ type: 'authenticate', token: 'guess' });
    await client.done;
    expect(client.frames).toEqual([{ type: 'error', message: 'Unauthorized' }]);
    const early = await kernelClient(bot);
    await early.send({ type: 'message', message: [{ type: 'Plain', text: 'let me in' }] });
    await early.done;
    expect(early.frames).toEqual([{ type: 'error', message: 'Unauthorized' }]);

    const open = await chat();
    const anyone = await kernelClient(open);
    await anyone.send({ type: 'authenticate', token: '' });
    await anyone.done;
    expect(anyone.frames).toEqual([{ type: 'error', message: 'Unauthorized' }]);
    expect(open.logs.join('\n')).toMatch(/no access token is configured/);
  });

  it('serves the upstream WebSocket path on a standalone port, keeping the conversation between messages', async () => {
    const port = await freePort();
    const bot = await chat({ config: { 'langbot.adapter-debug-chat': { token: TOKEN, port } }, script: [{ reply: 'seen {history} before' }] });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/pipelines/${bot.pipeline_uuid}/ws/connect?session_type=person`);
    const frames: Frame[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify({ type: 'authenticate', token: TOKEN }));
    ws.send(JSON.stringify({ type: 'message', message: [{ type: 'Plain', text: 'one' }] }));
    ws.send(JSON.stringify({ type: 'message', message: [{ type: 'Plain', text: 'two' }] }));
    await expect.poll(() => frames.filter((f) => f.type === 'response').length, { timeout: 5_000 }).toBe(2);
    expect(frames.filter((f) => f.type === 'response').map((f) => f.data.content)).toEqual(['seen 0 before', 'seen 2 before']);
    ws.send(JSON.stringify({ type: 'disconnect' }));
    await new Promise((resolve) => ws.once('close', resolve));
  });
});
