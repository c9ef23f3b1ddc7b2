-- Where each polling of an outside system got to (e.g. the write_date of the last Odoo purchase order seen).
create table sync_cursors (
  name text primary key,
  value text not null,
  updated_at timestamptz not null default now()
);
