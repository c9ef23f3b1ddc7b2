/**
 * The orders projection: one row per (partner, PO number) that the pipeline keeps current, with the
 * shipments and invoices seen for it. Every function records a fact, then derives the state again from
 * all facts (src/acks/order-state.ts), so documents may arrive in any order. Call them with the client
 * of the transaction that stores or applies the document: the order row is locked for the update.
 */
import type { Queryable } from '../db/pool.ts';
import type { Invoice, Order, ShipNotice } from '../../translators/types.ts';
import { deriveOrderState, type OrderedLine, type OrderState, type ShippedLine } from './order-state.ts';

/** Creates the order row ($1 partner, $2 PO number) when the first document about it arrives, and locks it; composable as a CTE. */
const LOCK_ORDER = `insert into orders (partner_id, po_number, state) values ($1, $2, 'queued')
     on conflict (partner_id, po_number) do update set updated_at = now()`;

async function lockOrder(db: Queryable, partnerId: string, poNumber: string): Promise<void> {
  await db.query(LOCK_ORDER, [partnerId, poNumber]);
}

/** Derives the state from every fact stored about the order and writes it. */
export async function refreshOrderState(db: Queryable, partnerId: string, poNumber: string): Promise<OrderState> {
  const r = await db.query(
    `select o.sent_at, o.cancelled_at, o.transmission_rejected, o.ack_type, o.lines,
            (select coalesce(json_agg(s.lines), '[]'::json) from order_shipments s
              where s.partner_id = o.partner_id and s.po_number = o.po_number and not s.cancelled) as shipments,
            (select count(*)::int from order_invoices i
              where i.partner_id = o.partner_id and i.po_number = o.po_number and i.purpose = 'invoice') as invoices
       from orders o where o.partner_id = $1 and o.po_number = $2 for update`,
    [partnerId, poNumber],
  );
  const row = r.rows[0];
  if (!row) throw new Error(`order ${poNumber} of ${partnerId} is not in the orders projection`);
  const state = deriveOrderState({
    sent: row.sent_at !== null,
    cancelled: row.cancelled_at !== null,
    transmissionRejected: row.transmission_rejected,
    ackType: row.ack_type,
    orderedLines: row.lines as OrderedLine[],
    shipments: row.shipments as ShippedLine[][],
    invoiceCount: row.invoices,
  });
  await db.query('update orders set state = $3, updated_at = now() where partner_id = $1 and po_number = $2', [partnerId, poNumber, state]);
  return state;
}

export interface OrderSent {
  partnerId: string;
  poNumber: string;
  revision: string;
  outboundDocumentId: string;
  odooPurchaseOrderId?: number;
  /** the canonical order that was rendered: its lines are what "shipped in full" is measured against */
  order?: Pick<Order, 'lines' | 'purpose'>;
  /** when it was delivered; leave undefined when it is only stored (markSent records delivery) */
  sentAt?: Date;
}

/**
 * Records an outbound order (a new one, a change or a cancellation). A new revision starts the
 * acknowledgement over: the previous revision's 855 and transmission outcome no longer describe it.
 */
export async function recordOrderSent(db: Queryable, o: OrderSent): Promise<OrderState> {
  await lockOrder(db, o.partnerId, o.poNumber);
  const lines = (o.order?.lines ?? []).map((l) => ({ lineNumber: l.lineNumber, quantity: l.quantity, uom: l.uom }));
  await db.query(
    `update orders set
       ack_type = case when revision is distinct from $3 then null else ack_type end,
       transmission_rejected = case when revision is distinct from $3 then false else transmission_rejected end,
       revision = $3, outbound_document_id = $4, odoo_po_id = coalesce($5, odoo_po_id),
       lines = case when $6::jsonb = '[]'::jsonb then lines else $6::jsonb end,
       sent_at = coalesce($7, sent_at),
       cancelled_at = case when $8 then coalesce(cancelled_at, now()) else null end
     where partner_id = $1 and po_number = $2`,
    [o.partnerId, o.poNumber, o.revision, o.outboundDocumentId, o.odooPurchaseOrderId ?? null, JSON.stringify(lines), o.sentAt ?? null,
      o.order?.purpose === 'cancel'],
  );
  return refreshOrderState(db, o.partnerId, o.poNumber);
}

/**
 * The 855 / ConfirmationRequest outcome of the current revision, on an order we sent (one statement finds,
 * locks and updates it); undefined when we sent no such order.
 */
export async function recordOrderAckFact(db: Queryable, partnerId: string, poNumber: string, ack: { ackType: 'accepted' | 'accepted-with-changes' | 'rejected'; at: Date; documentId: string; supplierOrderNumber?: string }): Promise<OrderState | undefined> {
  const r = await db.query(
    `update orders set ack_type = $3, acknowledged_at = $4, ack_document_id = $5, supplier_order_number = coalesce($6, supplier_order_number), updated_at = now()
      where partner_id = $1 and po_number = $2 and outbound_document_id is not null`,
    [partnerId, poNumber, ack.ackType, ack.at, ack.documentId, ack.supplierOrderNumber ?? null],
  );
  return r.rowCount === 0 ? undefined : refreshOrderState(db, partnerId, poNumber);
}

/** A functional acknowledgement rejected the transmission of this revision. */
export async function recordTransmissionRejected(db: Queryable, partnerId: string, poNumber: string, revision: string): Promise<void> {
  const r = await db.query('update orders set transmission_rejected = true where partner_id = $1 and po_number = $2 and revision = $3', [partnerId, poNumber, revision]);
  if (r.rowCount) await refreshOrderState(db, partnerId, poNumber);
}

/**
 * Records a ship notice against every PO it covers. A replacement (purpose 'change') replaces the
 * earlier notice with the same shipment id; a cancellation withdraws it.
 */
export async function recordShipment(db: Queryable, notice: ShipNotice, documentId: string, partnerId: string): Promise<Array<{ poNumber: string; state: OrderState }>> {
  const out: Array<{ poNumber: string; state: OrderState }> = [];
  for (const order of notice.orders) {
    const lines = order.lines.map((l) => ({ lineNumber: l.lineNumber, quantityShipped: l.quantityShipped, uom: l.uom, lots: l.lots }));
    await db.query(
      `with o as (${LOCK_ORDER})
       insert into order_shipments (partner_id, po_number, shipment_id, document_id, ship_date, estimated_delivery_date, carrier, lines, cancelled)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (partner_id, po_number, shipment_id) do update set document_id = excluded.document_id, ship_date = excluded.ship_date,
         estimated_delivery_date = excluded.estimated_delivery_date, carrier = excluded.carrier,
         lines = case when excluded.cancelled then order_shipments.lines else excluded.lines end,
         cancelled = excluded.cancelled, recorded_at = now()`,
      [partnerId, order.poNumber, notice.shipmentId, documentId, notice.shipDate || null, notice.estimatedDeliveryDate ?? null,
        notice.carrier ? JSON.stringify(notice.carrier) : null, JSON.stringify(lines), notice.purpose === 'cancel'],
    );
    out.push({ poNumber: order.poNumber, state: await refreshOrderState(db, partnerId, order.poNumber) });
  }
  return out;
}

/** Records an invoice (or credit/debit memo) against every PO it bills. */
export async function recordInvoice(db: Queryable, invoice: Invoice, documentId: string, partnerId: string): Promise<Array<{ poNumber: string; state: OrderState }>> {
  const poNumbers = [...new Set([invoice.poNumber, ...invoice.lines.map((l) => l.poNumber)].filter((p): p is string => Boolean(p)))];
  const out: Array<{ poNumber: string; state: OrderState }> = [];
  for (const poNumber of poNumbers) {
    await db.query(
      `with o as (${LOCK_ORDER})
       insert into order_invoices (partner_id, po_number, invoice_number, document_id, invoice_date, purpose, currency, total_amount)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (partner_id, po_number, invoice_number) do update set document_id = excluded.document_id, invoice_date = excluded.invoice_date,
         purpose = excluded.purpose, currency = excluded.currency, total_amount = excluded.total_amount, recorded_at = now()`,
      [partnerId, poNumber, invoice.invoiceNumber, documentId, invoice.invoiceDate || null, invoice.purpose ?? 'invoice', invoice.currency, invoice.totalAmount],
    );
    out.push({ poNumber, state: await refreshOrderState(db, partnerId, poNumber) });
  }
  return out;
}
