-- When EDI with each partner began: the gateway records it the first time it runs with the partner's
-- profile. Purchase orders confirmed before (history, or orders already sent by mail) are never sent
-- on their own, only by an operator's replay; a profile's odoo.sendOrdersConfirmedFrom overrides it.
create table partner_edi_start (
  partner_id text primary key,
  since timestamptz not null default now()
);
