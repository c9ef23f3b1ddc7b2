-- Every version of a file seen in a partner's SFTP inbox: first seen (the stability check compares
-- two listings through this row, so a restart does not forget), then stored (document_id, in the
-- same transaction as the document), then moved to the archive or deleted (moved_at, after commit).
create table sftp_files (
  id bigint generated always as identity primary key,
  partner_id text not null,
  remote_path text not null,
  size bigint not null,
  -- modification time as the server lists it, seconds since the epoch
  mtime bigint not null,
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  document_id bigint references documents(id),
  outcome text check (outcome in ('stored', 'duplicate', 'quarantined')),
  stored_at timestamptz,
  -- 'deleted', the archive path, or 'absent' when the file had gone before the move was recorded
  moved_to text,
  moved_at timestamptz,
  check ((document_id is null) = (outcome is null))
);
-- one live row per version of a file; moved rows are history, so the same name may come again
create unique index sftp_files_live on sftp_files (partner_id, remote_path, size, mtime) where moved_at is null;
create index sftp_files_document on sftp_files (document_id);
