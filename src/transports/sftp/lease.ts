/**
 * Inbox leases: one process polls one partner's inbox at a time. A lease is a Postgres session-level
 * advisory lock held on one dedicated connection per process, so a process that dies (or loses that
 * connection) loses its leases at once and another process takes the inbox on its next tick.
 */
import pg from 'pg';
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

export function createInboxLeases(databaseUrl: string, log: Logger): InboxLeases {
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  const held = new Set<string>();
  let closed = false;

  const lost = (err?: Error): void => {
    if (held.size > 0) log.warn({ err: err?.message, partners: [...held] }, 'sftp inbox lease connection lost: leases dropped');
    held.clear();
    client = undefined;
  };

  const connection = async (): Promise<pg.Client> => {
    if (client) return client;
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString: databaseUrl, application_name: 'edi-gateway-sftp-leases', keepAlive: true });
      c.on('error', (err) => { if (client === c) lost(err); });
      c.on('end', () => { if (client === c) lost(); });
      await c.connect();
      client = c;
      return c;
    })().finally(() => { connecting = undefined; });
    return connecting;
  };

  return {
    async tryAcquire(partnerId) {
      if (closed) return false;
      if (held.has(partnerId)) return true;
      const c = await connection();
      const { rows } = await c.query<{ ok: boolean }>(LEASE_SQL.tryLock, [partnerId]);
      if (rows[0]?.ok) held.add(partnerId);
      return held.has(partnerId);
    },
    async release(partnerId) {
      if (!held.delete(partnerId) || !client) return;
      await client.query(LEASE_SQL.unlock, [partnerId]).catch(() => undefined);
    },
    holds: (partnerId) => held.has(partnerId),
    async close() {
      closed = true;
      held.clear();
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
