/**
 * Work on a business key that must not run twice at once, in this process or any other sharing the
 * database: session-level advisory locks on the keys, held on one pooled connection for as long as fn
 * runs and handed to fn, so its statements use that connection too. Keys are locked in one order
 * (by hash) so two holders of overlapping keys cannot deadlock. A lost connection (process killed,
 * Postgres restarted) releases them: Postgres never keeps a lock nobody holds.
 */
import type pg from 'pg';

export async function withAdvisoryLocks<T>(pool: pg.Pool, keys: string[], fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query({
      name: 'advisory-locks.take',
      text: 'select pg_advisory_lock(h) from (select distinct hashtextextended(k, 0) as h from unnest($1::text[]) k order by h) ordered',
      values: [keys],
    });
    return await fn(client);
  } finally {
    try {
      await client.query('select pg_advisory_unlock_all()');
    } catch (err) {
      broken = err as Error; // the connection is gone, and its locks with it
    }
    client.release(broken);
  }
}
