-- A child document (a transaction's canonical document, an acknowledgement we send) is created once per
-- parent and position, so processing a document again (replay, a retried job) never doubles its children.
alter table documents add column child_key text;
create unique index documents_child on documents (parent_id, child_key) where parent_id is not null and child_key is not null;
create index documents_interchange on documents (partner_id, interchange_control) where interchange_control is not null;
