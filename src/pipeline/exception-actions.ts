/**
 * What an operator does with an exception: retry it (its job is queued again, and the exception is
 * resolved as "retried"; a new failure opens a new one), resolve it with a note, or (a buyer, for an
 * acknowledgement's changed or backordered line) approve what the supplier acknowledged.
 */
import type pg from 'pg';
import PgBoss from 'pg-boss';
import { GatewayError } from '../errors.ts';
import { withTransaction } from '../db/tx.ts';
import { getException, resolveException, type ExceptionRow } from '../store/exceptions.ts';
import { setDocumentState, getDocument } from '../store/documents.ts';
import type { AppContext } from '../context.ts';
import type { OrderAck, OrderAckLine } from '../../translators/types.ts';
import { withAdvisoryLocks } from '../db/advisory-locks.ts';
import { postgresLedger } from '../odoo/ledger.ts';
import { APPROVABLE_REASONS, approveAcknowledgedLine } from '../odoo/apply/approve.ts';
import { poLockKey } from './apply.ts';
import { inTransaction } from './boss.ts';
import { QUEUES, type QueueName } from './queues.ts';

const RETRY_STATE: Partial<Record<QueueName, string>> = {
  'document.parse': 'input_received',
  'odoo.apply': 'input_translated',
  'delivery.send': 'output_created',
};

/** Retries the job behind an exception. `boss` may be a running instance; else one is made for the call. */
export async function retryException(deps: { pool: pg.Pool; boss?: PgBoss; url?: string; schema?: string }, id: string, by: string): Promise<{ exception: ExceptionRow; jobId: string }> {
  const ex = await getException(deps.pool, id);
  if (!ex) throw new GatewayError('exception-not-found', `no exception ${id}`, { expose: true, status: 404 });
  if (ex.state !== 'open') throw new GatewayError('exception-not-open', `exception ${id} is already resolved`, { expose: true, status: 409 });
  const queue = ex.queue as QueueName | null;
  if (!queue || !Object.values(QUEUES).includes(queue) || ex.jobData === null) {
    throw new GatewayError('exception-not-retryable', `exception ${id} has no job to retry (reason ${ex.reasonCode}); fix the cause and resolve it`, { expose: true, status: 409 });
  }
  const boss = deps.boss ?? new PgBoss({ connectionString: deps.url!, schema: deps.schema ?? 'pgboss', supervise: false, schedule: false, migrate: false });
  if (!deps.boss) {
    boss.on('error', () => undefined);
    await boss.start();
  }
  try {
    return await withTransaction(deps.pool, async (client) => {
      const jobId = await boss.send(queue, ex.jobData as object, { db: inTransaction(client) });
      if (!jobId) throw new GatewayError('retry-not-queued', `the job for exception ${id} could not be queued`);
      const resolved = await resolveException(client, id, by, `retried as job ${jobId}`);
      if (!resolved) throw new GatewayError('exception-not-open', `exception ${id} was resolved meanwhile`, { expose: true, status: 409 });
      const doc = ex.documentId ? await getDocument(client, ex.documentId) : undefined;
      const state = RETRY_STATE[queue];
      if (doc && state) await setDocumentState(client, doc.id, state, { reason: 'operator-retry', detail: { exceptionId: id, by } });
      return { exception: resolved, jobId };
    });
  } finally {
    if (!deps.boss) await boss.stop({ graceful: false, wait: true });
  }
}

export async function resolveExceptionBy(pool: pg.Pool, id: string, by: string, note: string): Promise<ExceptionRow> {
  const resolved = await resolveException(pool, id, by, note);
  if (!resolved) {
    const ex = await getException(pool, id);
    throw new GatewayError(ex ? 'exception-not-open' : 'exception-not-found', ex ? `exception ${id} is already resolved` : `no exception ${id}`, { expose: true, status: ex ? 409 : 404 });
  }
  return resolved;
}

/**
 * Approves what the supplier acknowledged for the line an acknowledgement exception names: applied to
 * the Odoo PO under the order's lock (so no apply job changes it meanwhile), then the exception is
 * resolved as approved. Odoo unreachable: the exception stays open, the approval can be sent again.
 */
export async function approveException(app: Pick<AppContext, 'pool' | 'odoo' | 'partners' | 'log'>, id: string, by: string): Promise<ExceptionRow> {
  const ex = await getException(app.pool, id);
  if (!ex) throw new GatewayError('exception-not-found', `no exception ${id}`, { expose: true, status: 404 });
  if (ex.state !== 'open') throw new GatewayError('exception-not-open', `exception ${id} is already resolved`, { expose: true, status: 409 });
  if (!APPROVABLE_REASONS.has(ex.reasonCode)) {
    throw new GatewayError('exception-not-approvable', `${ex.reasonCode} exceptions have nothing to approve (approvable: ${[...APPROVABLE_REASONS].join(', ')}); resolve it with a note`, { expose: true, status: 409 });
  }
  const doc = ex.documentId ? await getDocument(app.pool, ex.documentId) : undefined;
  const ack = doc?.canonical as OrderAck | undefined;
  const line = (ex.detail as { detail?: OrderAckLine }).detail;
  const profile = ex.partnerId ? app.partners.get(ex.partnerId) : undefined;
  if (!doc || ack?.type !== 'order-ack' || !line || !profile) {
    throw new GatewayError('exception-not-approvable', `exception ${id} does not name an acknowledged line of a partner's order`, { expose: true, status: 409 });
  }
  if (!app.odoo) throw new GatewayError('odoo-not-configured', 'ODOO_URL is not set: nothing can be approved in Odoo', { expose: true, status: 503 });
  const odoo = app.odoo;
  const approved = await withAdvisoryLocks(app.pool, [poLockKey(profile.id, ack.poNumber)], (client) =>
    approveAcknowledgedLine({ odoo, ledger: postgresLedger(client, doc.id), log: app.log.child({ exceptionId: id, correlationId: doc.correlationId }) },
      { exceptionId: id, poNumber: ack.poNumber, line, by }, profile));
  return resolveExceptionBy(app.pool, id, by, `approved: ${approved.summary}`);
}
