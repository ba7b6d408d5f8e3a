/**
 * Uploaded files in the application database, not in a data folder: instances sharing a PostgreSQL database then
 * serve each other's uploads (an image uploaded through one is shown by another; a document uploaded to one is
 * ingested by another). The persistence service carries values as JSON, so bytes are stored as base64 text, cut
 * into chunks that keep every statement and answer far below the RPC frame limit; the object row is written last,
 * in the same transaction, so a file is either complete or absent.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { runMigrations, type Migration } from '@langbot-ts/sdk';

/** Raw bytes per chunk row (base64 makes each row about 1.4 MB). */
export const CHUNK_BYTES = 1024 * 1024;

interface StorageObjectsTable {
  key: string;
  workspace_uuid: string | null;
  /** `upload_image` | `upload_document` (upstream's storage owner types). */
  owner_type: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  chunk_count: number;
  created_by: string | null;
  created_at: string;
}

interface StorageObjectChunksTable {
  object_key: string;
  seq: number;
  /** base64 */
  data: string;
}

export interface FilesDatabase {
  storage_objects: StorageObjectsTable;
  storage_object_chunks: StorageObjectChunksTable;
}

const MIGRATIONS: Migration[] = [
  {
    name: '0001_storage_objects',
    async up(db) {
      await db.schema
        .createTable('storage_objects')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('workspace_uuid', 'text')
        .addColumn('owner_type', 'text', (c) => c.notNull())
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('chunk_count', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('storage_object_chunks')
        .addColumn('object_key', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('storage_object_chunks_pkey', ['object_key', 'seq'])
        .execute();
    },
  },
];

export interface StoredObject {
  key: string;
  owner_type: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  created_at: string;
}

/** A key safe in a URL path segment and in any storage: letters, digits, `_`, `-`, one dot before the extension. */
export const KEY_PATTERN = /^[\p{L}\p{N}_-]{1,120}(\.[a-z0-9]{1,16})?$/u;

/** `<name>_<12 hex>.<ext>` as upstream (`{name}_{uuid[:8]}.{ext}`), the name reduced to safe characters. */
export function makeKey(filename: string, ext: string): string {
  const dot = filename.lastIndexOf('.');
  const stem = (dot > 0 ? filename.slice(0, dot) : filename).replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/^_+|_+$/g, '').slice(0, 64) || 'file';
  return `${stem}_${randomBytes(6).toString('hex')}${ext ? `.${ext}` : ''}`;
}

export class FileStore {
  private readonly db: Kysely<FilesDatabase>;

  /** Any handle on the application database: these tables are this store's own. */
  constructor(db: Kysely<any>) {
    this.db = db;
  }

  async migrate(): Promise<void> {
    await runMigrations(this.db, MIGRATIONS, 'langbot.http/files');
  }

  async save(object: { key: string; owner_type: string; filename: string; content_type: string; created_by: string | null }, bytes: Buffer): Promise<StoredObject> {
    const row: StorageObjectsTable = {
      ...object,
      workspace_uuid: null,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      chunk_count: Math.ceil(bytes.length / CHUNK_BYTES),
      created_at: new Date().toISOString(),
    };
    await this.db.transaction().execute(async (trx) => {
      for (let seq = 0; seq < row.chunk_count; seq++) {
        const data = bytes.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES).toString('base64');
        await trx.insertInto('storage_object_chunks').values({ object_key: row.key, seq, data }).execute();
      }
      await trx.insertInto('storage_objects').values(row).execute();
    });
    return view(row);
  }

  async find(key: string): Promise<(StoredObject & { chunk_count: number }) | undefined> {
    const row = await this.db.selectFrom('storage_objects').selectAll().where('key', '=', key).executeTakeFirst();
    return row ? { ...view(row), chunk_count: Number(row.chunk_count) } : undefined;
  }

  /** The bytes, one chunk per query; checked against the stored digest. */
  async read(object: { key: string; chunk_count: number; size: number; sha256: string }): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (let seq = 0; seq < object.chunk_count; seq++) {
      const chunk = await this.db.selectFrom('storage_object_chunks').select('data').where('object_key', '=', object.key).where('seq', '=', seq).executeTakeFirst();
      if (!chunk) throw new Error(`Stored file '${object.key}' is missing chunk ${seq}.`);
      parts.push(Buffer.from(chunk.data, 'base64'));
    }
    const bytes = Buffer.concat(parts);
    if (bytes.length !== object.size || createHash('sha256').update(bytes).digest('hex') !== object.sha256) throw new Error(`Stored file '${object.key}' is corrupt.`);
    return bytes;
  }
}

const view = (row: StorageObjectsTable): StoredObject => ({
  key: row.key,
  owner_type: row.owner_type,
  filename: row.filename,
  content_type: row.content_type,
  size: Number(row.size),
  sha256: row.sha256,
  created_at: row.created_at,
});
