import type { CreateTableBuilder, Kysely } from 'kysely';

/**
 * One schema step. `up` must use only Kysely's portable schema builder (createTable / addColumn / createIndex with
 * `text`, `integer`, `bigint`, `double precision`), so the same list runs on SQLite and PostgreSQL.
 */
export interface Migration {
  readonly name: string;
  up(db: Kysely<any>): Promise<void>;
}

export const MIGRATIONS_TABLE = 'langbot_migrations';
/** The namespace of the core migrations; an extension with its own tables uses its id. */
export const CORE_NAMESPACE = 'core';

type Table = CreateTableBuilder<any, any>;
const text = (t: Table, name: string) => t.addColumn(name, 'text');
const required = (t: Table, name: string) => t.addColumn(name, 'text', (c) => c.notNull());
const textDefault = (t: Table, name: string, value: string) => t.addColumn(name, 'text', (c) => c.notNull().defaultTo(value));
const intDefault = (t: Table, name: string, value: number) => t.addColumn(name, 'integer', (c) => c.notNull().defaultTo(value));
const stamps = (t: Table) => required(required(t, 'created_at'), 'updated_at');
/** bot/pipeline/session columns every monitoring table carries. */
const origin = (t: Table) => ['bot_id', 'bot_name', 'pipeline_id', 'pipeline_name', 'session_id'].reduce(text, t);
const monitoring = (db: Kysely<any>, name: string) =>
  db.schema.createTable(name).addColumn('id', 'text', (c) => c.primaryKey()).$call((t) => required(text(t, 'workspace_uuid'), 'timestamp'));
const indexOn = (db: Kysely<any>, table: string, ...columns: string[]) =>
  db.schema.createIndex(`${table}_${columns.join('_')}_idx`).on(table).columns(columns).execute();

/** The core tables, in order. Never edit a released migration: append a new one. */
export const CORE_MIGRATIONS: readonly Migration[] = [
  {
    name: '0001_core_tables',
    async up(db) {
      await db.schema
        .createTable('bots')
        .addColumn('uuid', 'text', (c) => c.primaryKey())
        .$call((t) => text(t, 'workspace_uuid'))
        .$call((t) => required(t, 'name'))
        .$call((t) => textDefault(t, 'description', ''))
        .$call((t) => required(t, 'adapter'))
        .$call((t) => textDefault(t, 'adapter_config', '{}'))
        .$call((t) => intDefault(t, 'enable', 0))
        .$call((t) => text(text(t, 'use_pipeline_name'), 'use_pipeline_uuid'))
        .$call((t) => textDefault(t, 'pipeline_routing_rules', '[]'))
        .$call(stamps)
        .execute();

      await db.schema
        .createTable('pipelines')
        .addColumn('uuid', 'text', (c) => c.primaryKey())
        .$call((t) => text(t, 'workspace_uuid'))
        .$call((t) => required(t, 'name'))
        .$call((t) => textDefault(t, 'description', ''))
        .$call((t) => textDefault(t, 'emoji', '⚙️'))
        .$call((t) => text(t, 'for_version'))
        .$call((t) => intDefault(t, 'is_default', 0))
        .$call((t) => textDefault(t, 'stages', '[]'))
        .$call((t) => textDefault(t, 'config', '{}'))
        .$call((t) =>
          textDefault(
            t,
            'extensions_preferences',
            JSON.stringify({ enable_all_plugins: true, enable_all_mcp_servers: true, plugins: [], mcp_servers: [], mcp_resources: [], mcp_resource_agent_read_enabled: true }),
          ),
        )
        .$call(stamps)
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('session_id', 'text', (c) => c.primaryKey())
        .$call((t) => ['workspace_uuid', 'bot_id', 'bot_name', 'pipeline_id', 'pipeline_name'].reduce(text, t))
        .$call((t) => intDefault(t, 'message_count', 0))
        .$call((t) => required(required(t, 'start_time'), 'last_activity'))
        .$call((t) => intDefault(t, 'is_active', 1))
        .$call((t) => ['platform', 'user_id', 'user_name'].reduce(text, t))
        .execute();
      await indexOn(db, 'sessions', 'last_activity');

      await db.schema
        .createTable('conversations')
        .addColumn('uuid', 'text', (c) => c.primaryKey())
        .$call((t) => text(t, 'workspace_uuid'))
        .$call((t) => required(t, 'session_id'))
        .$call((t) => ['bot_uuid', 'pipeline_uuid', 'title'].reduce(text, t))
        .$call((t) => textDefault(t, 'messages', '[]'))
        .$call(stamps)
        .execute();
      await indexOn(db, 'conversations', 'session_id');

      await db.schema
        .createTable('webhooks')
        .addColumn('uuid', 'text', (c) => c.primaryKey())
        .$call((t) => text(t, 'workspace_uuid'))
        .$call((t) => required(required(t, 'name'), 'url'))
        .$call((t) => textDefault(t, 'description', ''))
        .$call((t) => intDefault(t, 'enabled', 1))
        .$call(stamps)
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('uuid', 'text', (c) => c.primaryKey())
        .$call((t) => text(text(t, 'workspace_uuid'), 'created_by_account_uuid'))
        .$call((t) => required(t, 'name'))
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .$call((t) => textDefault(t, 'scopes', '[]'))
        .$call((t) => textDefault(t, 'status', 'active'))
        .$call((t) => text(text(t, 'expires_at'), 'last_used_at'))
        .$call((t) => textDefault(t, 'description', ''))
        .$call(stamps)
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('uuid', 'text', (c) => c.primaryKey())
        .$call((t) => required(t, 'user'))
        .addColumn('normalized_email', 'text', (c) => c.notNull().unique())
        .$call((t) => required(t, 'password'))
        .$call((t) => textDefault(t, 'status', 'active'))
        .$call((t) => textDefault(t, 'source', 'local'))
        .$call((t) => intDefault(t, 'projection_revision', 0))
        .$call((t) => textDefault(t, 'account_type', 'local'))
        .$call((t) => ['space_account_uuid', 'space_access_token', 'space_refresh_token', 'space_access_token_expires_at', 'space_api_key'].reduce(text, t))
        .$call(stamps)
        .execute();
    },
  },
  {
    name: '0002_monitoring_tables',
    async up(db) {
      await monitoring(db, 'monitoring_messages')
        .$call(origin)
        .$call((t) => required(t, 'message_content'))
        .$call((t) => textDefault(t, 'status', 'pending'))
        .$call((t) => ['level', 'platform', 'user_id', 'user_name', 'runner_name', 'variables', 'role'].reduce(text, t))
        .execute();

      await monitoring(db, 'monitoring_llm_calls')
        .$call(origin)
        .$call((t) => required(t, 'model_name'))
        .$call((t) => ['input_tokens', 'output_tokens', 'total_tokens', 'duration'].reduce((acc, c) => intDefault(acc, c, 0), t))
        .addColumn('cost', 'double precision')
        .$call((t) => required(t, 'status'))
        .$call((t) => text(text(t, 'error_message'), 'message_id'))
        .execute();

      await monitoring(db, 'monitoring_tool_calls')
        .$call(origin)
        .$call((t) => required(t, 'tool_name'))
        .$call((t) => text(t, 'tool_source'))
        .$call((t) => intDefault(t, 'duration', 0))
        .$call((t) => required(t, 'status'))
        .$call((t) => ['message_id', 'arguments', 'result', 'error_message'].reduce(text, t))
        .execute();

      await monitoring(db, 'monitoring_errors')
        .$call(origin)
        .$call((t) => required(required(t, 'error_type'), 'error_message'))
        .$call((t) => text(text(t, 'stack_trace'), 'message_id'))
        .execute();

      for (const table of ['monitoring_messages', 'monitoring_llm_calls', 'monitoring_tool_calls', 'monitoring_errors']) {
        await indexOn(db, table, 'timestamp');
        await indexOn(db, table, 'bot_id', 'timestamp');
      }
    },
  },
];

/**
 * Applies the migrations of `namespace` that `langbot_migrations` does not list yet, in order, each in its own
 * transaction together with the row recording it. Idempotent; returns the names it applied.
 */
export async function runMigrations(db: Kysely<any>, migrations: readonly Migration[], namespace: string): Promise<string[]> {
  const names = migrations.map((m) => m.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new Error(`Migration '${duplicate}' of '${namespace}' is listed twice.`);

  await db.schema
    .createTable(MIGRATIONS_TABLE)
    .ifNotExists()
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${MIGRATIONS_TABLE}_pkey`, ['namespace', 'name'])
    .execute();

  const appliedBefore = async (q: Kysely<any>) =>
    new Set((await q.selectFrom(MIGRATIONS_TABLE).select('name').where('namespace', '=', namespace).execute()).map((r) => r.name as string));
  const done = await appliedBefore(db);
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.name)) continue;
    const ran = await db.transaction().execute(async (trx) => {
      // Someone else may have applied it since we looked.
      if ((await appliedBefore(trx)).has(migration.name)) return false;
      await migration.up(trx);
      await trx.insertInto(MIGRATIONS_TABLE).values({ namespace, name: migration.name, applied_at: new Date().toISOString() }).execute();
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return applied;
}
