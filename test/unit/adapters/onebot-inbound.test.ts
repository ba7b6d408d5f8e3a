/** OneBot v11 → message chain: what each segment (array or CQ-code string) becomes. */
import { describe, expect, it } from 'vitest';
import { segmentsToChain, type InboundResolver } from '../../../extensions/adapters/onebot/inbound.js';
import { parseCqString } from '../../../extensions/adapters/onebot/segments.js';

describe('CQ-code strings', () => {
  it('splits text and codes, unescaping text (&amp; &#91; &#93;) and parameters (also &#44;)', () => {
    expect(parseCqString('a &#91;x&#93; &amp; b[CQ:share,title=Hi&#44; there,url=http://x.com/?a=1&amp;b=2]tail')).toEqual([
      { type: 'text', data: { text: 'a [x] & b' } },
      { type: 'share', data: { title: 'Hi, there', url: 'http://x.com/?a=1&b=2' } },
      { type: 'text', data: { text: 'tail' } },
    ]);
  });

  it('takes everything after the first = as the value and accepts codes without parameters', () => {
    expect(parseCqString('[CQ:shake][CQ:share,title=a=b]')).toEqual([
      { type: 'shake', data: {} },
      { type: 'share', data: { title: 'a=b' } },
    ]);
  });

  it('leaves a lone bracket that is not a CQ code as text', () => {
    expect(parseCqString('[not a code]')).toEqual([{ type: 'text', data: { text: '[not a code]' } }]);
  });
});

describe('segments → message chain', () => {
  it('maps text, mentions, faces and the magic faces', async () => {
    const chain = await segmentsToChain([
      { type: 'text', data: { text: 'hi ' } },
      { type: 'at', data: { qq: '10001', name: 'Alice' } },
      { type: 'at', data: { qq: 'all' } },
      { type: 'face', data: { id: '178' } },
      { type: 'dice', data: { result: '4' } },
      { type: 'rps', data: {} },
    ]);
    expect(chain).toEqual([
      { type: 'Plain', text: 'hi ' },
      { type: 'At', target: 10001, display: 'Alice' },
      { type: 'AtAll' },
      { type: 'Face', face_type: 'face', face_id: 178 },
      { type: 'Face', face_type: 'dice', face_id: 4 },
      { type: 'Face', face_type: 'rps' },
    ]);
  });

  it('parses a CQ-code string message the same way as an array', async () => {
    const chain = await segmentsToChain('[CQ:at,qq=10001] look &#91;1&#93;[CQ:image,file=abc.jpg,url=https://q.qq.com/abc.jpg][CQ:face,id=5]');
    expect(chain).toEqual([
      { type: 'At', target: 10001 },
      { type: 'Plain', text: ' look [1]' },
      { type: 'Image', image_id: 'abc.jpg', url: 'https://q.qq.com/abc.jpg' },
      { type: 'Face', face_type: 'face', face_id: 5 },
    ]);
  });

  it('keeps media ids and urls: images (stickers too), voice, files and videos', async () => {
    const chain = await segmentsToChain([
      { type: 'image', data: { file: 'sticker.gif', url: 'https://q.qq.com/s.gif', sub_type: 1 } },
      { type: 'record', data: { file: 'v.amr', url: 'https://q.qq.com/v.amr' } },
      { type: 'file', data: { file: 'report.pdf', file_id: 'fid-1', file_size: '2048' } },
      { type: 'video', data: { file: 'clip.mp4', url: 'https://q.qq.com/clip.mp4' } },
    ]);
    expect(chain).toEqual([
      { type: 'Image', image_id: 'sticker.gif', url: 'https://q.qq.com/s.gif' },
      { type: 'Voice', voice_id: 'v.amr', url: 'https://q.qq.com/v.amr' },
      { type: 'File', id: 'fid-1', name: 'report.pdf', size: 2048 },
      { type: 'File', id: 'clip.mp4', name: 'clip.mp4', url: 'https://q.qq.com/clip.mp4' },
    ]);
  });

  it('turns json, xml, pokes and anything malformed into Unknown, keeping the raw input', async () => {
    const card = { type: 'json', data: { data: '{"app":"x"}' } };
    const chain = await segmentsToChain([card, { type: 'poke', data: { type: '1', id: '1' } }, 42, { type: 'at', data: {} }]);
    expect(chain).toEqual([
      { type: 'Unknown', text: '[json]', raw: card },
      { type: 'Unknown', text: '[poke]', raw: { type: 'poke', data: { type: '1', id: '1' } } },
      { type: 'Unknown', text: '[unsupported content]', raw: 42 },
      { type: 'Unknown', text: '[at]', raw: { type: 'at', data: {} } },
    ]);
  });

  it('fills a reply with the quoted message when get_msg answers', async () => {
    const asked: unknown[] = [];
    const resolver: InboundResolver = {
      getMessage: async (id) => (asked.push(id), { message_id: id, group_id: 20001, sender: { user_id: 10002 }, message: [{ type: 'text', data: { text: 'original' } }] }),
    };
    const chain = await segmentsToChain([{ type: 'reply', data: { id: '77' } }, { type: 'text', data: { text: 'agreed' } }], resolver);
    expect(asked).toEqual([77]);
    expect(chain).toEqual([
      { type: 'Quote', id: 77, sender_id: 10002, group_id: 20001, origin: [{ type: 'Plain', text: 'original' }] },
      { type: 'Plain', text: 'agreed' },
    ]);
  });

  it('keeps only the quoted id when the original cannot be fetched', async () => {
    const resolver: InboundResolver = { getMessage: async () => { throw new Error('gone'); } };
    expect(await segmentsToChain([{ type: 'reply', data: { id: '77' } }], resolver)).toEqual([{ type: 'Quote', id: 77, origin: [] }]);
    expect(await segmentsToChain('[CQ:reply,id=78]')).toEqual([{ type: 'Quote', id: 78, origin: [] }]);
  });

  it('builds a Forward from inline content or from get_forward_msg, and leaves it Unknown otherwise', async () => {
    const inline = await segmentsToChain([
      { type: 'forward', data: { id: 'f1', content: [{ message_id: 5, sender: { user_id: 10001, nickname: 'Alice' }, message: [{ type: 'text', data: { text: 'one' } }] }] } },
    ]);
    expect(inline).toEqual([
      { type: 'Forward', display: { title: 'Chat history', brief: '[Chat history]' }, node_list: [{ sender_id: 10001, sender_name: 'Alice', message_id: 5, message_chain: [{ type: 'Plain', text: 'one' }] }] },
    ]);

    const resolver: InboundResolver = {
      getForward: async () => ({ message: [{ type: 'node', data: { user_id: '10002', nickname: 'Bob', content: '[CQ:face,id=1]two' } }] }),
    };
    const fetched = await segmentsToChain('[CQ:forward,id=f2]', resolver);
    expect(fetched[0]).toMatchObject({ type: 'Forward', node_list: [{ sender_id: 10002, sender_name: 'Bob', message_chain: [{ type: 'Face', face_id: 1 }, { type: 'Plain', text: 'two' }] }] });

    expect(await segmentsToChain('[CQ:forward,id=f3]')).toEqual([{ type: 'Unknown', text: '[forward]', raw: { type: 'forward', data: { id: 'f3' } } }]);
  });
});
