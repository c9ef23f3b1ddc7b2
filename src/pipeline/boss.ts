/**
 * pg-boss set up for the gateway: its own schema, an error listener (an `error` event without one
 * crashes Node), and a send that joins the caller's transaction so a stored document and its first
 * job commit together.
 */
import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { Logger } from '../log.ts';
import type { JobPayloads, QueueName } from './queues.ts';

export function createBoss(options: { connectionString: string; schema: string; log: Logger; max?: number }): PgBoss {
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: options.schema,
    max: options.max ?? 4,
    application_name: 'edi-gateway-jobs',
    // maintenance and cron monitoring run in every process; pg-boss elects one at a time
    supervise: true,
    schedule: true,
    migrate: true,
  });
  boss.on('error', (err) => options.log.error({ err: { message: err.message, code: (err as { code?: string }).code } }, 'job queue error'));
  return boss;
}

/**
 * pg-boss's own statement for inserting jobs (`insert`), captured once through its public API with a
 * recording adapter, so the job row is exactly what pg-boss writes. Its $1 is the JSON array of jobs.
 */
const jobInserts = new WeakMap<PgBoss, Promise<{ text: string; values: unknown[] }>>();
function jobInsertStatement(boss: PgBoss): Promise<{ text: string; values: unknown[] }> {
  let captured = jobInserts.get(boss);
  if (!captured) {
    captured = new Promise((resolve, reject) => {
      const db = {
        executeSql: async (text: string, values: unknown[]) => {
          if (text.split('json_to_recordset($1)').length !== 2) reject(new Error('pg-boss job insert is not of the expected shape: json_to_recordset($1) once'));
          else resolve({ text, values });
          return { rows: [] };
        },
      };
      boss.insert([{ name: 'capture' }], { db }).catch(reject);
    });
    jobInserts.set(boss, captured);
  }
  return captured;
}

/**
 * pg-boss's job insert as the body of a CTE in a larger statement, so a step's rows and its jobs are
 * written in one round trip: the jobs are what the SQL expression `jobsJson` yields (a json array of
 * `{ name, data }`; null inserts none), and pg-boss's own parameters become $firstParam.. — append
 * `values` to the statement's values at that position. Add `returning id` to count what was queued.
 * The SQL names pg-boss's schema (`schema`): a prepared statement's name should too.
 */
export async function jobInsertFragment(boss: PgBoss, jobsJson: string, firstParam: number): Promise<{ sql: string; values: unknown[]; schema: string }> {
  const job = await jobInsertStatement(boss);
  const schema = /INSERT INTO\s+(\S+)\.job\b/i.exec(job.text)?.[1] ?? 'unknown';
  const sql = job.text.trim()
    .replace(/\$(\d+)/g, (m, k: string) => (k === '1' ? m : `$${firstParam + Number(k) - 2}`))
    .replace('json_to_recordset($1)', `json_to_recordset(${jobsJson})`);
  return { sql, values: job.values.slice(1), schema };
}

/** pg-boss's `db` adapter over a client that is inside a transaction. */
export function inTransaction(client: pg.PoolClient): { executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }> } {
  return { executeSql: (text, values) => client.query(text, values as unknown[]) };
}

/** Queues a job inside the caller's open transaction: both commit or neither does. */
export async function sendInTransaction<Q extends QueueName>(boss: PgBoss, client: pg.PoolClient, queue: Q, data: JobPayloads[Q], options: PgBoss.SendOptions = {}): Promise<string> {
  const id = await boss.send(queue, data as object, { ...options, db: inTransaction(client) });
  if (!id) throw new Error(`job for ${queue} was not created`);
  return id;
}

/**
 * Jobs a step queues, inserted together with the step's last statement (`attachTo`): no round trip of
 * their own, and the queue's policy applies as with send.
 */
export class JobBatch {
  readonly #jobs: PgBoss.JobInsert[] = [];

  add<Q extends QueueName>(queue: Q, data: JobPayloads[Q]): void {
    this.#jobs.push({ name: queue, data: data as object });
  }

  queued(queue: QueueName): number {
    return this.#jobs.filter((j) => j.name === queue).length;
  }

  /**
   * The statement with these jobs inserted by pg-boss in the same round trip: prepended as a CTE (a
   * data-modifying CTE always runs, whatever the rest reads). The statement's text must start with WITH.
   */
  async attachTo(boss: PgBoss, statement: { name: string; text: string; values: unknown[] }): Promise<{ name: string; text: string; values: unknown[] }> {
    if (this.#jobs.length === 0) return statement;
    const text = statement.text.trimStart();
    if (!/^with\s/i.test(text)) throw new Error(`${statement.name}: jobs attach to a statement that starts with WITH`);
    const n = statement.values.length;
    const job = await jobInsertFragment(boss, `$${n + 1}::json`, n + 2);
    return {
      name: `${statement.name}+jobs/${job.schema}`,
      text: `with queued_jobs as (${job.sql}), ${text.slice(4).trimStart()}`,
      values: [...statement.values, JSON.stringify(this.#jobs), ...job.values],
    };
  }
}
