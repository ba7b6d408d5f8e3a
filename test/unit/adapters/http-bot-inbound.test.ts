import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../sdk/index.js';
import { parseInbound, parseSession, toEvent } from '../../../extensions/adapters/http-bot/inbound.js';

const parsed = (body: unknown, fallback: 'person' | 'group' = 'person') => {
  const result = parseInbound(body, fallback);
  if (!result.ok) throw new Error(result.error);
  return result.value;
};
const error = (body: unknown) => {
  const result = parseInbound(body, 'person');
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
};
const full = (event: object) => ({ ...event, bot_uuid: 'b1', adapter_name: 'http_bot' });

describe('http bot inbound: segments become message-chain components', () => {
  it('reads segments in the chain dump format', () => {
    const { message } = parsed({
      session_id: 's1',
      message: [
        { type: 'Plain', text: 'look: ' },
        { type: 'At', target: 'u2', display: 'Bo' },
        { type: 'AtAll' },
        { type: 'Image', url: 'https://example.com/a.png' },
        { type: 'Image', base64: 'data:image/png;base64,iVBORw0KGgo=' },
        { type: 'Voice', url: 'https://example.com/a.ogg', length: 3 },
        { type: 'File', name: 'report.pdf', url: 'https://example.com/r.pdf', size: 1200 },
        { type: 'Face', face_id: 14 },
      ],
    });
    expect(message).toEqual([
      { type: 'Plain', text: 'look: ' },
      { type: 'At', target: 'u2', display: 'Bo' },
      { type: 'AtAll' },
      { type: 'Image', url: 'https://example.com/a.png' },
      { type: 'Image', base64: 'data:image/png;base64,iVBORw0KGgo=' },
      { type: 'Voice', url: 'https://example.com/a.ogg', length: 3 },
      { type: 'File', name: 'report.pdf', url: 'https://example.com/r.pdf', size: 1200 },
      { type: 'Face', face_id: 14 },
    ]);
  });

  it('reads a quote with its origin chain', () => {
    const { message } = parsed({ session_id: 's1', message: [{ type: 'Quote', id: 'in_1', origin: [{ type: 'Plain', text: 'earlier' }] }, { type: 'Plain', text: 'this' }] });
    expect(message[0]).toEqual({ type: 'Quote', id: 'in_1', origin: [{ type: 'Plain', text: 'earlier' }] });
  });

  it("reads upstream's `Text` segments as Plain", () => {
    expect(parsed({ session_id: 's1', message: [{ type: 'Text', text: 'hello' }] }).message).toEqual([{ type: 'Plain', text: 'hello' }]);
  });

  it('keeps a segment of an unknown type as Unknown with the raw segment', () => {
    const sticker = { type: 'Sticker', sticker_id: 'x1' };
    const [component] = parsed({ session_id: 's1', message: [sticker] }).message;
    expect(component).toMatchObject({ type: 'Unknown', raw: sticker });
  });

  it('keeps a known segment with wrong fields as Unknown, and the rest of the message', () => {
    const { message } = parsed({ session_id: 's1', message: [{ type: 'Image', url: 42 }, 'junk', { type: 'Plain', text: 'ok' }] });
    expect(message.map((c) => c.type)).toEqual(['Unknown', 'Unknown', 'Plain']);
  });

  it("drops the client's own Source segments: message ids are assigned by the bot", () => {
    expect(parsed({ session_id: 's1', message: [{ type: 'Source', id: 'fake', time: 1 }, { type: 'Plain', text: 'x' }] }).message).toEqual([{ type: 'Plain', text: 'x' }]);
  });
});

describe('http bot inbound: refusals name the field', () => {
  it.each([
    [{ message: [] }, 'session_id'],
    [{ session_id: '', message: [] }, 'session_id'],
    [{ session_id: 's1' }, 'message'],
    [{ session_id: 's1', message: 'hello' }, 'message'],
    [{ session_id: 's1', message: [], session_type: 'channel' }, 'session_type'],
    [{ session_id: 's1', message: [], sender: 'bob' }, 'sender'],
    [[1, 2], 'JSON object'],
    ['text', 'JSON object'],
  ])('%j is refused mentioning %s', (body, field) => {
    expect(error(body)).toContain(field);
  });

  it('a numeric session id is read as text', () => {
    expect(parseSession({ session_id: 42 }, 'person')).toEqual({ ok: true, value: { session_id: '42', session_type: 'person' } });
  });
});

describe('http bot inbound: the unified event', () => {
  it('a person session is a private chat with the session as peer and sender', () => {
    const event = toEvent(parsed({ session_id: 'ticket-7', message: [{ type: 'Plain', text: 'hi' }] }), 'in_abc', 1000);
    expect(event).toMatchObject({ type: 'message.received', chat_type: 'private', chat_id: 'ticket-7', message_id: 'in_abc', sender: { id: 'ticket-7' } });
    expect((event as { message_chain: unknown[] }).message_chain).toEqual([{ type: 'Source', id: 'in_abc', time: 1000 }, { type: 'Plain', text: 'hi' }]);
    expect(parseEvent(full(event)).ok).toBe(true);
  });

  it('the sender is taken from `sender` when given', () => {
    const event = toEvent(parsed({ session_id: 'ticket-7', sender: { id: 'alice-1', name: 'Alice' }, message: [] }), 'in_1');
    expect(event).toMatchObject({ sender: { id: 'alice-1', nickname: 'Alice' } });
  });

  it('a group session is a group chat whose id is the session id', () => {
    const event = toEvent(parsed({ session_id: 'room-1', session_type: 'group', sender: { id: 'u1' }, message: [{ type: 'Plain', text: 'yo' }] }), 'in_2');
    expect(event).toMatchObject({ chat_type: 'group', chat_id: 'room-1', group: { id: 'room-1' }, sender: { id: 'u1' } });
    expect(parseEvent(full(event)).ok).toBe(true);
  });

  it('the session type defaults to the configured one', () => {
    expect(parsed({ session_id: 'room-1', message: [] }, 'group').session_type).toBe('group');
  });
});
