-- Every document, inbound and outbound, stored before anything else happens to it.
create table documents (
  id bigint generated always as identity primary key,
  direction text not null check (direction in ('inbound', 'outbound')),
  partner_id text,
  format text not null check (format in ('x12', 'cxml', 'json')),
  doc_type text not null,
  transport text not null,
  remote_path text,
  remote_address text,
  source jsonb not null default '{}'::jsonb,
  raw bytea not null,
  sha256 text not null,
  size integer not null,
  correlation_id uuid not null,
  business_keys jsonb not null default '{}'::jsonb,
  interchange_control text,
  group_control text,
  transaction_control text,
  parent_id bigint references documents(id),
  duplicate_of bigint references documents(id),
  state text not null,
  test boolean not null default false,
  canonical jsonb,
  errors jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index documents_partner_type_state on documents (partner_id, doc_type, state);
create index documents_parent on documents (parent_id);
create index documents_correlation on documents (correlation_id);
create index documents_po on documents ((business_keys->>'poNumber')) where business_keys ? 'poNumber';
create index documents_created on documents (created_at);
-- the same bytes from the same partner are stored once (top-level documents only)
create unique index documents_inbound_sha on documents (coalesce(partner_id, ''), sha256)
  where direction = 'inbound' and parent_id is null and duplicate_of is null;

-- Raw bytes are never updated or deleted by the application.
create function documents_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'documents are append-only: delete of document % refused', old.id using errcode = 'P0001';
  end if;
  if new.raw is distinct from old.raw or new.sha256 is distinct from old.sha256 or new.size is distinct from old.size
     or new.direction is distinct from old.direction or new.created_at is distinct from old.created_at then
    raise exception 'documents are append-only: raw bytes of document % cannot change', old.id using errcode = 'P0001';
  end if;
  new.updated_at := now();
  return new;
end $$;
create trigger documents_guard before update or delete on documents for each row execute function documents_guard();
create function documents_no_truncate() returns trigger language plpgsql as $$
begin
  raise exception 'documents are append-only: truncate refused' using errcode = 'P0001';
end $$;
create trigger documents_no_truncate before truncate on documents for each statement execute function documents_no_truncate();

-- Append-only audit trail: one row per state change or notable event of a document.
create table document_events (
  id bigint generated always as identity primary key,
  document_id bigint not null references documents(id),
  at timestamptz not null default now(),
  state text,
  event text not null,
  detail jsonb not null default '{}'::jsonb
);
create index document_events_document on document_events (document_id, id);
create function document_events_guard() returns trigger language plpgsql as $$
begin
  raise exception 'document_events are append-only' using errcode = 'P0001';
end $$;
create trigger document_events_guard before update or delete on document_events for each row execute function document_events_guard();
