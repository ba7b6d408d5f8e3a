import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startChat, type ChatHarness } from '@langbot-ts/sdk/testing';

// A fake platform: a local HTTP server that records the replies posted to its callback URL.
const replies: { to: string; text: string }[] = [];
let platform: Server;
let chat: ChatHarness;

beforeAll(async () => {
  platform = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      replies.push(JSON.parse(body));
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((ready) => platform.listen(0, '127.0.0.1', ready));
  const callback_url = `http://127.0.0.1:${(platform.address() as AddressInfo).port}/callback`;
  // A real kernel with a bot on this adapter; its model is a script that echoes what it is told.
  chat = await startChat({ extensions: [import.meta.dirname], adapter: { name: '{{key}}', config: { callback_url } } });
});

afterAll(async () => {
  await chat?.stop();
  platform?.close();
});

const webhook = async (body: unknown) =>
  fetch(`${await chat.httpUrl()}/bots/${chat.bot_uuid}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('{{key}} adapter', () => {
  it('turns a webhook call into a message and posts the reply to the callback URL', async () => {
    const response = await webhook({ user: 'alice', text: 'hello' });
    expect(response.status).toBe(202);
    await chat.idle();
    expect(replies).toEqual([{ to: 'alice', text: 'echo: hello' }]);
  });

  it('refuses a body that is not a message', async () => {
    const response = await webhook({ nope: true });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('"user"') });
  });
});
