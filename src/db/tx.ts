import type pg from 'pg';

export interface TransactionOptions {
  /**
   * Commit without waiting for the WAL flush (synchronous_commit off, this transaction only). Only for a
   * job's own transaction whose effects nothing outside Postgres sees before the job completes: pg-boss
   * completes the job in a later synchronous commit, which flushes this one first, so a crash loses both
   * or neither, and a lost one is redone when the job runs again. Never for what the sender is told is stored.
   */
  flushWithJobCompletion?: boolean;
}

/** Runs fn inside one transaction on one pooled connection: commit when it resolves, roll back when it throws. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const client = await pool.connect();
  try {
    return await transactionOn(client, () => fn(client), options);
  } finally {
    client.release();
  }
}

/** withTransaction on a connection the caller holds already. */
export async function transactionOn<T>(client: pg.PoolClient, fn: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  // one round trip either way (simple query protocol)
  await client.query(options.flushWithJobCompletion ? 'begin; set local synchronous_commit = off' : 'begin');
  try {
    const result = await fn();
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}

/**
 * The single-statement form of flushWithJobCompletion, for a step whose whole write is one statement
 * outside any transaction: name this CTE first and select `no_flush.off` in the final select (an
 * unreferenced CTE is never run). set_config(..., true) lasts for the statement's own transaction only.
 */
export const NO_FLUSH_CTE = `no_flush as (select set_config('synchronous_commit', 'off', true) as off)`;
