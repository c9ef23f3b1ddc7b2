import pg from 'pg';

// int8 (bigint ids, counts) arrive as strings; keep them so (ids can exceed 2^53 in theory, and one
// rule for all is simpler than two).
export function createPool(url: string, options: { max?: number; applicationName?: string } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'edi-gateway',
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
  });
  // an idle client losing its connection (Postgres restart) must not crash the process
  pool.on('error', () => undefined);
  return pool;
}

export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;
