/** Unified chains → Discord message payloads. */
import { describe, expect, it } from 'vitest';
import { allowedMentions, buildPayloads, chainToDraft, splitText } from '../../../extensions/adapters/discord/outbound.js';
import { memberRole } from '../../../extensions/adapters/discord/members.js';

const file = (name: string) => ({ name, data: Buffer.from(name) });

describe('chain to text', () => {
  it('writes At as <@id>, AtAll as @everyone and Face as :name:', () => {
    const draft = chainToDraft([{ type: 'Source', id: 1, time: 0 }, { type: 'At', target: '42' }, { type: 'Plain', text: ' hi ' }, { type: 'AtAll' }, { type: 'Plain', text: ' ' }, { type: 'Face', face_name: 'smile' }]);
    expect(draft.text).toBe('<@42> hi @everyone :smile:');
    expect(draft).toMatchObject({ mentionUsers: ['42'], everyone: true });
  });

  it('pings only what the chain mentions: a plain-text @everyone pings nobody', () => {
    expect(allowedMentions(chainToDraft([{ type: 'Plain', text: '@everyone <@42>' }]))).toEqual({ parse: [], users: [], replied_user: true });
    expect(allowedMentions(chainToDraft([{ type: 'At', target: 42 }, { type: 'AtAll' }]))).toEqual({ parse: ['everyone'], users: ['42'], replied_user: true });
  });

  it('flattens a Forward into one line per node', () => {
    const draft = chainToDraft([
      { type: 'Plain', text: 'history:' },
      { type: 'Forward', node_list: [{ sender_name: 'Alice', message_chain: [{ type: 'Plain', text: 'hi' }] }, { sender_id: '7', message_chain: [{ type: 'Plain', text: 'yo' }] }] },
    ]);
    expect(draft.text).toBe('history:\nAlice: hi\n<@7>: yo');
  });

  it('collects media, the quoted message and Discord embeds', () => {
    const draft = chainToDraft([{ type: 'Quote', id: '9', origin: [] }, { type: 'Image', url: 'u' }, { type: 'Voice', path: '/v.ogg' }, { type: 'Platform', platform: 'discord', component_type: 'embed', data: { title: 'T' } }]);
    expect(draft).toMatchObject({ quoteId: '9', media: [{ type: 'Image' }, { type: 'Voice' }], embeds: [{ title: 'T' }], text: '' });
  });
});

describe('splitting text', () => {
  it('keeps text up to 2000 characters whole', () => {
    expect(splitText('a'.repeat(2000))).toEqual(['a'.repeat(2000)]);
  });

  it('cuts at a line break or space when one is in the second half', () => {
    const text = `${'a'.repeat(1500)}\n${'b'.repeat(1000)}`;
    expect(splitText(text)).toEqual(['a'.repeat(1500), 'b'.repeat(1000)]);
    expect(splitText(`${'a'.repeat(1800)} ${'b'.repeat(400)}`)).toEqual(['a'.repeat(1800), 'b'.repeat(400)]);
  });

  it('cuts hard when there is no break, never inside a surrogate pair', () => {
    const parts = splitText(`${'a'.repeat(1999)}😀${'b'.repeat(10)}`);
    expect(parts[0]).toBe('a'.repeat(1999));
    expect(parts[1].startsWith('😀')).toBe(true);
    expect(splitText('x'.repeat(4500)).map((p) => p.length)).toEqual([2000, 2000, 500]);
  });
});

describe('payloads', () => {
  it('puts the reply reference on the first message and the attachments on the last text', () => {
    const draft = chainToDraft([{ type: 'Plain', text: `${'a'.repeat(1900)} ${'b'.repeat(300)}` }]);
    const payloads = buildPayloads(draft, [file('1.png')], { replyTo: '55' });
    expect(payloads).toHaveLength(2);
    expect(payloads[0].body.message_reference).toEqual({ message_id: '55', fail_if_not_exists: false });
    expect(payloads[0].files).toEqual([]);
    expect(payloads[1].body.message_reference).toBeUndefined();
    expect(payloads[1].files.map((f) => f.name)).toEqual(['1.png']);
  });

  it('sends more than ten attachments in batches of ten', () => {
    const files = Array.from({ length: 12 }, (_, i) => file(`${i}.png`));
    const payloads = buildPayloads(chainToDraft([{ type: 'Plain', text: 'pics' }]), files);
    expect(payloads.map((p) => [p.body.content, p.files.length])).toEqual([
      ['pics', 10],
      [undefined, 2],
    ]);
  });

  it('sends media alone without text, and nothing for an empty chain', () => {
    expect(buildPayloads(chainToDraft([]), [file('a')])).toEqual([{ body: { allowed_mentions: { parse: [], users: [], replied_user: true } }, files: [file('a')] }]);
    expect(buildPayloads(chainToDraft([]), [])).toEqual([]);
  });

  it('uses the Quote component as the reply reference when no reply is asked for', () => {
    expect(buildPayloads(chainToDraft([{ type: 'Quote', id: '9', origin: [] }, { type: 'Plain', text: 'x' }]), [])[0].body.message_reference).toEqual({ message_id: '9', fail_if_not_exists: false });
  });
});

describe('member roles', () => {
  const guild = { id: '1', owner_id: '10', roles: [{ id: '1', permissions: '0' }, { id: '2', permissions: '8' }, { id: '3', permissions: String(1 << 5) }, { id: '4', permissions: '2048' }] };
  it('owner by ownership, admin by Administrator or Manage Server, member otherwise', () => {
    expect(memberRole({ user: { id: '10' }, roles: [] }, guild)).toBe('owner');
    expect(memberRole({ user: { id: '11' }, roles: ['2'] }, guild)).toBe('admin');
    expect(memberRole({ user: { id: '12' }, roles: ['3'] }, guild)).toBe('admin');
    expect(memberRole({ user: { id: '13' }, roles: ['4'] }, guild)).toBe('member');
    expect(memberRole({ user: { id: '14' }, roles: [] }, { ...guild, roles: [{ id: '1', permissions: '8' }] })).toBe('admin');
  });
});
