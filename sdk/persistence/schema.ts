import type { ColumnType, Generated } from 'kysely';

/**
 * The core tables of LangBot TS, named after upstream LangBot's (`pkg/entity/persistence`), so data can be imported.
 *
 * Conventions (identical on SQLite and PostgreSQL, so one set of migrations serves both):
 * - primary keys are text UUIDs (`uuid`, or `id` for the monitoring tables; upstream's integer ids of `users`,
 *   `api_keys` and `webhooks` are replaced by their `uuid`);
 * - timestamps are ISO-8601 UTC text (`new Date().toISOString()`, e.g. `2025-01-31T12:00:00.000Z`): they sort
 *   correctly as text and read the same on both engines; the application sets them (no database default);
 * - JSON columns are text holding `JSON.stringify(value)`;
 * - booleans are integers 0/1;
 * - `workspace_uuid` is kept (nullable) for upstream compatibility; a single-workspace deployment leaves it null.
 */

/** ISO-8601 UTC text. */
export type Timestamp = string;
/** Text holding JSON. */
export type JsonText = string;
/** 0 or 1. */
export type BoolInt = number;

/** A column the database fills in when the insert leaves it out. */
type WithDefault<T> = ColumnType<T, T | undefined, T>;

export interface BotsTable {
  uuid: string;
  workspace_uuid: string | null;
  name: string;
  description: Generated<string>;
  adapter: string;
  adapter_config: WithDefault<JsonText>;
  enable: WithDefault<BoolInt>;
  use_pipeline_name: string | null;
  use_pipeline_uuid: string | null;
  pipeline_routing_rules: WithDefault<JsonText>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Upstream `legacy_pipelines`. */
export interface PipelinesTable {
  uuid: string;
  workspace_uuid: string | null;
  name: string;
  description: Generated<string>;
  emoji: WithDefault<string>;
  for_version: string | null;
  is_default: WithDefault<BoolInt>;
  stages: WithDefault<JsonText>;
  config: WithDefault<JsonText>;
  extensions_preferences: WithDefault<JsonText>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Upstream `monitoring_sessions`: one row per conversation session seen by a bot. */
export interface SessionsTable {
  session_id: string;
  workspace_uuid: string | null;
  bot_id: string | null;
  bot_name: string | null;
  pipeline_id: string | null;
  pipeline_name: string | null;
  message_count: WithDefault<number>;
  start_time: Timestamp;
  last_activity: Timestamp;
  is_active: WithDefault<BoolInt>;
  platform: string | null;
  user_id: string | null;
  user_name: string | null;
}

/** Not a table upstream (it keeps conversations in memory): a session's message history, persisted. */
export interface ConversationsTable {
  uuid: string;
  workspace_uuid: string | null;
  session_id: string;
  bot_uuid: string | null;
  pipeline_uuid: string | null;
  title: string | null;
  /** JSON array of messages. */
  messages: WithDefault<JsonText>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

interface MonitoringOrigin {
  bot_id: string | null;
  bot_name: string | null;
  pipeline_id: string | null;
  pipeline_name: string | null;
  session_id: string | null;
}

export interface MonitoringMessagesTable extends MonitoringOrigin {
  id: string;
  workspace_uuid: string | null;
  timestamp: Timestamp;
  message_content: string;
  /** `success` | `error` | `pending` | `discarded` */
  status: string;
  level: string | null;
  platform: string | null;
  user_id: string | null;
  user_name: string | null;
  runner_name: string | null;
  variables: JsonText | null;
  /** `user` | `assistant` */
  role: string | null;
}

export interface MonitoringLlmCallsTable extends MonitoringOrigin {
  id: string;
  workspace_uuid: string | null;
  timestamp: Timestamp;
  model_name: string;
  input_tokens: WithDefault<number>;
  output_tokens: WithDefault<number>;
  total_tokens: WithDefault<number>;
  /** Milliseconds. */
  duration: WithDefault<number>;
  cost: number | null;
  status: string;
  error_message: string | null;
  message_id: string | null;
}

export interface MonitoringToolCallsTable extends MonitoringOrigin {
  id: string;
  workspace_uuid: string | null;
  timestamp: Timestamp;
  tool_name: string;
  /** `native` | `plugin` | `mcp` | `skill` */
  tool_source: string | null;
  /** Milliseconds. */
  duration: WithDefault<number>;
  status: string;
  message_id: string | null;
  arguments: string | null;
  result: string | null;
  error_message: string | null;
}

export interface MonitoringErrorsTable extends MonitoringOrigin {
  id: string;
  workspace_uuid: string | null;
  timestamp: Timestamp;
  error_type: string;
  error_message: string;
  stack_trace: string | null;
  message_id: string | null;
}

export interface WebhooksTable {
  uuid: string;
  workspace_uuid: string | null;
  name: string;
  url: string;
  description: Generated<string>;
  enabled: WithDefault<BoolInt>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ApiKeysTable {
  uuid: string;
  workspace_uuid: string | null;
  created_by_account_uuid: string | null;
  name: string;
  key_hash: string;
  scopes: WithDefault<JsonText>;
  /** `active` | `revoked` */
  status: WithDefault<string>;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  description: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UsersTable {
  uuid: string;
  /** The e-mail address as entered. */
  user: string;
  normalized_email: string;
  /** argon2 hash. */
  password: string;
  /** `active` | `disabled` | `deleted` */
  status: WithDefault<string>;
  /** `local` | `cloud_projection` */
  source: WithDefault<string>;
  projection_revision: WithDefault<number>;
  account_type: WithDefault<string>;
  space_account_uuid: string | null;
  space_access_token: string | null;
  space_refresh_token: string | null;
  space_access_token_expires_at: Timestamp | null;
  space_api_key: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MigrationsTable {
  namespace: string;
  name: string;
  applied_at: Timestamp;
}

/** Every core table, for `Kysely<Database>`. */
export interface Database {
  bots: BotsTable;
  pipelines: PipelinesTable;
  sessions: SessionsTable;
  conversations: ConversationsTable;
  monitoring_messages: MonitoringMessagesTable;
  monitoring_llm_calls: MonitoringLlmCallsTable;
  monitoring_tool_calls: MonitoringToolCallsTable;
  monitoring_errors: MonitoringErrorsTable;
  webhooks: WebhooksTable;
  api_keys: ApiKeysTable;
  users: UsersTable;
  langbot_migrations: MigrationsTable;
}

export const CORE_TABLES = [
  'bots',
  'pipelines',
  'sessions',
  'conversations',
  'monitoring_messages',
  'monitoring_llm_calls',
  'monitoring_tool_calls',
  'monitoring_errors',
  'webhooks',
  'api_keys',
  'users',
] as const satisfies readonly (keyof Database)[];
