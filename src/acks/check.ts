/**
 * acks.check (cron): marks acknowledgements past their deadline as overdue, opens an exception for
 * each on the outbound document, and puts a to-do for the buyer on the purchase order in Odoo.
 * Marking and the exceptions commit together; the Odoo to-do is scheduled afterwards and remembered
 * (odoo_activity_at), so an Odoo outage only delays it to a later run, and it is never scheduled twice.
 */
import type pg from 'pg';
import type { AppContext } from '../context.ts';
import type { Logger } from '../log.ts';
import type { OdooClient } from '../odoo/client.ts';
import type { JobContext } from '../pipeline/workers.ts';
import { withTransaction } from '../db/tx.ts';
import { openException } from '../store/exceptions.ts';
import { scheduleActivityOnce } from '../odoo/apply/lookup.ts';
import { ACK_REASONS, type AckKind } from './expectations.ts';

const BATCH = 500;

export interface AcksCheckDeps { pool: pg.Pool; log: Logger; odoo?: OdooClient; now?: Date }
export interface AcksCheckResult { overdue: number; activities: number; activityFailures: number }

interface OverdueRow {
  id: string; partner_id: string; po_number: string; revision: string; outbound_document_id: string; kind: AckKind;
  format: 'x12' | 'cxml'; sent_at: Date; due_at: Date; hours: string; odoo_po_id: number | null;
}

function expected(kind: AckKind, format: 'x12' | 'cxml'): string {
  if (kind === 'functional') return format === 'x12' ? 'functional acknowledgement (997)' : 'cXML Response';
  return format === 'x12' ? 'order acknowledgement (855)' : 'order confirmation (ConfirmationRequest)';
}

function overdueMessage(r: OverdueRow): string {
  return `PO ${r.po_number} (revision ${r.revision}) sent to ${r.partner_id} at ${r.sent_at.toISOString()}: no ${expected(r.kind, r.format)} `
    + `within ${Number(r.hours)} hours (due ${r.due_at.toISOString()})`;
}

/** Marks one batch overdue and opens their exceptions, in one transaction. */
async function markOverdueBatch(pool: pg.Pool, now: Date): Promise<OverdueRow[]> {
  return withTransaction(pool, async (client) => {
    const r = await client.query<OverdueRow>(
      `update ack_expectations e set state = 'overdue', overdue_at = $1
         from (select id from ack_expectations where state = 'waiting' and due_at < $1 order by due_at limit $2 for update skip locked) due
        where e.id = due.id
        returning e.id, e.partner_id, e.po_number, e.revision, e.outbound_document_id, e.kind, e.format, e.sent_at, e.due_at, e.hours::text`,
      [now, BATCH],
    );
    for (const row of r.rows) {
      await openException(client, {
        documentId: row.outbound_document_id,
        partnerId: row.partner_id,
        reasonCode: row.kind === 'functional' ? ACK_REASONS.functionalOverdue : ACK_REASONS.orderOverdue,
        message: overdueMessage(row),
        detail: { poNumber: row.po_number, revision: row.revision, expectationId: row.id, dueAt: row.due_at.toISOString() },
      });
    }
    return r.rows;
  });
}

async function scheduleActivities(deps: AcksCheckDeps, odoo: OdooClient): Promise<{ done: number; failed: number }> {
  const r = await deps.pool.query<OverdueRow>(
    `select e.id, e.partner_id, e.po_number, e.revision, e.outbound_document_id, e.kind, e.format, e.sent_at, e.due_at, e.hours::text, o.odoo_po_id
       from ack_expectations e left join orders o on o.partner_id = e.partner_id and o.po_number = e.po_number
      where e.state = 'overdue' and e.odoo_activity_at is null order by e.id limit $1`,
    [BATCH],
  );
  let done = 0;
  let failed = 0;
  for (const row of r.rows) {
    try {
      const poId = row.odoo_po_id ?? (await odoo.search_read('purchase.order', [['name', '=', row.po_number]], ['id'], { limit: 1 }))[0]?.id;
      if (poId !== undefined) {
        const what = row.kind === 'functional' ? (row.format === 'x12' ? '997' : 'cXML Response') : (row.format === 'x12' ? '855' : 'order confirmation');
        await scheduleActivityOnce(odoo, 'purchase.order', poId, `EDI: no ${what} from the supplier (revision ${row.revision})`,
          `<p>${overdueMessage(row)}. Please check with the supplier that the order arrived and will be confirmed.</p>`);
      } else {
        deps.log.warn({ poNumber: row.po_number, partnerId: row.partner_id }, 'overdue order not found in Odoo: no activity scheduled');
      }
      await deps.pool.query('update ack_expectations set odoo_activity_at = now() where id = $1', [row.id]);
      done++;
    } catch (err) {
      failed++;
      deps.log.warn({ poNumber: row.po_number, err: { message: (err as Error).message } }, 'could not schedule the Odoo activity: next run tries again');
    }
  }
  return { done, failed };
}

export async function runAcksCheck(deps: AcksCheckDeps): Promise<AcksCheckResult> {
  const now = deps.now ?? new Date();
  let overdue = 0;
  for (;;) {
    const batch = await markOverdueBatch(deps.pool, now);
    overdue += batch.length;
    for (const row of batch) deps.log.warn({ partnerId: row.partner_id, poNumber: row.po_number, kind: row.kind, dueAt: row.due_at }, 'acknowledgement overdue');
    if (batch.length < BATCH) break;
  }
  const activities = deps.odoo ? await scheduleActivities(deps, deps.odoo) : { done: 0, failed: 0 };
  if (overdue || activities.done || activities.failed) deps.log.info({ overdue, activities: activities.done, activityFailures: activities.failed }, 'acknowledgements checked');
  return { overdue, activities: activities.done, activityFailures: activities.failed };
}

export async function handleAcksCheck(ctx: AppContext, job: JobContext<'acks.check'>): Promise<void> {
  await runAcksCheck({ pool: ctx.pool, log: job.log, odoo: ctx.odoo });
}
