import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChat, type ChatHarness } from '@langbot-ts/sdk/testing';

// A real kernel with this extension installed; the bot's model is a script that echoes what it is told.
let chat: ChatHarness;

beforeAll(async () => {
  chat = await startChat({ extensions: [import.meta.dirname] });
});

afterAll(async () => {
  await chat?.stop();
});

describe('{{key}}', () => {
  it('answers "ping" itself, without asking the model', async () => {
    const runsBefore = (await chat.runs()).length;
    expect(await chat.user('alice').says('ping')).toEqual(['pong']);
    expect(await chat.user('bob').inGroup('g1').says('@bot ping')).toEqual(['@bob pong']);
    expect(await chat.runs()).toHaveLength(runsBefore);
  });

  it('leaves other messages to the model', async () => {
    expect(await chat.user('alice').says('hello')).toEqual(['echo: hello']);
  });
});
