/** Guild members → unified GroupMembers: the owner is `owner`, Administrator or Manage Server makes `admin`. */
import type { GroupMember, MemberRole } from '@langbot-ts/sdk';
import { PermissionFlagsBits } from 'discord.js';
import { toUser } from './inbound.js';

type Json = Record<string, any>;

const ADMIN_BITS = PermissionFlagsBits.Administrator | PermissionFlagsBits.ManageGuild;

function permissionsOf(member: Json, guild: Json): bigint {
  const roles: Json[] = guild.roles ?? [];
  const own = new Set<string>((member.roles ?? []).map(String));
  let bits = 0n;
  for (const role of roles) {
    // The @everyone role has the guild's id.
    if (String(role.id) === String(guild.id) || own.has(String(role.id))) {
      try {
        bits |= BigInt(role.permissions ?? 0);
      } catch {
        // A role with unreadable permissions grants nothing.
      }
    }
  }
  return bits;
}

export function memberRole(member: Json, guild: Json): MemberRole {
  if (String(member.user?.id) === String(guild.owner_id)) return 'owner';
  return (permissionsOf(member, guild) & ADMIN_BITS) !== 0n ? 'admin' : 'member';
}

export function toGroupMember(member: Json, guild: Json): GroupMember {
  const joined = Date.parse(String(member.joined_at ?? ''));
  const user = toUser(member.user ?? {}, member);
  return {
    user,
    group_id: String(guild.id),
    role: memberRole(member, guild),
    ...(member.nick || user.nickname ? { display_name: String(member.nick || user.nickname) } : {}),
    ...(Number.isNaN(joined) ? {} : { joined_at: joined / 1000 }),
  };
}
