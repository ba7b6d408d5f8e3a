/**
 * Unified events (`{namespace}.{action}`): what every adapter turns platform callbacks into.
 * Anything an adapter cannot map becomes `platform.specific`, addressed as `platform.{adapter}.{action}`.
 */
import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { ChatTypeSchema, GroupSchema, UserSchema } from './entities.js';
import { IdSchema, MessageChainSchema } from './message-chain.js';

const Opt = Type.Optional;

function common<T extends string>(type: T) {
  return {
    type: Type.Literal(type),
    /** Unix seconds (fractions allowed). */
    timestamp: Type.Number(),
    bot_uuid: Type.String({ minLength: 1 }),
    adapter_name: Type.String({ minLength: 1 }),
    /** The native platform object, for the adapter's own use (replying, debugging); never relied on by others. */
    source_platform_object: Opt(Type.Unknown()),
  };
}

/** Where a message event happened; `group` is present only for group chats. */
const chat = {
  chat_type: ChatTypeSchema,
  /** The peer's user id in private chats, the group id in group chats. */
  chat_id: IdSchema,
  group: Opt(GroupSchema),
};

const event = <T extends string, P extends TProperties>(type: T, fields: P) =>
  Type.Object({ ...common(type), ...fields });

export const EventSchemas = {
  'message.received': event('message.received', {
    message_id: IdSchema,
    message_chain: MessageChainSchema,
    sender: UserSchema,
    ...chat,
  }),
  'message.edited': event('message.edited', {
    message_id: IdSchema,
    new_content: MessageChainSchema,
    editor: UserSchema,
    ...chat,
  }),
  'message.deleted': event('message.deleted', { message_id: IdSchema, operator: Opt(UserSchema), ...chat }),
  'message.reaction': event('message.reaction', {
    message_id: IdSchema,
    user: UserSchema,
    /** An emoji or a platform reaction id. */
    reaction: Type.String(),
    /** false when the reaction was removed. */
    is_add: Type.Boolean(),
    ...chat,
  }),
  'feedback.received': event('feedback.received', {
    /** Idempotency key: later events with the same id update the earlier feedback. */
    feedback_id: Type.String(),
    /** 1 like, 2 dislike, 3 feedback withdrawn. */
    feedback_type: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)]),
    feedback_content: Opt(Type.String()),
    inaccurate_reasons: Opt(Type.Array(Type.String())),
    user_id: Opt(Type.String()),
    session_id: Opt(Type.String()),
    message_id: Opt(Type.String()),
    stream_id: Opt(Type.String()),
  }),
  'group.member_joined': event('group.member_joined', {
    group: GroupSchema,
    member: UserSchema,
    inviter: Opt(UserSchema),
    /** 'invite' | 'request' | 'direct' where the platform says. */
    join_type: Opt(Type.String()),
  }),
  'group.member_left': event('group.member_left', {
    group: GroupSchema,
    member: UserSchema,
    is_kicked: Opt(Type.Boolean()),
    operator: Opt(UserSchema),
  }),
  'group.member_banned': event('group.member_banned', {
    group: GroupSchema,
    member: UserSchema,
    operator: Opt(UserSchema),
    /** Seconds; absent means permanent. */
    duration: Opt(Type.Integer({ minimum: 0 })),
  }),
  'group.member_unbanned': event('group.member_unbanned', { group: GroupSchema, member: UserSchema, operator: Opt(UserSchema) }),
  'group.info_updated': event('group.info_updated', {
    /** The group after the change. */
    group: GroupSchema,
    operator: Opt(UserSchema),
    changed_fields: Opt(Type.Array(Type.String())),
  }),
  'friend.request_received': event('friend.request_received', {
    /** Pass to `approve_friend_request`. */
    request_id: IdSchema,
    user: UserSchema,
    message: Opt(Type.String()),
  }),
  'friend.added': event('friend.added', { user: UserSchema }),
  'friend.removed': event('friend.removed', { user: UserSchema }),
  'bot.invited_to_group': event('bot.invited_to_group', {
    group: GroupSchema,
    inviter: Opt(UserSchema),
    /** Present when the platform wants the bot to confirm via `approve_group_invite`. */
    request_id: Opt(IdSchema),
  }),
  'bot.removed_from_group': event('bot.removed_from_group', { group: GroupSchema, operator: Opt(UserSchema) }),
  'bot.muted': event('bot.muted', { group: GroupSchema, operator: Opt(UserSchema), duration: Opt(Type.Integer({ minimum: 0 })) }),
  'bot.unmuted': event('bot.unmuted', { group: GroupSchema, operator: Opt(UserSchema) }),
  'platform.specific': event('platform.specific', {
    /** The adapter's own action name, e.g. 'chat_member_updated'. */
    action: Type.String({ minLength: 1 }),
    data: Opt(Type.Record(Type.String(), Type.Unknown())),
  }),
};

export type EventType = keyof typeof EventSchemas;
export const EVENT_TYPES = Object.keys(EventSchemas) as EventType[];

export const UnifiedEventSchema = Type.Union(Object.values(EventSchemas));
export type EventOf<T extends EventType> = Static<(typeof EventSchemas)[T]>;
export type UnifiedEvent = { [T in EventType]: EventOf<T> }[EventType];

export type MessageReceivedEvent = EventOf<'message.received'>;
export type MessageEditedEvent = EventOf<'message.edited'>;
export type MessageDeletedEvent = EventOf<'message.deleted'>;
export type MessageReactionEvent = EventOf<'message.reaction'>;
export type FeedbackReceivedEvent = EventOf<'feedback.received'>;
export type MemberJoinedEvent = EventOf<'group.member_joined'>;
export type MemberLeftEvent = EventOf<'group.member_left'>;
export type MemberBannedEvent = EventOf<'group.member_banned'>;
export type MemberUnbannedEvent = EventOf<'group.member_unbanned'>;
export type GroupInfoUpdatedEvent = EventOf<'group.info_updated'>;
export type FriendRequestReceivedEvent = EventOf<'friend.request_received'>;
export type FriendAddedEvent = EventOf<'friend.added'>;
export type FriendRemovedEvent = EventOf<'friend.removed'>;
export type BotInvitedToGroupEvent = EventOf<'bot.invited_to_group'>;
export type BotRemovedFromGroupEvent = EventOf<'bot.removed_from_group'>;
export type BotMutedEvent = EventOf<'bot.muted'>;
export type BotUnmutedEvent = EventOf<'bot.unmuted'>;
export type PlatformSpecificEvent = EventOf<'platform.specific'>;

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(EventSchemas, value);
}
