import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import type { PartnerRegistry } from './partners/registry.ts';
import type { QueueName } from './pipeline/queues.ts';
import type { PartnerProfile } from '../translators/profile.ts';
import type { OdooClient } from './odoo/client.ts';

/** A way to send a stored outbound document to a partner: SFTP upload or cXML HTTP POST. */
export interface OutboundTransport {
  deliver(profile: PartnerProfile, file: { documentId: string; name: string; bytes: Buffer }): Promise<{ remoteRef?: string; response?: Buffer }>;
}
export type TransportKind = 'sftp' | 'cxml-http';

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
  /** the outbound transports this process runs, set by their components when they start */
  outbound: Partial<Record<TransportKind, OutboundTransport>>;
  /** the Odoo external API, when ODOO_URL is set */
  odoo?: OdooClient;
}
