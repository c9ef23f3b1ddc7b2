/** Opens the gateway's database for a CLI command: DATABASE_URL, or the embedded server under DATA_DIR. */
import type pg from 'pg';
import PgBoss from 'pg-boss';
import type { Config } from '../config.ts';
import { createPool } from '../db/pool.ts';
import { migrate } from '../db/migrate.ts';
import { startEmbeddedPostgres } from '../db/embedded.ts';

export async function withDatabase<T>(config: Config, fn: (pool: pg.Pool, url: string) => Promise<T>): Promise<T> {
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: `${config.dataDir}/pg` });
  const url = config.databaseUrl ?? embedded!.url;
  const pool = createPool(url, { max: 2, applicationName: 'edi-gateway-cli' });
  try {
    await migrate(pool);
    return await fn(pool, url);
  } finally {
    await pool.end();
    await embedded?.stop();
  }
}

/** The database and a pg-boss that only sends (no supervision, no cron), for a command that queues jobs. */
export async function withQueue<T>(config: Config, fn: (pool: pg.Pool, boss: PgBoss) => Promise<T>): Promise<T> {
  return withDatabase(config, async (pool, url) => {
    const boss = new PgBoss({ connectionString: url, schema: config.bossSchema, supervise: false, schedule: false });
    boss.on('error', () => undefined);
    await boss.start();
    try {
      return await fn(pool, boss);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });
}
