import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { CORE_MIGRATIONS, CORE_NAMESPACE, persistenceService, PERSISTENCE_SERVICE, defineExtension, runMigrations, type ExtensionContext } from '@langbot-ts/sdk';
import { SqlJsPersistence } from './engine.js';
import { asSqliteDatabase, loadSqlJs } from './sqljs.js';


/** The extension's data folder: `data/extension-data/<id>/`, given by the kernel. */
function dataFolder(ctx: ExtensionContext): string {
  const dir = (ctx as { dataDir?: string }).dataDir ?? (ctx.config.dataDir as string | undefined);
  if (!dir) throw new Error('The kernel did not give this extension a data folder.');
  return dir;
}

export default defineExtension({
  async activate(ctx) {
    const dir = dataFolder(ctx);
    mkdirSync(dir, { recursive: true });
    const name = String(ctx.config.file ?? 'langbot.sqlite');
    const file = isAbsolute(name) ? name : resolve(dir, name);
    const flushDelayMs = Number(ctx.config.flushDelayMs ?? 200);

    const SQL = await loadSqlJs();
    const existed = existsSync(file);
    const db = existed ? new SQL.Database(readFileSync(file)) : new SQL.Database();
    const store = new SqlJsPersistence(db, file, flushDelayMs, ctx.log);
    try {
      const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: asSqliteDatabase(db) }) });
      const applied = await runMigrations(kysely, CORE_MIGRATIONS, CORE_NAMESPACE);
      await kysely.destroy();
      if (applied.length || !existed) await store.flush();
      ctx.log.info(`Opened ${file}${applied.length ? `; applied migrations ${applied.join(', ')}` : ''}.`, { file, applied });
    } catch (e) {
      db.close();
      throw e;
    }
    ctx.provideService(PERSISTENCE_SERVICE, persistenceService(store));
    // Closed through the context, not module state: kernels in one process may share this module.
    ctx.onDispose(() => store.close());
  },
});
