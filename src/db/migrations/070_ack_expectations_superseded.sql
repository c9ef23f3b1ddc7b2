-- A new revision of a purchase order (a change or a cancellation) asks the supplier for a new order
-- acknowledgement: the earlier revision's 855 expectation no longer counts and is 'superseded' (it can
-- no longer fall overdue). Its 997 expectation stays: every transmission still owes its own.
alter table ack_expectations drop constraint ack_expectations_state_check;
alter table ack_expectations add constraint ack_expectations_state_check
  check (state in ('waiting', 'overdue', 'received', 'rejected', 'superseded'));
alter table ack_expectations add column superseded_by bigint references documents(id);
