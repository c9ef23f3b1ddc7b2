-- Every effect the gateway had in Odoo, keyed by business key (PO + revision, shipment, vendor + invoice number):
-- a job reads it before acting, so a retried or replayed document never creates a second record.
create table odoo_effects (
  key text primary key,
  model text not null,
  odoo_id integer not null,
  document_id bigint references documents(id),
  created_at timestamptz not null default now()
);
