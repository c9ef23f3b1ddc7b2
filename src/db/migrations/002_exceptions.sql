-- Problems an operator must see, fix and replay. Nothing fails silently.
create table exceptions (
  id bigint generated always as identity primary key,
  document_id bigint references documents(id),
  partner_id text,
  queue text,
  job_id text,
  job_data jsonb,
  reason_code text not null,
  message text not null,
  attempts integer not null default 0,
  detail jsonb not null default '{}'::jsonb,
  state text not null default 'open' check (state in ('open', 'resolved')),
  opened_at timestamptz not null default now(),
  resolved_at timestamptz,
  resolved_by text,
  resolution text
);
create index exceptions_open on exceptions (state, opened_at);
create index exceptions_document on exceptions (document_id);
-- one open exception per document and reason: a retried job that fails again updates it
create unique index exceptions_one_open on exceptions (coalesce(document_id, -1), reason_code, coalesce(queue, ''))
  where state = 'open';
