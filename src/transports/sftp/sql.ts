/** Every SQL statement of the SFTP transport: pure functions of their inputs, run elsewhere. */

export interface SeenFile {
  id: string;
  remotePath: string;
  size: number;
  mtime: number;
  documentId: string | null;
  outcome: 'stored' | 'duplicate' | 'quarantined' | null;
  /** the same size and mtime were recorded by an earlier listing */
  seenBefore: boolean;
  /** seconds since this version of the file was first listed (our clock) */
  seenForSeconds: number;
}

/**
 * Records one listing of an inbox and returns its rows. Versions no longer listed are forgotten
 * (a file that grew, or that the partner took back); a stored file no longer listed had been moved
 * before the move was recorded, and is marked so.
 */
export function observeListing(partnerId: string, files: Array<{ remotePath: string; size: number; mtime: number }>): { text: string; values: unknown[] } {
  return {
    text: `with listed as (
        select * from unnest($2::text[], $3::bigint[], $4::bigint[]) as l(remote_path, size, mtime)
      ), forgotten as (
        delete from sftp_files f
         where f.partner_id = $1 and f.moved_at is null and f.document_id is null
           and not exists (select 1 from listed l where l.remote_path = f.remote_path and l.size = f.size and l.mtime = f.mtime)
      ), vanished as (
        update sftp_files f set moved_at = now(), moved_to = 'absent'
         where f.partner_id = $1 and f.moved_at is null and f.document_id is not null
           and not exists (select 1 from listed l where l.remote_path = f.remote_path and l.size = f.size and l.mtime = f.mtime)
      )
      insert into sftp_files (partner_id, remote_path, size, mtime)
      select $1, remote_path, size, mtime from listed
      on conflict (partner_id, remote_path, size, mtime) where moved_at is null
      do update set last_seen_at = now()
      returning id, remote_path, size, mtime, document_id, outcome,
                first_seen_at < now() as seen_before,
                extract(epoch from now() - first_seen_at)::float8 as seen_for_seconds`,
    values: [partnerId, files.map((f) => f.remotePath), files.map((f) => f.size), files.map((f) => f.mtime)],
  };
}

export function seenFileFromRow(r: Record<string, unknown>): SeenFile {
  return {
    id: String(r.id),
    remotePath: r.remote_path as string,
    size: Number(r.size),
    mtime: Number(r.mtime),
    documentId: r.document_id === null ? null : String(r.document_id),
    outcome: (r.outcome as SeenFile['outcome']) ?? null,
    seenBefore: Boolean(r.seen_before),
    seenForSeconds: Number(r.seen_for_seconds),
  };
}

/** Locks a version of a file that nothing stored yet; no row means another run took it. */
export function lockUnstored(id: string): { text: string; values: unknown[] } {
  return { text: 'select id from sftp_files where id = $1 and document_id is null and moved_at is null for update', values: [id] };
}

export function recordStored(id: string, documentId: string, outcome: 'stored' | 'duplicate' | 'quarantined'): { text: string; values: unknown[] } {
  return { text: 'update sftp_files set document_id = $2, outcome = $3, stored_at = now() where id = $1', values: [id, documentId, outcome] };
}

export function recordMoved(id: string, movedTo: string): { text: string; values: unknown[] } {
  return { text: 'update sftp_files set moved_at = now(), moved_to = $2 where id = $1 and moved_at is null', values: [id, movedTo] };
}
