/**
 * Every pg-boss queue of the gateway, its retry policy and its payload type, in one place.
 * A job that exhausts its retries moves to the queue's dead-letter queue, whose worker opens an
 * exception (src/pipeline/workers.ts); nothing is dropped.
 */
import type PgBoss from 'pg-boss';

export const QUEUES = {
  /** an inbound document was stored: parse, validate, translate, acknowledge */
  parse: 'document.parse',
  /** a canonical inbound document: apply it to Odoo */
  apply: 'odoo.apply',
  /** an outbound document was stored: send it over the partner's transport */
  deliver: 'delivery.send',
  /** a confirmed Odoo purchase order: build, render and queue the outbound order */
  exportOrder: 'orders.export',
  /** cron: find outbound orders whose acknowledgements are overdue */
  acksCheck: 'acks.check',
  /** cron: confirmed or changed Odoo purchase orders since the cursor */
  pollOrders: 'orders.poll',
  /** cron: compare the gateway with Odoo and report or repair differences */
  reconcile: 'orders.reconcile',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface ParseJob { documentId: string; correlationId: string }
export interface ApplyJob {
  documentId: string;
  correlationId: string;
  /** an operator's retry of a difference reconciliation found: what the ledger says was done is checked in Odoo again */
  recheck?: boolean;
}
export interface DeliverJob {
  documentId: string;
  correlationId: string;
  partnerId: string;
  transport: 'sftp' | 'cxml-http';
  fileName?: string;
  /** base64 of a small acknowledgement we send (TA1/997/999): its first delivery attempt needs no read */
  bytes?: string;
}
export interface ExportOrderJob { odooPurchaseOrderId: number; reason: 'cursor' | 'webhook' | 'reconcile' | 'replay' }
export type AcksCheckJob = Record<string, never>;
export type PollOrdersJob = Record<string, never>;
export type ReconcileJob = Record<string, never>;

export interface JobPayloads {
  'document.parse': ParseJob;
  'odoo.apply': ApplyJob;
  'delivery.send': DeliverJob;
  'orders.export': ExportOrderJob;
  'acks.check': AcksCheckJob;
  'orders.poll': PollOrdersJob;
  'orders.reconcile': ReconcileJob;
}

export interface QueuePolicy { retryLimit: number; retryDelay: number; retryBackoff: boolean; expireInSeconds: number }

/** Retry policies: waits grow exponentially with jitter (retryDelay · 2^n). */
export const POLICIES: Record<QueueName, QueuePolicy> = {
  'document.parse': { retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: 300 },
  // documents that arrive before what they need (an 810 before its 856) wait here
  'odoo.apply': { retryLimit: 12, retryDelay: 10, retryBackoff: true, expireInSeconds: 300 },
  'delivery.send': { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 },
  'orders.export': { retryLimit: 10, retryDelay: 10, retryBackoff: true, expireInSeconds: 300 },
  'acks.check': { retryLimit: 2, retryDelay: 30, retryBackoff: false, expireInSeconds: 120 },
  'orders.poll': { retryLimit: 2, retryDelay: 15, retryBackoff: false, expireInSeconds: 120 },
  'orders.reconcile': { retryLimit: 2, retryDelay: 60, retryBackoff: false, expireInSeconds: 900 },
};

/** Cron schedules (pg-boss runs each once across all gateway processes). */
export const SCHEDULES: ReadonlyArray<{ queue: QueueName; cron: string }> = [
  { queue: 'orders.poll', cron: '* * * * *' },
  { queue: 'acks.check', cron: '*/5 * * * *' },
  { queue: 'orders.reconcile', cron: '17 * * * *' },
];

export function deadLetterOf(queue: QueueName): string {
  return `${queue}.dead`;
}

/** Creates every queue and its dead-letter queue; safe to run at every start. */
export async function createQueues(boss: PgBoss, policies: Record<QueueName, QueuePolicy> = POLICIES): Promise<void> {
  for (const name of Object.values(QUEUES)) {
    const dead = deadLetterOf(name);
    if (!(await boss.getQueue(dead))) {
      await boss.createQueue(dead, { name: dead, retentionDays: 30 }).catch(async (err: unknown) => {
        if (!(await boss.getQueue(dead))) throw err;
      });
    }
    const options = { name, ...policies[name], deadLetter: dead, retentionDays: 14 };
    if (await boss.getQueue(name)) await boss.updateQueue(name, options);
    else await boss.createQueue(name, options).catch(async (err: unknown) => {
      if (!(await boss.getQueue(name))) throw err; // another process created it first: fine
    });
  }
}
