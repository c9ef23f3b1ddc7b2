/**
 * Ordered SQL migrations from src/db/migrations (NNN_name.sql), each applied once in its own
 * transaction and recorded in schema_migrations. An advisory lock makes two processes starting at
 * once take turns; running it twice is a no-op.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { GatewayError } from '../errors.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const LOCK_KEY = 7_245_113_001; // arbitrary, fixed: "edi-gateway migrations"

export interface Migration { version: string; name: string; sql: string; checksum: string }

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(`${dir}/${file}`, 'utf8');
      return { version: file.slice(0, 3), name: file.slice(4, -4), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export async function migrate(pool: pg.Pool, options: { dir?: string; log?: (msg: string, extra?: object) => void } = {}): Promise<string[]> {
  const log = options.log ?? (() => undefined);
  const migrations = listMigrations(options.dir);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`create table if not exists schema_migrations (
      version text primary key, name text not null, checksum text not null, applied_at timestamptz not null default now())`);
    const done = new Map<string, string>();
    for (const row of (await client.query<{ version: string; checksum: string }>('select version, checksum from schema_migrations')).rows) {
      done.set(row.version, row.checksum);
    }
    for (const m of migrations) {
      const seen = done.get(m.version);
      if (seen !== undefined) {
        if (seen !== m.checksum) {
          throw new GatewayError('migration-changed', `migration ${m.version}_${m.name}.sql was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      await client.query('begin');
      try {
        await client.query(m.sql);
        await client.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [m.version, m.name, m.checksum]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw new GatewayError('migration-failed', `migration ${m.version}_${m.name}.sql failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(`${m.version}_${m.name}`);
      log('migration applied', { migration: `${m.version}_${m.name}` });
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return applied;
}
