/**
 * Each test file gets its own database on the server named by DATABASE_URL (test/run.ts starts an
 * embedded one when it is unset). The database is dropped when the file's tests pass and kept when
 * one fails, so the failure can be inspected.
 */
import pg from 'pg';
import { after } from 'node:test';
import { randomBytes } from 'node:crypto';

export function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the tests with `npm test`, which starts an embedded PostgreSQL when it is unset');
  return url;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function createTestDatabase(label: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`cannot reach PostgreSQL at DATABASE_URL (${(err as Error).message}); start one or unset DATABASE_URL to use the embedded server`);
  }
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = withDatabase(serverUrl(), name);
  return {
    url,
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl() });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}

const created: Array<{ drop(): Promise<void> }> = [];
const users: Array<() => Promise<void>> = [];
let failed = false;
// registered when this module is first imported, so it runs after all of the file's tests: first whatever
// still uses the databases stops (a gateway), then the databases are dropped
after(async () => {
  for (const stop of users.splice(0)) await stop();
  if (failed || (process.exitCode !== undefined && process.exitCode !== 0)) return; // kept to inspect the failure
  for (const db of created) await db.drop().catch(() => undefined);
});

/** Runs `stop` after the file's tests and before its databases are dropped. */
export function stopBeforeDrop(stop: () => Promise<void>): void {
  users.push(stop);
}

/** Marks the file as failed so its databases are kept for inspection. */
export function keepDatabases(): void {
  failed = true;
}

/** A database for this test file, dropped after its tests (kept when one failed). */
export async function testDatabase(label: string): Promise<string> {
  const db = await createTestDatabase(label);
  created.push(db);
  return db.url;
}
