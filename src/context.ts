import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import type { PartnerRegistry } from './partners/registry.ts';
import type { QueueName } from './pipeline/queues.ts';

/** Everything a part of the gateway may need, built once in main.ts (or by a test) and passed in. */
export interface AppContext {
  config: Config;
  pool: pg.Pool;
  boss: PgBoss;
  log: Logger;
  partners: PartnerRegistry;
  /** wakes this process's worker of a queue at once after a job was committed (no polling delay) */
  wake: (queue: QueueName) => void;
  /** true once migrations ran and the job queue started */
  ready: () => boolean;
}
