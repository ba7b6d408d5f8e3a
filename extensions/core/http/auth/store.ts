/**
 * Accounts, API keys and the instance's signing secret in the application database. Users and API keys use
 * upstream's tables; the secret and the instance id live in this extension's own `http_settings` table, so every
 * instance sharing a PostgreSQL database signs and accepts the same tokens.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { runMigrations, type Database, type Migration } from '@langbot-ts/sdk';

interface HttpSettingsTable {
  key: string;
  value: string;
}
export type HttpDatabase = Database & { http_settings: HttpSettingsTable };

const MIGRATIONS: Migration[] = [
  {
    name: '0001_http_settings',
    async up(db) {
      await db.schema
        .createTable('http_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
];

export interface Account {
  uuid: string;
  user: string;
  password: string;
}

export interface ApiKeyRecord {
  uuid: string;
  name: string;
  description: string;
  scopes: string[];
  status: string;
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');
const now = () => new Date().toISOString();
const normalize = (email: string) => email.trim().toLowerCase();
const parseScopes = (text: unknown): string[] => {
  try {
    const value = JSON.parse(String(text ?? '[]'));
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
};

export class AuthStore {
  constructor(private readonly db: Kysely<HttpDatabase>) {}

  async migrate(): Promise<void> {
    await runMigrations(this.db, MIGRATIONS, 'langbot.http');
  }

  /** A setting, created with `make()` the first time; concurrent first reads agree on one value. */
  async setting(key: string, make: () => string): Promise<string> {
    const found = await this.db.selectFrom('http_settings').select('value').where('key', '=', key).executeTakeFirst();
    if (found) return found.value;
    await this.db.insertInto('http_settings').values({ key, value: make() }).onConflict((oc) => oc.column('key').doNothing()).execute();
    const stored = await this.db.selectFrom('http_settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
    return stored.value;
  }

  signingSecret(): Promise<string> {
    return this.setting('jwt_secret', () => randomBytes(32).toString('hex'));
  }

  instanceUuid(): Promise<string> {
    return this.setting('instance_uuid', () => randomUUID());
  }

  async accountCount(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'active').executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async findAccount(email: string): Promise<Account | undefined> {
    return this.db.selectFrom('users').select(['uuid', 'user', 'password']).where('normalized_email', '=', normalize(email)).where('status', '=', 'active').executeTakeFirst();
  }

  async accountByUuid(uuid: string): Promise<Account | undefined> {
    return this.db.selectFrom('users').select(['uuid', 'user', 'password']).where('uuid', '=', uuid).where('status', '=', 'active').executeTakeFirst();
  }

  async createAccount(email: string, passwordHash: string): Promise<Account> {
    const account = { uuid: randomUUID(), user: email.trim(), password: passwordHash };
    const at = now();
    await this.db.insertInto('users').values({ ...account, normalized_email: normalize(email), created_at: at, updated_at: at }).execute();
    return account;
  }

  async setPassword(uuid: string, passwordHash: string): Promise<void> {
    await this.db.updateTable('users').set({ password: passwordHash, updated_at: now() }).where('uuid', '=', uuid).execute();
  }

  async createApiKey(fields: { name: string; description: string; scopes: string[]; expires_at: string | null; created_by: string | null }): Promise<{ record: ApiKeyRecord; key: string }> {
    const key = `lbk_${randomBytes(32).toString('base64url')}`;
    const at = now();
    const uuid = randomUUID();
    await this.db
      .insertInto('api_keys')
      .values({
        uuid,
        workspace_uuid: null,
        created_by_account_uuid: fields.created_by,
        name: fields.name,
        description: fields.description,
        key_hash: hashApiKey(key),
        scopes: JSON.stringify(fields.scopes),
        status: 'active',
        expires_at: fields.expires_at,
        last_used_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return { key, record: (await this.apiKey(uuid))! };
  }

  async apiKeys(): Promise<ApiKeyRecord[]> {
    const rows = await this.keyQuery().orderBy('created_at').execute();
    return rows.map(toKey);
  }

  async apiKey(uuid: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.keyQuery().where('uuid', '=', uuid).executeTakeFirst();
    return row ? toKey(row) : undefined;
  }

  async updateApiKey(uuid: string, fields: { name?: string; description?: string; status?: string }): Promise<void> {
    await this.db.updateTable('api_keys').set({ ...fields, updated_at: now() }).where('uuid', '=', uuid).execute();
  }

  async deleteApiKey(uuid: string): Promise<boolean> {
    const result = await this.db.deleteFrom('api_keys').where('uuid', '=', uuid).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** The active, unexpired key with this secret; marks it used. */
  async useApiKey(key: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.keyQuery().where('key_hash', '=', hashApiKey(key)).executeTakeFirst();
    if (!row || row.status !== 'active') return undefined;
    if (row.expires_at && Date.parse(String(row.expires_at)) <= Date.now()) return undefined;
    await this.db.updateTable('api_keys').set({ last_used_at: now() }).where('uuid', '=', row.uuid).execute();
    return toKey(row);
  }

  private keyQuery() {
    return this.db.selectFrom('api_keys').select(['uuid', 'name', 'description', 'scopes', 'status', 'expires_at', 'last_used_at', 'created_at']);
  }
}

function toKey(row: Record<string, unknown>): ApiKeyRecord {
  return {
    uuid: String(row.uuid),
    name: String(row.name),
    description: String(row.description ?? ''),
    scopes: parseScopes(row.scopes),
    status: String(row.status),
    expires_at: row.expires_at ? String(row.expires_at) : null,
    last_used_at: row.last_used_at ? String(row.last_used_at) : null,
    created_at: String(row.created_at),
  };
}
