/**
 * Outbound webhooks in the core `webhooks` table (upstream's: name, url, description, enabled). This extension adds
 * the columns delivery needs — the signing secret, the event types, the last delivery's outcome — in its own
 * migration namespace, so the core schema stays upstream's and instances sharing a database see one result.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { runMigrations, type Database, type Migration } from '@langbot-ts/sdk';

interface DeliveryColumns {
  secret: string;
  /** JSON array of event types or patterns (`*`, `message.*`, `message.received`). */
  events: string;
  last_delivery_at: string | null;
  /** `delivered` | `failed` */
  last_delivery_status: string | null;
  last_delivery_event: string | null;
  last_response_status: number | null;
  last_error: string | null;
  last_attempts: number | null;
}
type WebhookRow = Database['webhooks'] & DeliveryColumns;
export type WebhooksDatabase = Omit<Database, 'webhooks'> & { webhooks: WebhookRow };

const MIGRATIONS: Migration[] = [
  {
    name: '0001_webhook_delivery_columns',
    async up(db) {
      const add = (name: string, type: 'text' | 'integer', notNullDefault?: string) =>
        db.schema
          .alterTable('webhooks')
          .addColumn(name, type, (c) => (notNullDefault === undefined ? c : c.notNull().defaultTo(notNullDefault)))
          .execute();
      await add('secret', 'text', '');
      await add('events', 'text', '["*"]');
      await add('last_delivery_at', 'text');
      await add('last_delivery_status', 'text');
      await add('last_delivery_event', 'text');
      await add('last_response_status', 'integer');
      await add('last_error', 'text');
      await add('last_attempts', 'integer');
    },
  },
];

export interface Webhook {
  uuid: string;
  name: string;
  url: string;
  description: string;
  enabled: boolean;
  events: string[];
  secret: string;
  created_at: string;
  updated_at: string;
  last_delivery: { at: string; status: string; event_type: string | null; response_status: number | null; error: string | null; attempts: number | null } | null;
}

export interface WebhookFields {
  name: string;
  url: string;
  description: string;
  enabled: boolean;
  events: string[];
  secret: string;
}

export interface DeliveryOutcome {
  at: string;
  status: 'delivered' | 'failed';
  event_type: string;
  response_status: number | null;
  error: string | null;
  attempts: number;
}

const now = () => new Date().toISOString();

export class WebhookStore {
  constructor(private readonly db: Kysely<WebhooksDatabase>) {}

  async migrate(): Promise<void> {
    await runMigrations(this.db, MIGRATIONS, 'langbot.http/webhooks');
  }

  async list(): Promise<Webhook[]> {
    return (await this.db.selectFrom('webhooks').selectAll().orderBy('created_at').execute()).map(toWebhook);
  }

  async get(uuid: string): Promise<Webhook | undefined> {
    const row = await this.db.selectFrom('webhooks').selectAll().where('uuid', '=', uuid).executeTakeFirst();
    return row ? toWebhook(row) : undefined;
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('webhooks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async create(fields: WebhookFields): Promise<Webhook> {
    const uuid = randomUUID();
    const at = now();
    await this.db
      .insertInto('webhooks')
      .values({ uuid, workspace_uuid: null, ...toColumns(fields), created_at: at, updated_at: at } as never)
      .execute();
    return (await this.get(uuid))!;
  }

  async update(uuid: string, fields: Partial<WebhookFields>): Promise<void> {
    await this.db
      .updateTable('webhooks')
      .set({ ...toColumns(fields), updated_at: now() })
      .where('uuid', '=', uuid)
      .execute();
  }

  async delete(uuid: string): Promise<boolean> {
    const result = await this.db.deleteFrom('webhooks').where('uuid', '=', uuid).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async recordDelivery(uuid: string, outcome: DeliveryOutcome): Promise<void> {
    await this.db
      .updateTable('webhooks')
      .set({
        last_delivery_at: outcome.at,
        last_delivery_status: outcome.status,
        last_delivery_event: outcome.event_type,
        last_response_status: outcome.response_status,
        last_error: outcome.error,
        last_attempts: outcome.attempts,
      })
      .where('uuid', '=', uuid)
      .execute();
  }
}

function toColumns(fields: Partial<WebhookFields>) {
  const columns: Record<string, unknown> = {};
  for (const key of ['name', 'url', 'description', 'secret'] as const) if (fields[key] !== undefined) columns[key] = fields[key];
  if (fields.enabled !== undefined) columns.enabled = fields.enabled ? 1 : 0;
  if (fields.events !== undefined) columns.events = JSON.stringify(fields.events);
  return columns;
}

function parseEvents(text: unknown): string[] {
  try {
    const value = JSON.parse(String(text ?? '["*"]'));
    return Array.isArray(value) ? value.map(String) : ['*'];
  } catch {
    return ['*'];
  }
}

function toWebhook(row: Record<string, unknown>): Webhook {
  return {
    uuid: String(row.uuid),
    name: String(row.name),
    url: String(row.url),
    description: String(row.description ?? ''),
    enabled: Number(row.enabled) === 1,
    events: parseEvents(row.events),
    secret: String(row.secret ?? ''),
    created_at: String(row.created_at),
    updated_at: String(row.updated_at),
    last_delivery: row.last_delivery_at
      ? {
          at: String(row.last_delivery_at),
          status: String(row.last_delivery_status),
          event_type: row.last_delivery_event == null ? null : String(row.last_delivery_event),
          response_status: row.last_response_status == null ? null : Number(row.last_response_status),
          error: row.last_error == null ? null : String(row.last_error),
          attempts: row.last_attempts == null ? null : Number(row.last_attempts),
        }
      : null,
  };
}
