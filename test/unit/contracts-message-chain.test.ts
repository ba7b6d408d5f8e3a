import { describe, expect, it } from 'vitest';
import { RpcError } from '../../kernel/api/index.js';
import {
  chain,
  decodeChain,
  encodeChain,
  firstOf,
  plainText,
  type MessageChain,
  type Unknown,
} from '../../sdk/contracts/index.js';

const everyComponent: MessageChain = [
  { type: 'Source', id: 42, time: 1_700_000_000 },
  { type: 'Plain', text: 'hello ' },
  {
    type: 'Quote',
    id: 'm1',
    group_id: 7,
    sender_id: 'u1',
    target_id: 'u2',
    origin: [{ type: 'Plain', text: 'quoted' }, { type: 'At', target: 'u3' }],
  },
  { type: 'At', target: 'u9', display: 'Ann' },
  { type: 'AtAll' },
  { type: 'Image', image_id: 'img', url: 'https://x/i.png', path: '/tmp/i.png', base64: 'data:image/png;base64,AAA=' },
  { type: 'Voice', voice_id: 'v', url: 'https://x/v.ogg', path: '/tmp/v.ogg', base64: 'data:audio/ogg;base64,AA==', length: 3 },
  { type: 'File', id: 'f', name: 'a.pdf', size: 1024, url: 'https://x/a.pdf', path: '/tmp/a.pdf', base64: 'data:application/pdf;base64,AA==' },
  {
    type: 'Forward',
    display: { title: 'History', brief: '[Chat history]', source: 'src', preview: ['a: hi'], summary: 'View 1 forwarded messages' },
    node_list: [
      {
        sender_id: 'u1',
        sender_name: 'Ann',
        message_id: 5,
        message_chain: [
          { type: 'Plain', text: 'nested' },
          { type: 'Quote', id: 3, origin: [{ type: 'Face', face_id: 1 }] },
        ],
      },
    ],
  },
  { type: 'Face', face_type: 'dice', face_id: 4, face_name: 'dice' },
  { type: 'Unknown', text: 'odd', raw: { type: 'Sticker', id: 1 } },
  { type: 'Platform', platform: 'telegram', component_type: 'poll', data: { question: 'Tea?' } },
];

describe('message chain codec', () => {
  it('round-trips every component type, including nested Quote and Forward chains', () => {
    const json = JSON.parse(JSON.stringify(encodeChain(everyComponent)));
    expect(decodeChain(json)).toEqual(everyComponent);
  });

  it('writes Source.time under the wire key `timestamp` and accepts either key back', () => {
    const [source] = encodeChain([{ type: 'Source', id: 1, time: 100 }]) as Record<string, unknown>[];
    expect(source).toEqual({ type: 'Source', id: 1, timestamp: 100 });
    expect(decodeChain([{ type: 'Source', id: 1, time: 100 }])).toEqual([{ type: 'Source', id: 1, time: 100 }]);
  });

  it('turns an unknown component type into Unknown and keeps the raw object', () => {
    const raw = { type: 'WeChatEmoji', emoji_md5: 'abc', emoji_size: 3 };
    const [component] = decodeChain([raw]);
    expect(component.type).toBe('Unknown');
    expect((component as Unknown).raw).toEqual(raw);
    expect((component as Unknown).text).toContain('WeChatEmoji');
  });

  it('turns a component that fails its schema into Unknown, keeping the raw object', () => {
    const bad = { type: 'Plain', text: 12 };
    const decoded = decodeChain([{ type: 'Plain', text: 'ok' }, bad]);
    expect(decoded[0]).toEqual({ type: 'Plain', text: 'ok' });
    expect(decoded[1]).toMatchObject({ type: 'Unknown', raw: bad });
    expect((decoded[1] as Unknown).text).toMatch(/Plain/);
  });

  it('keeps a problem inside a nested chain local to that component', () => {
    const [quote] = decodeChain([{ type: 'Quote', id: 1, origin: [{ type: 'At' }, { type: 'Plain', text: 'x' }] }]);
    expect(quote).toMatchObject({
      type: 'Quote',
      origin: [{ type: 'Unknown', raw: { type: 'At' } }, { type: 'Plain', text: 'x' }],
    });
  });

  it('never throws on component-level problems', () => {
    const junk = [null, 3, 'text', [], {}, { type: 7 }, { type: 'Quote' }, { type: 'Forward', node_list: [{}] }, { type: 'Source', id: 1, time: 'not a date' }];
    const decoded = decodeChain(junk);
    expect(decoded).toHaveLength(junk.length);
    for (const [i, component] of decoded.entries()) expect(component).toEqual({ type: 'Unknown', text: expect.any(String), raw: junk[i] });
  });

  it('treats null optional fields as absent, as upstream JSON writes them', () => {
    expect(decodeChain([{ type: 'Quote', id: null, sender_id: 5, origin: [] }])).toEqual([{ type: 'Quote', sender_id: 5, origin: [] }]);
  });

  it('rejects a non-array input with a typed error', () => {
    for (const input of [{}, 'Plain', null, undefined]) {
      let caught: unknown;
      try {
        decodeChain(input);
      } catch (error) {
        caught = error;
      }
      expect(RpcError.is(caught, 'VALIDATION_FAILED')).toBe(true);
    }
  });
});

describe('message chain helpers', () => {
  it('chain() turns strings into Plain and flattens arrays', () => {
    expect(chain('hi ', { type: 'At', target: 1 }, [{ type: 'AtAll' }])).toEqual([
      { type: 'Plain', text: 'hi ' },
      { type: 'At', target: 1 },
      { type: 'AtAll' },
    ]);
  });

  it('plainText() concatenates readable parts and skips Source', () => {
    const text = plainText(
      chain({ type: 'Source', id: 1, time: 0 }, 'hi ', { type: 'At', target: 7, display: 'Bob' }, ' ', { type: 'At', target: 8 }, ' ', { type: 'AtAll' }, { type: 'Image' }, { type: 'File', name: 'a.txt' }),
    );
    expect(text).toBe('hi @Bob @8 @All[Image][File]a.txt');
  });

  it('firstOf() finds the first component of a type', () => {
    expect(firstOf(everyComponent, 'Source')?.id).toBe(42);
    expect(firstOf(chain('x'), 'Image')).toBeUndefined();
  });
});
