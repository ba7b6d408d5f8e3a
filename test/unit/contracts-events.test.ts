import { describe, expect, it } from 'vitest';
import { RpcError } from '../../kernel/api/index.js';
import {
  EVENT_TYPES,
  assertEvent,
  eventTypeName,
  matchesEventPattern,
  parseEvent,
  type UnifiedEvent,
} from '../../sdk/contracts/index.js';

const base = { timestamp: 1_700_000_000.5, bot_uuid: 'bot-1', adapter_name: 'telegram' };
const alice = { id: 1001, nickname: 'Alice' };
const group = { id: -42, name: 'Tea club' };

const valid: UnifiedEvent[] = [
  {
    ...base,
    type: 'message.received',
    message_id: 7,
    message_chain: [{ type: 'Plain', text: 'hi' }],
    sender: alice,
    chat_type: 'group',
    chat_id: -42,
    group,
    source_platform_object: { update_id: 1 },
  },
  { ...base, type: 'message.reaction', message_id: 7, user: alice, reaction: '👍', is_add: true, chat_type: 'private', chat_id: 1001 },
  { ...base, type: 'feedback.received', feedback_id: 'fb1', feedback_type: 2, inaccurate_reasons: ['outdated'] },
  { ...base, type: 'group.member_joined', group, member: alice, join_type: 'invite' },
  { ...base, type: 'group.member_banned', group, member: alice, duration: 600 },
  { ...base, type: 'friend.request_received', request_id: 'r1', user: alice, message: 'hello' },
  { ...base, type: 'bot.muted', group },
  { ...base, type: 'platform.specific', action: 'chat_member_updated', data: { status: 'left' } },
];

describe('unified events', () => {
  it('lists the 18 event types', () => {
    expect(EVENT_TYPES).toHaveLength(18);
    expect(EVENT_TYPES).toContain('group.member_unbanned');
    expect(EVENT_TYPES).toContain('platform.specific');
  });

  it('accepts valid events of several types', () => {
    for (const event of valid) {
      const result = parseEvent(JSON.parse(JSON.stringify(event)));
      expect(result, event.type).toEqual({ ok: true, event: expect.objectContaining({ type: event.type }) });
    }
  });

  it('reports a missing common field with its path', () => {
    const { bot_uuid: _omitted, ...withoutBot } = valid[0] as Extract<UnifiedEvent, { type: 'message.received' }>;
    const result = parseEvent(withoutBot);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain('/bot_uuid');
  });

  it('reports a wrongly typed nested field with its path', () => {
    const result = parseEvent({ ...base, type: 'group.member_left', group, member: { nickname: 'no id' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain('/member/id');
  });

  it('rejects unknown event types and non-objects', () => {
    expect(parseEvent({ ...base, type: 'message.exploded' })).toMatchObject({ ok: false, issues: [{ path: '/type' }] });
    expect(parseEvent('message.received')).toMatchObject({ ok: false, issues: [{ path: '' }] });
  });

  it('decodes message chains tolerantly instead of rejecting the event', () => {
    const result = parseEvent({ ...valid[0], message_chain: [{ type: 'Plain', text: 'a' }, { type: 'Sticker' }] });
    expect(result.ok).toBe(true);
    if (result.ok && result.event.type === 'message.received') {
      expect(result.event.message_chain[1]).toMatchObject({ type: 'Unknown', raw: { type: 'Sticker' } });
    }
  });

  it('assertEvent throws a VALIDATION_FAILED RpcError listing the issues', () => {
    expect(() => assertEvent({ ...base, type: 'friend.added' })).toThrowError(/\/user/);
    let caught: unknown;
    try {
      assertEvent({ type: 'friend.added' });
    } catch (error) {
      caught = error;
    }
    expect(RpcError.is(caught, 'VALIDATION_FAILED')).toBe(true);
    expect((caught as RpcError).details?.issues).toContainEqual(expect.objectContaining({ path: '/bot_uuid' }));
  });
});

describe('event patterns', () => {
  it('matches everything with *', () => {
    for (const type of [...EVENT_TYPES, 'platform.slack.app_home_opened']) expect(matchesEventPattern('*', type)).toBe(true);
  });

  it('matches a namespace with ns.*', () => {
    expect(matchesEventPattern('message.*', 'message.received')).toBe(true);
    expect(matchesEventPattern('message.*', 'message.reaction')).toBe(true);
    expect(matchesEventPattern('message.*', 'group.member_joined')).toBe(false);
    expect(matchesEventPattern('message.*', 'messages.received')).toBe(false);
    expect(matchesEventPattern('platform.telegram.*', 'platform.telegram.pin_message')).toBe(true);
    expect(matchesEventPattern('platform.telegram.*', 'platform.discord.channel_created')).toBe(false);
  });

  it('matches exact names only exactly', () => {
    expect(matchesEventPattern('message.received', 'message.received')).toBe(true);
    expect(matchesEventPattern('message.received', 'message.edited')).toBe(false);
    expect(matchesEventPattern('platform.slack.app_home_opened', 'platform.slack.app_home_opened')).toBe(true);
    expect(matchesEventPattern('platform.slack.app_home_opened', 'platform.slack.other')).toBe(false);
  });

  it('treats typed platform names as platform.specific', () => {
    const event = valid.at(-1)!;
    expect(eventTypeName(event)).toBe('platform.telegram.chat_member_updated');
    expect(eventTypeName(valid[0])).toBe('message.received');
    expect(matchesEventPattern('platform.specific', eventTypeName(event))).toBe(true);
    expect(matchesEventPattern('platform.specific', 'platform.specific')).toBe(true);
    expect(matchesEventPattern('platform.specific', 'message.received')).toBe(false);
  });
});
