/**
 * What the buyer status API reads. One order is one statement of indexed reads: the order row, its
 * acknowledgements, shipments and invoices (by partner and PO), the documents that carry the PO number
 * (partial expression index) or are linked from those rows, each with its audit events, and their open
 * exceptions. JSON is built in Postgres with the API's field names.
 */
import type { Queryable } from '../db/pool.ts';
import { GatewayError } from '../errors.ts';
import type { OrderState } from './order-state.ts';

export interface OrderSummary {
  partnerId: string;
  poNumber: string;
  revision: string;
  state: OrderState;
  odooPurchaseOrderId: number | null;
  supplierOrderNumber: string | null;
  ackType: string | null;
  sentAt: string | null;
  acknowledgedAt: string | null;
  cancelledAt: string | null;
  overdue: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface OrderView extends OrderSummary {
  acknowledgements: unknown[];
  shipments: unknown[];
  invoices: unknown[];
  exceptions: unknown[];
  timeline: unknown[];
}

const SUMMARY = `o.partner_id as "partnerId", o.po_number as "poNumber", o.revision, o.state, o.odoo_po_id as "odooPurchaseOrderId",
  o.supplier_order_number as "supplierOrderNumber", o.ack_type as "ackType", o.sent_at as "sentAt", o.acknowledged_at as "acknowledgedAt",
  o.cancelled_at as "cancelledAt", o.created_at as "createdAt", o.updated_at as "updatedAt",
  exists (select 1 from ack_expectations x where x.partner_id = o.partner_id and x.po_number = o.po_number and x.state = 'overdue') as overdue`;

// One statement: the order row(s), then everything linked to it. More than one row means two
// partners share the PO number (the caller must name the partner).
const ORDER_SQL = `
with o as (select * from orders where po_number = $1 and ($2::text is null or partner_id = $2) limit 2),
e as (select e.* from ack_expectations e join o on e.partner_id = o.partner_id and e.po_number = o.po_number),
s as (select s.* from order_shipments s join o on s.partner_id = o.partner_id and s.po_number = o.po_number),
i as (select i.* from order_invoices i join o on i.partner_id = o.partner_id and i.po_number = o.po_number),
docs as (
  select id from documents where business_keys ? 'poNumber' and business_keys->>'poNumber' = $1 and partner_id in (select partner_id from o)
  union select outbound_document_id from o union select ack_document_id from o
  union select outbound_document_id from e union select received_document_id from e
  union select document_id from s union select document_id from i
)
select (select count(*)::int from o) as matches, (select row_to_json(v)::text from (select ${SUMMARY},
  (select coalesce(json_agg(json_build_object('kind', e.kind, 'revision', e.revision, 'format', e.format, 'state', e.state, 'outcome', e.outcome,
      'sentAt', e.sent_at, 'dueAt', e.due_at, 'receivedAt', e.received_at, 'late', e.received_at > e.due_at, 'overdueAt', e.overdue_at,
      'outboundDocumentId', e.outbound_document_id::text, 'documentId', e.received_document_id::text, 'reasons', e.reasons) order by e.id), '[]'::json)
     from e) as acknowledgements,
  (select coalesce(json_agg(json_build_object('shipmentId', s.shipment_id, 'shipDate', s.ship_date, 'estimatedDeliveryDate', s.estimated_delivery_date,
      'carrier', s.carrier, 'lines', s.lines, 'cancelled', s.cancelled, 'documentId', s.document_id::text, 'recordedAt', s.recorded_at) order by s.recorded_at), '[]'::json)
     from s) as shipments,
  (select coalesce(json_agg(json_build_object('invoiceNumber', i.invoice_number, 'invoiceDate', i.invoice_date, 'purpose', i.purpose, 'currency', i.currency,
      'totalAmount', i.total_amount, 'documentId', i.document_id::text, 'recordedAt', i.recorded_at) order by i.recorded_at), '[]'::json)
     from i) as invoices,
  (select coalesce(json_agg(json_build_object('documentId', d.id::text, 'at', d.created_at, 'direction', d.direction, 'docType', d.doc_type, 'format', d.format,
      'state', d.state, 'parentId', d.parent_id::text, 'interchangeControl', d.interchange_control, 'groupControl', d.group_control,
      'transactionControl', d.transaction_control,
      'events', (select coalesce(json_agg(json_build_object('at', ev.at, 'state', ev.state, 'event', ev.event) order by ev.id), '[]'::json)
                   from document_events ev where ev.document_id = d.id)) order by d.created_at, d.id), '[]'::json)
     from documents d where d.id in (select id from docs)) as timeline,
  (select coalesce(json_agg(json_build_object('id', x.id::text, 'reasonCode', x.reason_code, 'message', x.message, 'documentId', x.document_id::text,
      'openedAt', x.opened_at) order by x.id), '[]'::json)
     from exceptions x where x.state = 'open' and x.document_id in (select id from docs)) as exceptions
from o limit 1) v) as body`;

/**
 * One order with everything known about it, as the JSON text of an OrderView (built by Postgres and
 * sent as is: no parse and re-serialisation in Node); undefined when there is none (for this partner).
 */
export async function getOrderViewJson(db: Queryable, poNumber: string, partnerId?: string): Promise<string | undefined> {
  // a named statement: parsed and planned once per connection (the plan is much of its cost)
  const r = await db.query<{ matches: number; body: string | null }>({ name: 'acks-order-view', text: ORDER_SQL, values: [poNumber, partnerId ?? null] });
  const row = r.rows[0];
  if (!row?.body) return undefined;
  if (row.matches > 1) throw new GatewayError('ambiguous-po', `PO ${poNumber} exists for more than one partner: add ?partner=`, { expose: true, status: 409 });
  return row.body;
}

export interface OrderFilter {
  state?: OrderState;
  partnerId?: string;
  overdue?: boolean;
  /** orders changed at or after this time */
  since?: Date;
  /** keyset paging: orders with an id below this cursor */
  cursor?: string;
  limit: number;
}

/** A page of orders, newest first, and the cursor of the next page (undefined on the last). */
export async function listOrders(db: Queryable, f: OrderFilter): Promise<{ items: OrderSummary[]; nextCursor?: string }> {
  const r = await db.query(
    `select o.id::text as id, ${SUMMARY} from orders o
      where ($1::text is null or o.state = $1) and ($2::text is null or o.partner_id = $2) and ($3::timestamptz is null or o.updated_at >= $3)
        and ($4::bigint is null or o.id < $4)
        and (not $5 or exists (select 1 from ack_expectations x where x.partner_id = o.partner_id and x.po_number = o.po_number and x.state = 'overdue'))
      order by o.id desc limit $6`,
    [f.state ?? null, f.partnerId ?? null, f.since ?? null, f.cursor ?? null, f.overdue === true, f.limit + 1],
  );
  const rows = r.rows.slice(0, f.limit);
  const items = rows.map(({ id: _id, ...rest }) => rest as OrderSummary);
  return r.rows.length > f.limit ? { items, nextCursor: rows.at(-1)!.id } : { items };
}
