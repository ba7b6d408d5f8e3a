/**
 * What the fake Discord knows: users, guilds with channels/roles/members, DM channels and messages, kept as the
 * JSON objects the real API returns (snake_case, snowflakes as strings).
 */

type Json = Record<string, any>;

const DISCORD_EPOCH = 1420070400000n;
let counter = 0n;

/** A fresh snowflake: milliseconds since the Discord epoch in the high bits, like real ids (so they exceed 2^53). */
export function snowflake(): string {
  counter = (counter + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | counter).toString();
}

export interface StoredMessage extends Json {
  id: string;
  channel_id: string;
  content: string;
  author: Json;
}

export interface StoredAttachment {
  id: string;
  filename: string;
  content_type: string;
  data: Buffer;
}

export const user = (name: string, bot = false): Json => ({
  id: snowflake(),
  username: name,
  global_name: name[0].toUpperCase() + name.slice(1),
  discriminator: '0',
  avatar: bot ? null : 'a1b2c3d4e5f6',
  bot,
});

export class DiscordState {
  readonly bot = user('langbot', true);
  readonly application = { id: snowflake(), flags: 0 };
  readonly alice = user('alice');
  readonly bob = user('bob');
  readonly guild: Json;
  readonly channel: Json;
  readonly otherGuild: Json;
  readonly users = new Map<string, Json>();
  readonly guilds = new Map<string, Json>();
  readonly channels = new Map<string, Json>();
  readonly messages = new Map<string, StoredMessage>();
  readonly attachments = new Map<string, StoredAttachment>();
  /** Message ids the bot sent, oldest first. */
  readonly botMessageIds: string[] = [];
  edits = 0;

  constructor() {
    for (const u of [this.bot, this.alice, this.bob]) this.users.set(u.id, u);
    this.guild = this.makeGuild('Test Guild', [this.bot, this.alice, this.bob], this.alice.id, this.bob.id);
    this.channel = this.guild.channels[0];
    // A guild the bot is not in yet: GUILD_CREATE for it means the bot was invited.
    this.otherGuild = this.makeGuild('New Guild', [this.bot, this.bob], this.bob.id, undefined, false);
  }

  makeGuild(name: string, members: Json[], ownerId: string, adminId?: string, join = true): Json {
    const id = snowflake();
    const admin = { id: snowflake(), name: 'Admin', permissions: '8', position: 1, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 };
    const everyone = { id, name: '@everyone', permissions: '1024', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 };
    const channel = { id: snowflake(), type: 0, guild_id: id, name: 'general', position: 0, permission_overwrites: [], topic: null, nsfw: false, parent_id: null };
    const guild: Json = {
      id,
      name,
      icon: 'feedface',
      description: `${name} description`,
      owner_id: ownerId,
      roles: [everyone, admin],
      channels: [channel],
      members: members.map((u) => this.member(u, u.id === adminId ? [admin.id] : [])),
      member_count: members.length,
      emojis: [],
      stickers: [],
      features: [],
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      large: false,
      unavailable: false,
      joined_at: new Date().toISOString(),
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      premium_tier: 0,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      system_channel_id: channel.id,
    };
    if (join) this.addGuild(guild);
    return guild;
  }

  addGuild(guild: Json): void {
    this.guilds.set(guild.id, guild);
    for (const c of guild.channels) this.channels.set(c.id, c);
  }

  member(u: Json, roles: string[] = []): Json {
    return { user: u, nick: null, roles, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, communication_disabled_until: null };
  }

  dmChannel(recipientId: string): Json {
    const found = [...this.channels.values()].find((c) => c.type === 1 && c.recipients?.[0]?.id === recipientId);
    if (found) return found;
    const channel = { id: snowflake(), type: 1, recipients: [this.users.get(recipientId) ?? { id: recipientId, username: 'unknown', discriminator: '0' }], last_message_id: null };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** A message as the gateway and REST show it. */
  message(channelId: string, author: Json, content: string, extra: Json = {}): StoredMessage {
    const channel = this.channels.get(channelId);
    const guildId = channel?.guild_id;
    const msg: StoredMessage = {
      id: snowflake(),
      type: 0,
      channel_id: channelId,
      author,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      flags: 0,
      ...(guildId ? { guild_id: guildId, member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, nick: null } } : {}),
      ...extra,
    };
    this.messages.set(msg.id, msg);
    return msg;
  }

  guildMember(guildId: string, userId: string): Json | undefined {
    return this.guilds.get(guildId)?.members.find((m: Json) => m.user.id === userId);
  }
}
