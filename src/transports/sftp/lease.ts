/**
 * Inbox leases: one process polls one partner's inbox at a time. A lease is a Postgres session-level
 * advisory lock held on one dedicated connection per process, so a process that dies (or loses that
 * connection) loses its leases at once and another process takes the inbox on its next tick.
 */
import type pg from 'pg';
import type { Logger } from '../../log.ts';

export interface InboxLeases {
  /** Takes the partner's inbox lease when free; false when another process holds it. */
  tryAcquire(partnerId: string): Promise<boolean>;
  release(partnerId: string): Promise<void>;
  /** Whether this process still holds the lease (false once the lease connection dropped). */
  holds(partnerId: string): boolean;
  close(): Promise<void>;
}

const LEASE_SQL = {
  tryLock: `select pg_try_advisory_lock(hashtextextended('sftp-inbox:' || $1, 0)) as ok`,
  unlock: `select pg_advisory_unlock(hashtextextended('sftp-inbox:' || $1, 0)) as ok`,
};

export function createInboxLeases(pool: pg.Pool, log: Logger): InboxLeases {
  let client: pg.PoolClient | undefined;
  let connecting: Promise<pg.PoolClient> | undefined;
  const held = new Set<string>();
  let closed = false;
  // one connection answers one query at a time: queue ours
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const lost = (c: pg.PoolClient, err?: Error): void => {
    if (client !== c) return;
    if (held.size > 0) log.warn({ err: err?.message, partners: [...held] }, 'sftp inbox lease connection lost: leases dropped');
    held.clear();
    client = undefined;
    c.release(err ?? true); // never back into the pool: its locks must go with it
  };

  /** One pooled connection taken out of the pool for as long as it lives. */
  const connection = async (): Promise<pg.PoolClient> => {
    if (client) return client;
    connecting ??= (async () => {
      const c = await pool.connect();
      c.on('error', (err) => lost(c, err));
      c.on('end', () => lost(c));
      client = c;
      return c;
    })().finally(() => { connecting = undefined; });
    return connecting;
  };

  return {
    tryAcquire: (partnerId) => serial(async () => {
      if (closed) return false;
      if (held.has(partnerId)) return true;
      const c = await connection();
      let rows: Array<{ ok: boolean }>;
      try {
        ({ rows } = await c.query<{ ok: boolean }>(LEASE_SQL.tryLock, [partnerId]));
      } catch (err) {
        lost(c, err as Error);
        throw err;
      }
      if (rows[0]?.ok) held.add(partnerId);
      return held.has(partnerId);
    }),
    release: (partnerId) => serial(async () => {
      if (!held.delete(partnerId) || !client) return;
      await client.query(LEASE_SQL.unlock, [partnerId]).catch(() => undefined);
    }),
    holds: (partnerId) => held.has(partnerId),
    close: () => serial(async () => {
      closed = true;
      held.clear();
      const c = client;
      client = undefined;
      if (!c) return;
      await c.query('select pg_advisory_unlock_all()').catch(() => undefined);
      c.release(true);
    }),
  };
}
