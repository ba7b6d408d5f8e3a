/** Platform entities shared by unified events and the platform API. */
import { Type, type Static } from '@sinclair/typebox';
import { IdSchema } from './message-chain.js';

const Opt = Type.Optional;

export const ChatTypeSchema = Type.Union([Type.Literal('private'), Type.Literal('group')]);
export type ChatType = Static<typeof ChatTypeSchema>;

export const MemberRoleSchema = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member')]);
export type MemberRole = Static<typeof MemberRoleSchema>;

/** One person (or bot) on a platform, whether met as a friend or as a group member. */
export const UserSchema = Type.Object({
  id: IdSchema,
  nickname: Opt(Type.String()),
  avatar_url: Opt(Type.String()),
  is_bot: Opt(Type.Boolean()),
  /** The platform handle, e.g. Telegram's @username. */
  username: Opt(Type.String()),
  remark: Opt(Type.String()),
});
export type User = Static<typeof UserSchema>;

export const GroupSchema = Type.Object({
  id: IdSchema,
  name: Opt(Type.String()),
  description: Opt(Type.String()),
  member_count: Opt(Type.Integer({ minimum: 0 })),
  avatar_url: Opt(Type.String()),
  owner_id: Opt(IdSchema),
});
export type Group = Static<typeof GroupSchema>;

export const GroupMemberSchema = Type.Object({
  user: UserSchema,
  group_id: IdSchema,
  role: MemberRoleSchema,
  /** The member's name inside this group. */
  display_name: Opt(Type.String()),
  /** Unix seconds. */
  joined_at: Opt(Type.Number()),
  /** Group title / special badge. */
  title: Opt(Type.String()),
});
export type GroupMember = Static<typeof GroupMemberSchema>;
