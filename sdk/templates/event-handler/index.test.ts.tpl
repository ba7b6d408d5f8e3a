import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChat, type ChatHarness } from '@langbot-ts/sdk/testing';

// A real kernel with this extension installed and a bot whose one rule sends messages to this handler.
let chat: ChatHarness;

beforeAll(async () => {
  chat = await startChat({
    extensions: [import.meta.dirname],
    event_handlers: [{ event_type: 'message.received', handler_type: '{{key}}', handler_config: { prefix: '> ' } }],
  });
});

afterAll(async () => {
  await chat?.stop();
});

describe('{{key}} handler', () => {
  it('answers each message with the prefix from the rule', async () => {
    expect(await chat.user('alice').says('hello')).toEqual(['> hello']);
    expect(await chat.user('bob').inGroup('g1').says('hi all')).toEqual(['> hi all']);
  });

  it('never asks the model: the rule routes around the pipeline', async () => {
    expect(await chat.runs()).toEqual([]);
  });
});
