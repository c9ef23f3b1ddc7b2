/**
 * Reconciliation (scheduled): compares the gateway's orders with Odoo, partner by partner, over a
 * look-back window, leaving out what is younger than a grace period (it may still be in flight):
 *  - a confirmed PO of an EDI vendor that was never sent: repaired by queueing orders.export, and
 *    reported in one 'reconcile-po-not-sent' exception listing them all;
 *  - an acknowledgement (855 accepted) that Odoo does not show on the PO, and an invoice that has no
 *    vendor bill in Odoo: one exception per document ('reconcile-ack-not-in-odoo',
 *    'reconcile-bill-missing') carrying its odoo.apply job, so an operator's "retry" applies it again.
 * A difference that is gone on a later run has its exception resolved by the gateway.
 */
import type { AppContext } from '../context.ts';
import type { Logger } from '../log.ts';
import type { OdooClient } from '../odoo/client.ts';
import type PgBoss from 'pg-boss';
import type pg from 'pg';
import type { PartnerProfile } from '../../translators/profile.ts';
import { odooFacts, resolveVendor } from '../odoo/apply/lookup.ts';
import { openException } from '../store/exceptions.ts';
import { odooDateTime, ordersConfirmedFrom } from '../store/partner-start.ts';
import type { ApplyJob } from '../pipeline/queues.ts';

export interface ReconcileOptions { lookBackDays?: number; graceMinutes?: number; now?: Date }
export interface ReconcileDeps { pool: pg.Pool; boss: PgBoss; odoo: OdooClient; partners: PartnerProfile[]; log: Logger }
export interface ReconcileReport {
  exportQueued: Array<{ partnerId: string; poNumber: string; odooPurchaseOrderId: number }>;
  acksNotInOdoo: Array<{ partnerId: string; poNumber: string; documentId: string }>;
  billsMissing: Array<{ partnerId: string; poNumber: string; invoiceNumber: string; documentId: string }>;
  partnerErrors: Array<{ partnerId: string; message: string }>;
}

export const RECONCILE_REASONS = { notSent: 'reconcile-po-not-sent', ackNotInOdoo: 'reconcile-ack-not-in-odoo', billMissing: 'reconcile-bill-missing' } as const;


/** The apply job an operator's retry queues: a recheck, since the ledger says done what Odoo does not show. */
async function applyJobOf(pool: pg.Pool, documentId: string): Promise<ApplyJob> {
  const r = await pool.query<{ correlation_id: string }>('select correlation_id from documents where id = $1', [documentId]);
  return { documentId, correlationId: r.rows[0]?.correlation_id ?? '', recheck: true };
}

async function reconcilePartner(deps: ReconcileDeps, profile: PartnerProfile, from: Date, until: Date, report: ReconcileReport): Promise<void> {
  const vendorId = await resolveVendor(deps.odoo, profile.odoo, profile.id);
  const facts = await odooFacts(deps.odoo);

  // orders confirmed before EDI with this partner began were never meant to be sent
  const since = new Date(Math.max(from.getTime(), (await ordersConfirmedFrom(deps.pool, profile)).getTime()));
  const confirmed = await deps.odoo.search_read('purchase.order', [['partner_id.commercial_partner_id', '=', vendorId], ['state', 'in', ['purchase', 'done']],
    ['date_approve', '>=', odooDateTime(since)], ['date_approve', '<=', odooDateTime(until)]], ['name'], { order: 'id' });
  if (confirmed.length) {
    const sent = new Set((await deps.pool.query<{ po_number: string }>(
      'select po_number from orders where partner_id = $1 and po_number = any($2) and outbound_document_id is not null', [profile.id, confirmed.map((p) => String(p.name))])).rows.map((r) => r.po_number));
    for (const po of confirmed.filter((p) => !sent.has(String(p.name)))) {
      await deps.boss.send('orders.export', { odooPurchaseOrderId: po.id, reason: 'reconcile' }, { singletonKey: `reconcile-export-${po.id}` });
      report.exportQueued.push({ partnerId: profile.id, poNumber: String(po.name), odooPurchaseOrderId: po.id });
    }
  }

  const acked = (await deps.pool.query<{ po_number: string; ack_document_id: string }>(
    `select po_number, ack_document_id::text from orders where partner_id = $1 and ack_type in ('accepted', 'accepted-with-changes')
        and acknowledged_at between $2 and $3 and ack_document_id is not null`, [profile.id, from, until])).rows;
  if (acked.length) {
    const ackField = facts.major >= 19 ? 'acknowledged' : 'mail_reception_confirmed';
    const inOdoo = await deps.odoo.search_read('purchase.order', [['name', 'in', acked.map((a) => a.po_number)], ['partner_id.commercial_partner_id', '=', vendorId]], ['name', ackField]);
    const shown = new Set(inOdoo.filter((p) => p[ackField] === true).map((p) => String(p.name)));
    for (const a of acked.filter((x) => !shown.has(x.po_number))) report.acksNotInOdoo.push({ partnerId: profile.id, poNumber: a.po_number, documentId: a.ack_document_id });
  }

  const invoices = (await deps.pool.query<{ po_number: string; invoice_number: string; document_id: string }>(
    `select po_number, invoice_number, document_id::text from order_invoices where partner_id = $1 and purpose = 'invoice'
        and recorded_at between $2 and $3 and document_id is not null`, [profile.id, from, until])).rows;
  if (invoices.length) {
    const bills = await deps.odoo.search_read('account.move', [['move_type', 'in', ['in_invoice', 'in_refund']], ['ref', 'in', invoices.map((i) => i.invoice_number)],
      ['partner_id.commercial_partner_id', '=', vendorId]], ['ref']);
    const billed = new Set(bills.map((b) => String(b.ref)));
    for (const i of invoices.filter((x) => !billed.has(x.invoice_number))) {
      report.billsMissing.push({ partnerId: profile.id, poNumber: i.po_number, invoiceNumber: i.invoice_number, documentId: i.document_id });
    }
  }
}

/** Opens the exceptions of this run's differences and resolves those of differences now gone. */
async function report(deps: ReconcileDeps, r: ReconcileReport): Promise<void> {
  const keep = new Set<string>();
  if (r.exportQueued.length) {
    const x = await openException(deps.pool, {
      reasonCode: RECONCILE_REASONS.notSent,
      message: `${r.exportQueued.length} confirmed purchase order(s) in Odoo were never sent: ${r.exportQueued.map((p) => `${p.poNumber} (${p.partnerId})`).join(', ')}; their export was queued again`,
      detail: { orders: r.exportQueued },
    });
    keep.add(x.id);
  }
  for (const a of r.acksNotInOdoo) {
    keep.add((await openException(deps.pool, { documentId: a.documentId, partnerId: a.partnerId, queue: 'odoo.apply', jobData: await applyJobOf(deps.pool, a.documentId),
      reasonCode: RECONCILE_REASONS.ackNotInOdoo, message: `PO ${a.poNumber}: the supplier acknowledged it, but Odoo does not show the order as acknowledged; retry applies the acknowledgement again`,
      detail: { poNumber: a.poNumber } })).id);
  }
  for (const b of r.billsMissing) {
    keep.add((await openException(deps.pool, { documentId: b.documentId, partnerId: b.partnerId, queue: 'odoo.apply', jobData: await applyJobOf(deps.pool, b.documentId),
      reasonCode: RECONCILE_REASONS.billMissing, message: `invoice ${b.invoiceNumber} for PO ${b.poNumber} has no vendor bill in Odoo; retry applies the invoice again`,
      detail: { poNumber: b.poNumber, invoiceNumber: b.invoiceNumber } })).id);
  }
  const checked = deps.partners.map((p) => p.id).filter((id) => !r.partnerErrors.some((e) => e.partnerId === id));
  await deps.pool.query(
    `update exceptions set state = 'resolved', resolved_at = now(), resolved_by = 'gateway', resolution = 'reconciliation found no difference any more'
      where state = 'open' and reason_code = any($1) and not (id::text = any($2)) and (partner_id = any($3) or (partner_id is null and $4))`,
    [Object.values(RECONCILE_REASONS), [...keep], checked, r.partnerErrors.length === 0],
  );
}

export async function reconcile(deps: ReconcileDeps, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const now = options.now ?? new Date();
  const until = new Date(now.getTime() - (options.graceMinutes ?? 30) * 60_000);
  const from = new Date(now.getTime() - (options.lookBackDays ?? 30) * 86_400_000);
  const result: ReconcileReport = { exportQueued: [], acksNotInOdoo: [], billsMissing: [], partnerErrors: [] };
  for (const profile of deps.partners) {
    try {
      await reconcilePartner(deps, profile, from, until, result);
    } catch (err) {
      result.partnerErrors.push({ partnerId: profile.id, message: (err as Error).message });
      deps.log.warn({ partnerId: profile.id, err: { message: (err as Error).message } }, 'reconciliation of this partner failed: next run tries again');
    }
  }
  await report(deps, result);
  deps.log.info({ exportQueued: result.exportQueued.length, acksNotInOdoo: result.acksNotInOdoo.length, billsMissing: result.billsMissing.length, partnerErrors: result.partnerErrors.length }, 'reconciliation done');
  return result;
}

/** The job handler: every enabled partner with an Odoo vendor; nothing to do without Odoo. */
export async function handleReconcile(ctx: AppContext, job: { log: Logger }): Promise<void> {
  if (!ctx.odoo) {
    job.log.info('ODOO_URL is not set: nothing to reconcile');
    return;
  }
  const partners = ctx.partners.all().filter((p) => p.enabled && (p.odoo?.vendorRef || p.odoo?.vendorId));
  await reconcile({ pool: ctx.pool, boss: ctx.boss, odoo: ctx.odoo, partners, log: job.log });
}
