/** MCP servers in the application database (upstream's `mcp_servers` table, in this extension's namespace). */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { RpcError, RpcErrorCode, runMigrations, type Migration } from '@langbot-ts/sdk';

export const MODES = ['stdio', 'remote', 'sse', 'http'] as const;
export type Mode = (typeof MODES)[number];

/** stdio: command, args, env, cwd; remote / sse / http: url, headers. Common: timeout (s), tool_call_timeout_sec. */
export interface ServerArgs {
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  timeout?: number;
  tool_call_timeout_sec?: number;
}

export interface McpServer {
  uuid: string;
  name: string;
  enable: boolean;
  mode: Mode;
  extra_args: ServerArgs;
  readme: string;
  created_at: string;
  updated_at: string;
}

interface Row {
  uuid: string;
  workspace_uuid: string | null;
  name: string;
  enable: number;
  mode: string;
  extra_args: string;
  readme: string;
  created_at: string;
  updated_at: string;
}
export interface McpDatabase {
  mcp_servers: Row;
}

const MIGRATIONS: Migration[] = [
  {
    name: '0001_mcp_servers',
    async up(db) {
      await db.schema
        .createTable('mcp_servers')
        .addColumn('uuid', 'text', (c) => c.primaryKey())
        .addColumn('workspace_uuid', 'text')
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('enable', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('extra_args', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('readme', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
];

const toServer = (r: Row): McpServer => {
  let extra: ServerArgs = {};
  try {
    extra = JSON.parse(r.extra_args);
  } catch {
    // an unreadable row keeps empty arguments; connecting will say what is missing
  }
  return { uuid: r.uuid, name: r.name, enable: Number(r.enable) === 1, mode: r.mode as Mode, extra_args: extra, readme: r.readme, created_at: r.created_at, updated_at: r.updated_at };
};

export type ServerFields = Partial<Pick<McpServer, 'name' | 'enable' | 'mode' | 'extra_args' | 'readme'>>;

export class McpStore {
  constructor(private readonly db: Kysely<McpDatabase>) {}

  migrate(): Promise<string[]> {
    return runMigrations(this.db, MIGRATIONS, 'langbot.mcp');
  }

  async list(): Promise<McpServer[]> {
    return (await this.db.selectFrom('mcp_servers').selectAll().orderBy('created_at').execute()).map(toServer);
  }

  async get(uuid: string): Promise<McpServer> {
    const row = await this.db.selectFrom('mcp_servers').selectAll().where('uuid', '=', uuid).executeTakeFirst();
    if (!row) throw new RpcError(RpcErrorCode.NotFound, `No MCP server '${uuid}'.`, { uuid });
    return toServer(row);
  }

  async create(fields: Required<Pick<McpServer, 'name' | 'mode'>> & ServerFields): Promise<McpServer> {
    const existing = await this.db.selectFrom('mcp_servers').select('uuid').where('name', '=', fields.name).executeTakeFirst();
    if (existing) throw new RpcError(RpcErrorCode.ValidationFailed, `An MCP server named '${fields.name}' exists already.`);
    const now = new Date().toISOString();
    const uuid = randomUUID();
    await this.db
      .insertInto('mcp_servers')
      .values({ uuid, workspace_uuid: null, name: fields.name, enable: fields.enable === false ? 0 : 1, mode: fields.mode, extra_args: JSON.stringify(fields.extra_args ?? {}), readme: fields.readme ?? '', created_at: now, updated_at: now })
      .execute();
    return this.get(uuid);
  }

  async update(uuid: string, fields: ServerFields): Promise<McpServer> {
    await this.get(uuid);
    const set: Record<string, unknown> = { updated_at: new Date().toISOString() };
    if (fields.name !== undefined) set.name = fields.name;
    if (fields.mode !== undefined) set.mode = fields.mode;
    if (fields.readme !== undefined) set.readme = fields.readme;
    if (fields.enable !== undefined) set.enable = fields.enable ? 1 : 0;
    if (fields.extra_args !== undefined) set.extra_args = JSON.stringify(fields.extra_args);
    await this.db.updateTable('mcp_servers').set(set).where('uuid', '=', uuid).execute();
    return this.get(uuid);
  }

  async delete(uuid: string): Promise<void> {
    await this.get(uuid);
    await this.db.deleteFrom('mcp_servers').where('uuid', '=', uuid).execute();
  }
}
