/** Message chain → OneBot v11 segments: what the adapter sends for each component. */
import { describe, expect, it } from 'vitest';
import type { Forward, MessageChain } from '../../../sdk/index.js';
import { chainToSegments, flattenForward, forwardNodes, splitForwards } from '../../../extensions/adapters/onebot/outbound.js';

describe('message chain → segments', () => {
  it('maps text, mentions and faces, and drops the Source', () => {
    const chain: MessageChain = [
      { type: 'Source', id: 1, time: 0 },
      { type: 'Plain', text: 'hi ' },
      { type: 'At', target: 10001 },
      { type: 'AtAll' },
      { type: 'Face', face_type: 'face', face_id: 178 },
      { type: 'Face', face_type: 'dice' },
      { type: 'Face', face_type: 'rps', face_id: 2 },
    ];
    expect(chainToSegments(chain)).toEqual([
      { type: 'text', data: { text: 'hi ' } },
      { type: 'at', data: { qq: '10001' } },
      { type: 'at', data: { qq: 'all' } },
      { type: 'face', data: { id: '178' } },
      { type: 'dice', data: {} },
      { type: 'rps', data: {} },
    ]);
  });

  it('sends media as http(s) URLs, file:// paths or base64:// content', () => {
    expect(
      chainToSegments([
        { type: 'Image', url: 'https://example.com/a.png' },
        { type: 'Image', path: '/tmp/a.png' },
        { type: 'Image', base64: 'data:image/png;base64,iVBORw0KGgo=' },
        { type: 'Image', image_id: 'received.jpg' },
        { type: 'Voice', path: 'C:\\voice\\v.mp3' },
        { type: 'File', url: 'https://example.com/r.pdf', name: 'r.pdf' },
      ]),
    ).toEqual([
      { type: 'image', data: { file: 'https://example.com/a.png' } },
      { type: 'image', data: { file: 'file:///tmp/a.png' } },
      { type: 'image', data: { file: 'base64://iVBORw0KGgo=' } },
      { type: 'image', data: { file: 'received.jpg' } },
      { type: 'record', data: { file: 'file:///C:/voice/v.mp3' } },
      { type: 'file', data: { file: 'https://example.com/r.pdf', name: 'r.pdf' } },
    ]);
  });

  it('refuses media with no content', () => {
    expect(() => chainToSegments([{ type: 'Image' }])).toThrow(/Image needs/);
  });

  it('puts one reply segment first, wherever the Quote was', () => {
    expect(chainToSegments([{ type: 'Plain', text: 'yes' }, { type: 'Quote', id: 9, origin: [] }, { type: 'Quote', id: 10, origin: [] }])).toEqual([
      { type: 'reply', data: { id: '9' } },
      { type: 'text', data: { text: 'yes' } },
    ]);
  });

  it('sends received raw segments (Unknown) and OneBot Platform components back as they were', () => {
    expect(
      chainToSegments([
        { type: 'Unknown', text: '[json]', raw: { type: 'json', data: { data: '{}' } } },
        { type: 'Unknown', text: 'opaque' },
        { type: 'Platform', platform: 'aiocqhttp', component_type: 'music', data: { type: '163', id: '1' } },
        { type: 'Platform', platform: 'telegram', component_type: 'sticker' },
      ]),
    ).toEqual([
      { type: 'json', data: { data: '{}' } },
      { type: 'music', data: { type: '163', id: '1' } },
    ]);
  });
});

describe('forwards', () => {
  const forward: Forward = {
    type: 'Forward',
    display: { title: 'Chat history' },
    node_list: [
      { sender_id: 10001, sender_name: 'Alice', message_chain: [{ type: 'Plain', text: 'one' }] },
      { message_chain: [{ type: 'Plain', text: 'two' }] },
    ],
  };

  it('are split from the rest of the chain', () => {
    expect(splitForwards([{ type: 'Plain', text: 'x' }, forward])).toEqual({ rest: [{ type: 'Plain', text: 'x' }], forwards: [forward] });
  });

  it('become node segments, with the bot as sender where none is given', () => {
    expect(forwardNodes(forward, { id: '3000001', name: 'Bot' })).toEqual([
      { type: 'node', data: { user_id: '10001', nickname: 'Alice', content: [{ type: 'text', data: { text: 'one' } }] } },
      { type: 'node', data: { user_id: '3000001', nickname: 'Bot', content: [{ type: 'text', data: { text: 'two' } }] } },
    ]);
  });

  it('flatten to one line per node for implementations without forward actions', () => {
    expect(flattenForward(forward)).toBe('[Chat history]\nAlice: one\ntwo');
  });
});
