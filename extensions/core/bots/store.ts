/**
 * Bots in the application database. The core `bots` table has no column for event-handler rules, so they live in
 * this extension's own table `bot_event_handlers` (one JSON row per bot, migrated in the `langbot.bots` namespace).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { RpcError, RpcErrorCode, migrateLegacyPipeline, runMigrations, type Database, type EventHandlerRule, type Migration } from '@langbot-ts/sdk';

interface BotEventHandlersTable {
  bot_uuid: string;
  rules: string;
  updated_at: string;
}
export type BotsDatabase = Database & { bot_event_handlers: BotEventHandlersTable };

export const BOTS_NAMESPACE = 'langbot.bots';
const MIGRATIONS: Migration[] = [
  {
    name: '0001_bot_event_handlers',
    async up(db) {
      await db.schema
        .createTable('bot_event_handlers')
        .addColumn('bot_uuid', 'text', (c) => c.primaryKey())
        .addColumn('rules', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
];

/** A bot as the services show it. */
export interface Bot {
  uuid: string;
  name: string;
  description: string;
  adapter: string;
  adapter_config: Record<string, unknown>;
  enable: boolean;
  use_pipeline_uuid: string | null;
  /** The rules in effect, a legacy `use_pipeline_uuid` migrated into rules. */
  event_handlers: EventHandlerRule[];
  created_at: string;
  updated_at: string;
}

/** A bot plus what routing needs: the rules as stored, so a legacy bot routes `via: 'legacy'`. */
export interface StoredBot extends Bot {
  stored_rules: EventHandlerRule[];
}

export interface BotFields {
  name?: string;
  description?: string;
  adapter?: string;
  adapter_config?: Record<string, unknown>;
  enable?: boolean;
  event_handlers?: EventHandlerRule[];
}

const parseJson = <T>(text: string | null | undefined, fallback: T): T => {
  try {
    return text ? (JSON.parse(text) as T) : fallback;
  } catch {
    return fallback;
  }
};

export class BotStore {
  /** Bots by uuid as last read; every write through this store drops the entry, so routing skips a query per event. */
  private readonly cache = new Map<string, StoredBot>();

  constructor(private readonly db: Kysely<BotsDatabase>) {}

  async migrate(): Promise<void> {
    await runMigrations(this.db, MIGRATIONS, BOTS_NAMESPACE);
  }

  async list(): Promise<StoredBot[]> {
    const rows = await this.query().orderBy('bots.created_at').orderBy('bots.uuid').execute();
    return rows.map(toBot);
  }

  async find(uuid: string): Promise<StoredBot | undefined> {
    const cached = this.cache.get(uuid);
    if (cached) return cached;
    const row = await this.query().where('bots.uuid', '=', uuid).executeTakeFirst();
    const bot = row && toBot(row);
    if (bot) this.cache.set(uuid, bot);
    return bot;
  }

  async get(uuid: string): Promise<StoredBot> {
    const bot = await this.find(uuid);
    if (!bot) throw new RpcError(RpcErrorCode.NotFound, `No bot '${uuid}'.`);
    return bot;
  }

  async create(fields: BotFields & { name: string; adapter: string }): Promise<StoredBot> {
    const uuid = randomUUID();
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('bots')
        .values({
          uuid,
          workspace_uuid: null,
          name: fields.name,
          description: fields.description ?? '',
          adapter: fields.adapter,
          adapter_config: JSON.stringify(fields.adapter_config ?? {}),
          enable: fields.enable === false ? 0 : 1,
          use_pipeline_name: null,
          use_pipeline_uuid: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await tx.insertInto('bot_event_handlers').values({ bot_uuid: uuid, rules: JSON.stringify(fields.event_handlers ?? []), updated_at: now }).execute();
    });
    return this.get(uuid);
  }

  async update(uuid: string, fields: BotFields): Promise<StoredBot> {
    await this.get(uuid);
    this.cache.delete(uuid);
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      const set: Record<string, unknown> = { updated_at: now };
      if (fields.name !== undefined) set.name = fields.name;
      if (fields.description !== undefined) set.description = fields.description;
      if (fields.adapter !== undefined) set.adapter = fields.adapter;
      if (fields.adapter_config !== undefined) set.adapter_config = JSON.stringify(fields.adapter_config);
      if (fields.enable !== undefined) set.enable = fields.enable ? 1 : 0;
      await tx.updateTable('bots').set(set).where('uuid', '=', uuid).execute();
      if (fields.event_handlers !== undefined) {
        const rules = JSON.stringify(fields.event_handlers);
        await tx.deleteFrom('bot_event_handlers').where('bot_uuid', '=', uuid).execute();
        await tx.insertInto('bot_event_handlers').values({ bot_uuid: uuid, rules, updated_at: now }).execute();
      }
    });
    this.cache.delete(uuid);
    return this.get(uuid);
  }

  async delete(uuid: string): Promise<void> {
    await this.get(uuid);
    this.cache.delete(uuid);
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('bot_event_handlers').where('bot_uuid', '=', uuid).execute();
      await tx.deleteFrom('bots').where('uuid', '=', uuid).execute();
    });
  }

  private query() {
    return this.db
      .selectFrom('bots')
      .leftJoin('bot_event_handlers', 'bot_event_handlers.bot_uuid', 'bots.uuid')
      .select([
        'bots.uuid',
        'bots.name',
        'bots.description',
        'bots.adapter',
        'bots.adapter_config',
        'bots.enable',
        'bots.use_pipeline_uuid',
        'bots.created_at',
        'bots.updated_at',
        'bot_event_handlers.rules',
      ]);
  }
}

function toBot(row: {
  uuid: string;
  name: string;
  description: string;
  adapter: string;
  adapter_config: string;
  enable: number;
  use_pipeline_uuid: string | null;
  created_at: string;
  updated_at: string;
  rules: string | null;
}): StoredBot {
  const stored_rules = parseJson<EventHandlerRule[]>(row.rules, []);
  return {
    uuid: row.uuid,
    name: row.name,
    description: row.description,
    adapter: row.adapter,
    adapter_config: parseJson<Record<string, unknown>>(row.adapter_config, {}),
    enable: Number(row.enable) === 1,
    use_pipeline_uuid: row.use_pipeline_uuid,
    event_handlers: migrateLegacyPipeline({ event_handlers: stored_rules, use_pipeline_uuid: row.use_pipeline_uuid }),
    created_at: row.created_at,
    updated_at: row.updated_at,
    stored_rules,
  };
}

/** What the services return: the routing copy of the rules stays inside. */
export function publicBot(bot: StoredBot): Bot {
  const { stored_rules: _stored, ...rest } = bot;
  return rest;
}
