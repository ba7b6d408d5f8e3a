/** Unified chains → Telegram messages: planning, Markdown to Telegram HTML, plain rendering and splitting. */
import { describe, expect, it } from 'vitest';
import { markdownToHtml } from '../../../extensions/adapters/telegram/markdown.js';
import { planChain, renderHtml, renderPlain, splitPieces } from '../../../extensions/adapters/telegram/outbound.js';
import { htmlToText } from '../../support/fake-platforms/telegram/html.js';

describe('planning a chain', () => {
  it('batches text and mentions between media and keeps the order', () => {
    const plan = planChain([
      { type: 'Source', id: 1, time: 1 },
      { type: 'Plain', text: 'Hi ' },
      { type: 'At', target: 42, display: 'Ann' },
      { type: 'Image', url: 'https://example.com/a.png' },
      { type: 'Plain', text: 'then a file' },
      { type: 'File', name: 'a.txt', base64: 'aGk=' },
      { type: 'Voice', voice_id: 'voice-file-id' },
    ]);
    expect(plan.ops).toEqual([
      { kind: 'text', pieces: [{ kind: 'text', text: 'Hi ' }, { kind: 'mention', user_id: 42, display: '@Ann' }] },
      { kind: 'photo', source: { url: 'https://example.com/a.png' } },
      { kind: 'text', pieces: [{ kind: 'text', text: 'then a file' }] },
      { kind: 'document', source: { data: Buffer.from('hi') }, name: 'a.txt' },
      { kind: 'voice', source: { file_id: 'voice-file-id' } },
    ]);
  });

  it('reads images from data URIs, paths and file ids', () => {
    const sources = planChain([{ type: 'Image', base64: 'data:image/png;base64,AAEC' }, { type: 'Image', path: '/tmp/x.png' }, { type: 'Image', image_id: 'abc' }]).ops;
    expect(sources).toEqual([
      { kind: 'photo', source: { data: Buffer.from([0, 1, 2]), mime: 'image/png' } },
      { kind: 'photo', source: { path: '/tmp/x.png' } },
      { kind: 'photo', source: { file_id: 'abc' } },
    ]);
  });

  it('makes a Quote the reply target, AtAll and Forward text, a dice Face a dice', () => {
    const plan = planChain([
      { type: 'Quote', id: 55, origin: [] },
      { type: 'AtAll' },
      { type: 'Forward', node_list: [{ sender_name: 'Ann', message_chain: [{ type: 'Plain', text: 'one' }] }, { sender_id: 7, message_chain: [{ type: 'Plain', text: 'two' }] }] },
      { type: 'Face', face_type: 'dice', face_name: '🎯' },
      { type: 'Face', face_name: 'smile' },
    ]);
    expect(plan.replyTo).toBe(55);
    expect(plan.ops).toEqual([
      { kind: 'text', pieces: [{ kind: 'text', text: '@all' }, { kind: 'text', text: '[Forwarded messages]\nAnn: one\n7: two' }] },
      { kind: 'dice', emoji: '🎯' },
      { kind: 'text', pieces: [{ kind: 'text', text: '[smile]' }] },
    ]);
  });

  it('writes a handle mention as text and drops empty text', () => {
    expect(planChain([{ type: 'At', target: '@bob', display: 'bob' }, { type: 'Plain', text: '  ' }]).ops).toEqual([{ kind: 'text', pieces: [{ kind: 'text', text: '@bob' }, { kind: 'text', text: '  ' }] }]);
    expect(planChain([{ type: 'Plain', text: ' \n ' }]).ops).toEqual([]);
  });
});

describe('Markdown to Telegram HTML', () => {
  it('converts the common marks and escapes everything else', () => {
    expect(markdownToHtml('**bold** and *it* and _it2_ ~~gone~~ `a<b>` [site](https://x.y/?a=1&b=2) 1 < 2 & 3')).toBe(
      '<b>bold</b> and <i>it</i> and <i>it2</i> <s>gone</s> <code>a&lt;b&gt;</code> <a href="https://x.y/?a=1&amp;b=2">site</a> 1 &lt; 2 &amp; 3',
    );
  });

  it('keeps code blocks verbatim, turns headings bold, bullets into dots and > into a blockquote', () => {
    expect(markdownToHtml('# Title\n- one\n* two\n> quoted\n```ts\nconst a = x * y * z;\n```')).toBe(
      '<b>Title</b>\n• one\n• two\n<blockquote>quoted</blockquote>\n<pre><code class="language-ts">const a = x * y * z;</code></pre>',
    );
  });

  it('leaves snake_case and lone asterisks alone', () => {
    expect(markdownToHtml('use snake_case_name and 2 * 3 * 4')).toBe('use snake_case_name and 2 * 3 * 4');
  });

  it('produces markup the strict fake parser accepts, showing the intended text', () => {
    expect(htmlToText(renderHtml([{ kind: 'text', text: 'Hi **there** <you> & ' }, { kind: 'mention', user_id: 9, display: '@Ann' }]).text)).toBe('Hi there <you> & @Ann');
  });
});

describe('plain rendering and splitting', () => {
  it('links mentions by user id with text_link entities at UTF-16 offsets', () => {
    expect(renderPlain([{ kind: 'text', text: '👋 ' }, { kind: 'mention', user_id: 9, display: '@Ann' }])).toEqual({
      text: '👋 @Ann',
      entities: [{ type: 'text_link', offset: 3, length: 4, url: 'tg://user?id=9' }],
    });
  });

  it('splits long text under the limit, preferring line breaks', () => {
    const text = `${'a'.repeat(30)}\n${'b'.repeat(30)}\n${'c'.repeat(30)}`;
    const parts = splitPieces([{ kind: 'text', text }], 70).map((part) => part.map((p) => (p.kind === 'text' ? p.text : p.display)).join(''));
    expect(parts).toEqual([`${'a'.repeat(30)}\n${'b'.repeat(30)}\n`, 'c'.repeat(30)]);
    expect(splitPieces([{ kind: 'text', text: 'x'.repeat(250) }], 100).map((p) => p.length)).toEqual([1, 1, 1]);
    expect(parts.join('')).toBe(text);
  });
});
