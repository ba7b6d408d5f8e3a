import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startChat, type ChatHarness } from '../../sdk/testing/index.js';
import { ApiClient } from '../support/api-harness.js';

let chat: ChatHarness;
let api: ApiClient;
let token: string;

beforeAll(async () => {
  chat = await startChat({ script: [{ chunks: ['Hel', 'lo ', 'there'] }] });
  api = new ApiClient(await chat.httpUrl());
  token = await api.signUp();
}, 60_000);
afterAll(() => chat?.stop());

type Frame = { type: string; [key: string]: any };

function connect(path = `/api/v1/pipelines/${chat.pipeline_uuid}/ws/connect?session_type=person`) {
  const ws = new WebSocket(api.url.replace(/^http/, 'ws') + path);
  const frames: Frame[] = [];
  let closed: { code: number } | undefined;
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  ws.on('close', (code) => (closed = { code }));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const until = async (predicate: (frames: Frame[]) => boolean) => {
    await expect.poll(() => predicate(frames), { timeout: 8_000 }).toBe(true);
    return frames;
  };
  return { ws, frames, opened, until, closed: () => closed, send: (frame: unknown) => ws.send(JSON.stringify(frame)) };
}

describe('debug chat over the HTTP server', () => {
  it('lets a signed-in user chat with a pipeline, the reply streamed under one id', async () => {
    const client = connect();
    await client.opened;
    client.send({ type: 'authenticate', token });
    await client.until((f) => f.some((x) => x.type === 'connected'));
    client.send({ type: 'message', message: [{ type: 'Plain', text: 'hi' }], stream: true });
    const frames = await client.until((f) => f.some((x) => x.type === 'response' && x.data.is_final));
    const responses = frames.filter((f) => f.type === 'response').map((f) => f.data);
    expect(responses.at(-1)).toMatchObject({ content: 'Hello there', is_final: true });
    expect(new Set(responses.map((r) => r.id)).size).toBe(1);
    expect(responses.length).toBeGreaterThan(1);
    client.ws.close();
  });

  it('refuses a client whose first frame carries no valid token, and closes the socket', async () => {
    for (const first of [{ type: 'authenticate', token: 'forged' }, { type: 'message', message: [] }, 'not json']) {
      const client = connect();
      await client.opened;
      client.ws.send(typeof first === 'string' ? first : JSON.stringify(first));
      await client.until((f) => f.some((x) => x.type === 'error' && x.message === 'Unauthorized'));
      await expect.poll(() => client.closed()?.code, { timeout: 5_000 }).toBe(1008);
      expect(client.frames.some((f) => f.type === 'connected')).toBe(false);
    }
  });

  it('answers 404 for another path', async () => {
    const client = connect('/api/v1/pipelines/x/ws/nope');
    await expect(client.opened).rejects.toThrow(/404/);
  });
});
