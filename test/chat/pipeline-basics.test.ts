import { afterEach, describe, expect, it } from 'vitest';
import { startChat, type ChatHarness, type ChatOptions } from '../../sdk/testing/index.js';

const chats: ChatHarness[] = [];
async function chat(options?: ChatOptions) {
  const harness = await startChat(options);
  chats.push(harness);
  return harness;
}
afterEach(async () => {
  await Promise.all(chats.splice(0).map((c) => c.stop()));
});

describe('pipeline: a private chat', () => {
  it('answers a private message with the runner’s reply', async () => {
    const bot = await chat();
    expect(await bot.user('alice').says('hello')).toEqual(['echo: hello']);
  });
});
