/** Discord message JSON → unified chains and users. */
import { describe, expect, it } from 'vitest';
import { attachmentToComponent, contentToChain, messageToChain, toGroup, toUser } from '../../../extensions/adapters/discord/inbound.js';
import { parseEvent } from '../../../sdk/index.js';

const BOT = '111111111111111111';
const ALICE = { id: '222222222222222222', username: 'alice', global_name: 'Alice', avatar: 'abc', discriminator: '0' };

const message = (extra: Record<string, unknown> = {}) => ({ id: '900000000000000001', channel_id: '5', type: 0, content: '', timestamp: '2025-01-02T03:04:05.000Z', author: ALICE, mentions: [], attachments: [], embeds: [], mention_everyone: false, ...extra });

describe('message text', () => {
  it('turns user mentions (with and without !) into At, named after the mentioned user', () => {
    expect(contentToChain(`<@${BOT}> hi <@!${ALICE.id}>`, [{ id: BOT, username: 'langbot' }, ALICE])).toEqual([
      { type: 'At', target: BOT, display: 'langbot' },
      { type: 'Plain', text: ' hi ' },
      { type: 'At', target: ALICE.id, display: 'Alice' },
    ]);
  });

  it('makes @everyone and @here AtAll only when they really pinged', () => {
    expect(contentToChain('@everyone look', [], true)).toEqual([{ type: 'AtAll' }, { type: 'Plain', text: ' look' }]);
    expect(contentToChain('@here look', [], false)).toEqual([{ type: 'Plain', text: '@here look' }]);
  });

  it('turns custom emoji into Face and leaves role and channel mentions as text', () => {
    expect(contentToChain('nice <:pepe:123456789012345678> <a:dance:223456789012345678> <@&99> <#98>')).toEqual([
      { type: 'Plain', text: 'nice ' },
      { type: 'Face', face_type: 'face', face_name: 'pepe' },
      { type: 'Plain', text: ' ' },
      { type: 'Face', face_type: 'face', face_name: 'dance' },
      { type: 'Plain', text: ' <@&99> <#98>' },
    ]);
  });

  it('gives nothing for empty text', () => {
    expect(contentToChain('')).toEqual([]);
  });
});

describe('attachments', () => {
  const base = { id: '7', filename: 'x', size: 10, url: 'https://cdn.discordapp.com/attachments/1/7/x' };
  it('images become Image, audio and voice messages become Voice, the rest File', () => {
    expect(attachmentToComponent({ ...base, content_type: 'image/png' })).toEqual({ type: 'Image', image_id: '7', url: base.url });
    expect(attachmentToComponent({ ...base, content_type: 'audio/ogg', duration_secs: 3.5, flags: 8192 })).toEqual({ type: 'Voice', voice_id: '7', url: base.url, length: 3.5 });
    expect(attachmentToComponent({ ...base, content_type: 'application/pdf' })).toEqual({ type: 'File', id: '7', url: base.url, name: 'x', size: 10 });
    expect(attachmentToComponent(base)).toMatchObject({ type: 'File', name: 'x' });
  });
});

describe('whole messages', () => {
  it('puts Source first with the id and the time in seconds', () => {
    expect(messageToChain(message({ content: 'hi' }))).toEqual([{ type: 'Source', id: '900000000000000001', time: Date.parse('2025-01-02T03:04:05.000Z') / 1000 }, { type: 'Plain', text: 'hi' }]);
  });

  it('turns a reply into a Quote holding what the quoted message said', () => {
    const chain = messageToChain(message({ type: 19, content: 'yes', message_reference: { message_id: '800', channel_id: '5', guild_id: '6' }, referenced_message: message({ id: '800', content: 'really?', author: { id: BOT, username: 'langbot' } }) }));
    expect(chain.slice(1)).toEqual([
      { type: 'Quote', id: '800', group_id: '6', sender_id: BOT, origin: [{ type: 'Plain', text: 'really?' }] },
      { type: 'Plain', text: 'yes' },
    ]);
  });

  it('keeps a reply to a deleted message as a Quote with an empty origin', () => {
    expect(messageToChain(message({ content: 'ok', message_reference: { message_id: '800' }, referenced_message: null }))[1]).toEqual({ type: 'Quote', id: '800', origin: [] });
  });

  it('turns a forwarded message into a Forward of its snapshot', () => {
    const chain = messageToChain(message({ message_reference: { type: 1, message_id: '700' }, message_snapshots: [{ message: { content: 'original text', attachments: [] } }] }));
    expect(chain[1]).toEqual({ type: 'Forward', display: { title: 'Forwarded message' }, node_list: [{ message_chain: [{ type: 'Plain', text: 'original text' }] }] });
  });

  it('keeps stickers as Face, embeds and buttons as Platform parts, and polls as Unknown', () => {
    const embed = { title: 'Link', url: 'https://example.com' };
    const components = [{ type: 1, components: [{ type: 2, label: 'Go', style: 1, custom_id: 'go' }] }];
    const chain = messageToChain(message({ sticker_items: [{ id: '1', name: 'wave', format_type: 1 }], embeds: [embed], components, poll: { question: { text: 'Lunch?' } } }));
    expect(chain.slice(1)).toEqual([
      { type: 'Face', face_type: 'face', face_name: 'wave' },
      { type: 'Platform', platform: 'discord', component_type: 'embed', data: embed },
      { type: 'Platform', platform: 'discord', component_type: 'components', data: { components } },
      { type: 'Unknown', text: '[Poll] Lunch?', raw: { question: { text: 'Lunch?' } } },
    ]);
  });

  it('produces chains that a message.received event accepts', () => {
    const chain = messageToChain(message({ content: `<@${BOT}> hi @everyone <:e:123>`, mention_everyone: true, attachments: [{ id: '1', filename: 'a.png', size: 1, url: 'u', content_type: 'image/png' }] }));
    const event = { type: 'message.received', timestamp: 1, bot_uuid: 'b', adapter_name: 'discord', message_id: '1', message_chain: chain, sender: toUser(ALICE), chat_type: 'private', chat_id: ALICE.id };
    expect(parseEvent(event).ok).toBe(true);
  });
});

describe('users and servers', () => {
  it('names a user by server nickname, then display name, then username', () => {
    expect(toUser(ALICE, { nick: 'Al' })).toEqual({ id: ALICE.id, nickname: 'Al', username: 'alice', avatar_url: `https://cdn.discordapp.com/avatars/${ALICE.id}/abc.png`, is_bot: false });
    expect(toUser({ id: '1', username: 'plain', bot: true })).toEqual({ id: '1', nickname: 'plain', username: 'plain', is_bot: true });
  });

  it('maps a guild to a group with its counts and owner', () => {
    expect(toGroup({ id: '6', name: 'G', description: 'd', icon: 'ic', owner_id: '2', approximate_member_count: 12 })).toEqual({ id: '6', name: 'G', description: 'd', member_count: 12, avatar_url: 'https://cdn.discordapp.com/icons/6/ic.png', owner_id: '2' });
  });
});
