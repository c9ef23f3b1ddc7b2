/**
 * A fresh database for an SFTP benchmark: on DATABASE_URL's server when set, else on an embedded
 * PostgreSQL under .data/bench-pg. Dropped (and the embedded server stopped) by close().
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';

export async function benchDatabase(label: string): Promise<{ url: string; close(): Promise<void> }> {
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: '.data/bench-pg', database: 'bench' });
  const server = process.env.DATABASE_URL ?? embedded!.url;
  const name = `bench_${label}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const u = new URL(server);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    close: async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
      await embedded?.stop();
    },
  };
}
