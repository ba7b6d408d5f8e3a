import { Kysely, PostgresDialect } from 'kysely';
import { CORE_MIGRATIONS, CORE_NAMESPACE, persistenceService, PERSISTENCE_SERVICE, defineExtension, runMigrations } from '@langbot-ts/sdk';
import { PostgresPersistence, createPool } from './engine.js';

/** The URL with its password masked, for log lines. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}


export default defineExtension({
  async activate(ctx) {
    const url = ctx.config.url;
    if (typeof url !== 'string' || !/^postgres(ql)?:\/\//i.test(url)) {
      throw new Error("Set the 'url' setting of this extension to a postgres:// connection string.");
    }
    const poolSize = Number(ctx.config.poolSize ?? 10);
    const pool = createPool(url, Number.isInteger(poolSize) && poolSize > 0 ? poolSize : 10, ctx.log);

    let store: PostgresPersistence;
    try {
      const { rows } = await pool.query<{ server_version: string }>('show server_version');
      store = new PostgresPersistence(pool, String(rows[0]?.server_version ?? 'unknown'), ctx.log);
      // Kysely over the same pool; destroying it would end the pool, so it is simply dropped afterwards.
      const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool: { connect: () => pool.connect(), end: async () => {} } }) });
      const applied = await runMigrations(kysely, CORE_MIGRATIONS, CORE_NAMESPACE);
      await kysely.destroy();
      ctx.log.info(`Connected to ${redact(url)}${applied.length ? `; applied migrations ${applied.join(', ')}` : ''}.`, { applied });
    } catch (e) {
      await pool.end().catch(() => {});
      const err = e as Error & { code?: string };
      throw new Error(`Cannot use the PostgreSQL database at ${redact(url)}: ${err.message}${err.code ? ` (${err.code})` : ''}`);
    }
    ctx.provideService(PERSISTENCE_SERVICE, persistenceService(store));
    // Closed through the context, not module state: kernels in one process may share this module.
    ctx.onDispose(() => store.close());
  },
});
