// A job that loses its database connection, or cannot get one in time, is retried, never failed for good:
// node-pg and pg-pool report these as plain Errors without a code.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { testDatabase } from './helpers/db.ts';
import { isTransient } from '../src/errors.ts';

let url: string;
before(async () => { url = await testDatabase('transient'); });

test('a pool with no free connection in time: retried later', async () => {
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 100 });
  const held = await pool.connect();
  try {
    const err = await pool.connect().then((c) => { c.release(); return undefined; }, (e: unknown) => e);
    assert.ok(err instanceof Error, 'the second connect fails');
    assert.equal(isTransient(err), true, (err as Error).message);
  } finally {
    held.release();
    await pool.end();
  }
});

test('a connection lost under a query: retried later', async () => {
  const victim = new pg.Client({ connectionString: url });
  victim.on('error', () => undefined);
  await victim.connect();
  const pid = (await victim.query('select pg_backend_pid() as pid')).rows[0].pid as number;
  const killer = new pg.Client({ connectionString: url });
  await killer.connect();
  const running = victim.query('select pg_sleep(5)').then(() => undefined, (e: unknown) => e);
  await new Promise((r) => setTimeout(r, 100));
  await killer.query('select pg_terminate_backend($1)', [pid]);
  await killer.end();
  const err = await running;
  assert.ok(err instanceof Error);
  assert.equal(isTransient(err), true, (err as Error).message);
  const after = await victim.query('select 1').then(() => undefined, (e: unknown) => e);
  assert.ok(after instanceof Error, 'the dead client refuses further queries');
  assert.equal(isTransient(after), true, (after as Error).message);
});

test('a programming error is not retried', () => {
  assert.equal(isTransient(new TypeError('x is not a function')), false);
  assert.equal(isTransient(Object.assign(new Error('syntax error at or near "selec"'), { code: '42601' })), false);
});
