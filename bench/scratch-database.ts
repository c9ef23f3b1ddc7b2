/**
 * A scratch database for a benchmark: made on DATABASE_URL's server (or an embedded PostgreSQL when it
 * is unset) and dropped afterwards, so benchmarks never touch a real database.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';

export interface ScratchDatabase { url: string; drop(): Promise<void> }

export async function scratchDatabase(prefix: string): Promise<ScratchDatabase> {
  let embedded: { url: string; stop(): Promise<void> } | undefined;
  let server = process.env.DATABASE_URL;
  if (!server) {
    const { startEmbeddedPostgres } = await import('../src/db/embedded.ts');
    embedded = await startEmbeddedPostgres({ dataDir: '.data/bench-pg', database: 'postgres' });
    server = embedded.url;
  }
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      await embedded?.stop();
    },
  };
}
