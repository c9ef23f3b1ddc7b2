-- The buyer's view of each outbound order: one row per (partner, PO number), kept current by the
-- pipeline (sent, acknowledged, shipped, invoiced) so GET /api/v1/orders/{po} is a few indexed reads.
create table orders (
  id bigint generated always as identity primary key,
  partner_id text not null,
  po_number text not null,
  revision text not null default '0',
  state text not null,
  odoo_po_id integer,
  outbound_document_id bigint references documents(id),
  -- quantities ordered per line of the latest revision: [{ "lineNumber", "quantity", "uom" }]
  lines jsonb not null default '[]'::jsonb,
  sent_at timestamptz,
  -- the transmission (997/999/TA1/cXML Response) of the latest revision was rejected
  transmission_rejected boolean not null default false,
  ack_type text check (ack_type in ('accepted', 'accepted-with-changes', 'rejected')),
  acknowledged_at timestamptz,
  ack_document_id bigint references documents(id),
  supplier_order_number text,
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (partner_id, po_number)
);
create index orders_po on orders (po_number);
create index orders_state on orders (state, id);
create index orders_partner on orders (partner_id, id);
create index orders_updated on orders (updated_at);

create table order_shipments (
  partner_id text not null,
  po_number text not null,
  shipment_id text not null,
  document_id bigint references documents(id),
  ship_date date,
  estimated_delivery_date date,
  carrier jsonb,
  -- this PO's lines in the notice: [{ "lineNumber", "quantityShipped", "uom", "lots" }]
  lines jsonb not null default '[]'::jsonb,
  cancelled boolean not null default false,
  recorded_at timestamptz not null default now(),
  primary key (partner_id, po_number, shipment_id)
);

create table order_invoices (
  partner_id text not null,
  po_number text not null,
  invoice_number text not null,
  document_id bigint references documents(id),
  invoice_date date,
  purpose text not null default 'invoice',
  currency text,
  total_amount text,
  recorded_at timestamptz not null default now(),
  primary key (partner_id, po_number, invoice_number)
);

-- What each outbound order still waits for: its functional acknowledgement (997/999, or the cXML
-- Response) and its order acknowledgement (855 / ConfirmationRequest), each with a deadline counted
-- from delivery. A late acknowledgement still resolves its row (received_at > due_at).
create table ack_expectations (
  id bigint generated always as identity primary key,
  partner_id text not null,
  po_number text not null,
  revision text not null,
  outbound_document_id bigint not null references documents(id),
  kind text not null check (kind in ('functional', 'order')),
  format text not null check (format in ('x12', 'cxml')),
  interchange_control text,
  group_control text,
  transaction_control text,
  payload_id text,
  hours numeric not null,
  sent_at timestamptz,
  due_at timestamptz,
  state text not null default 'waiting' check (state in ('waiting', 'overdue', 'received', 'rejected')),
  overdue_at timestamptz,
  -- the buyer's to-do in Odoo for an overdue row; null until it was scheduled
  odoo_activity_at timestamptz,
  received_at timestamptz,
  received_document_id bigint references documents(id),
  outcome text,
  reasons jsonb not null default '[]'::jsonb,
  unique (outbound_document_id, kind)
);
create index ack_expectations_order on ack_expectations (partner_id, po_number);
create index ack_expectations_due on ack_expectations (due_at) where state = 'waiting';
create index ack_expectations_overdue on ack_expectations (partner_id, po_number) where state = 'overdue';
create index ack_expectations_group on ack_expectations (partner_id, group_control) where kind = 'functional';
create index ack_expectations_interchange on ack_expectations (partner_id, interchange_control) where kind = 'functional';
create index ack_expectations_payload on ack_expectations (payload_id) where payload_id is not null;

-- API keys: only the sha256 of a key is stored; `prefix` is the public part that finds the row.
create table api_keys (
  id bigint generated always as identity primary key,
  name text not null,
  prefix text not null unique,
  key_hash text not null,
  scopes text[] not null check (cardinality(scopes) > 0),
  partner_id text,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
