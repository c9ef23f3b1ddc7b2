-- Control numbers we send, per scope (partner + level), allocated in the transaction that stores
-- the outbound document, never reused.
create table control_numbers (
  scope text primary key,
  last_value bigint not null check (last_value between 0 and 999999999)
);
