-- cXML over HTTP: one row per (partner, payloadID) answered, holding the exact response bytes, so a
-- resend with the same body gets the same answer byte for byte and a different body gets 409.
create table cxml_requests (
  id bigint generated always as identity primary key,
  partner_id text not null,
  payload_id text not null,
  body_sha256 text not null,
  status integer not null,
  response bytea not null,
  document_id bigint references documents(id),
  request_name text not null,
  created_at timestamptz not null default now(),
  unique (partner_id, payload_id)
);

-- Requests refused before they could be tied to an authenticated partner (unreadable, unauthenticated,
-- forbidden, too large, wrong type): an audit row only, never the body.
create table cxml_refusals (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  status integer not null,
  reason text not null,
  remote_address text,
  sender_domain text,
  sender_identity text,
  partner_id text,
  payload_id text,
  size integer
);
create index cxml_refusals_at on cxml_refusals (at);
