import { afterEach } from 'vitest';
import { resolve } from 'node:path';
import { startChat, type ChatHarness, type ChatOptions } from '../../sdk/testing/index.js';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures/chat');

const chats: ChatHarness[] = [];
export async function chat(options?: ChatOptions): Promise<ChatHarness> {
  const harness = await startChat(options);
  chats.push(harness);
  return harness;
}
afterEach(async () => {
  await Promise.all(chats.splice(0).map((c) => c.stop()));
});

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A group that answers everything, so tests of other stages are not about triggers. */
export const OPEN_GROUP = { trigger: { 'group-respond-rules': { at: false, prefix: [], regexp: [], random: 1 } } };
