import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChat, type ChatHarness } from '@langbot-ts/sdk/testing';

// A real kernel with this extension installed and a pipeline that uses this runner.
let chat: ChatHarness;

beforeAll(async () => {
  chat = await startChat({
    extensions: [import.meta.dirname],
    pipeline: { ai: { runner: { runner: '{{key}}' }, '{{key}}': { greeting: 'Hello' } } },
  });
});

afterAll(async () => {
  await chat?.stop();
});

describe('{{key}} runner', () => {
  it('answers each message, knowing the conversation so far', async () => {
    expect(await chat.user('alice').says('first')).toEqual(['Hello! Message 1 of this chat: first']);
    expect(await chat.user('alice').says('second')).toEqual(['Hello! Message 2 of this chat: second']);
    expect(await chat.user('bob').says('another chat')).toEqual(['Hello! Message 1 of this chat: another chat']);
  });
});
