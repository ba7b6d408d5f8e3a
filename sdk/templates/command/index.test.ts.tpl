import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChat, type ChatHarness } from '@langbot-ts/sdk/testing';

// A real kernel with this extension installed and a bot whose replies the harness records.
let chat: ChatHarness;

beforeAll(async () => {
  chat = await startChat({ extensions: [import.meta.dirname] });
});

afterAll(async () => {
  await chat?.stop();
});

describe('!{{key}}', () => {
  it('answers the command with its parameters', async () => {
    expect(await chat.user('alice').says('!{{key}} one two three')).toEqual(['[bot] 3 words, alice.']);
  });

  it('explains its usage when given nothing', async () => {
    expect(await chat.user('alice').says('!{{key}}')).toEqual(['[bot] Usage: !{{key}} <words…>']);
  });

  it('leaves other messages to the model', async () => {
    expect(await chat.user('alice').says('hello')).toEqual(['echo: hello']);
  });
});
