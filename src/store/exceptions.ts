/**
 * Exceptions: what an operator must look at. Opened by a job that exhausted its retries or by a
 * business rule; listed, retried (the job is queued again) and resolved by an operator.
 */
import type { Queryable } from '../db/pool.ts';

export interface ExceptionRow {
  id: string;
  documentId: string | null;
  partnerId: string | null;
  queue: string | null;
  jobId: string | null;
  jobData: unknown;
  reasonCode: string;
  message: string;
  attempts: number;
  detail: Record<string, unknown>;
  state: 'open' | 'resolved';
  openedAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolution: string | null;
}

export interface NewException {
  documentId?: string | null;
  partnerId?: string | null;
  queue?: string;
  jobId?: string;
  jobData?: unknown;
  reasonCode: string;
  message: string;
  attempts?: number;
  detail?: Record<string, unknown>;
}

function fromRow(r: Record<string, unknown>): ExceptionRow {
  return {
    id: String(r.id),
    documentId: r.document_id === null ? null : String(r.document_id),
    partnerId: (r.partner_id as string | null) ?? null,
    queue: (r.queue as string | null) ?? null,
    jobId: (r.job_id as string | null) ?? null,
    jobData: r.job_data ?? null,
    reasonCode: r.reason_code as string,
    message: r.message as string,
    attempts: Number(r.attempts),
    detail: (r.detail as Record<string, unknown>) ?? {},
    state: r.state as 'open' | 'resolved',
    openedAt: r.opened_at as Date,
    resolvedAt: (r.resolved_at as Date | null) ?? null,
    resolvedBy: (r.resolved_by as string | null) ?? null,
    resolution: (r.resolution as string | null) ?? null,
  };
}

/** Opens an exception, or refreshes the open one for the same document, reason and queue. */
export async function openException(db: Queryable, e: NewException): Promise<ExceptionRow> {
  const r = await db.query(
    `insert into exceptions (document_id, partner_id, queue, job_id, job_data, reason_code, message, attempts, detail)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (coalesce(document_id, -1), reason_code, coalesce(queue, '')) where state = 'open'
     do update set message = excluded.message, attempts = exceptions.attempts + excluded.attempts,
                   job_id = excluded.job_id, job_data = excluded.job_data, detail = excluded.detail
     returning *`,
    [e.documentId ?? null, e.partnerId ?? null, e.queue ?? null, e.jobId ?? null, e.jobData === undefined ? null : JSON.stringify(e.jobData),
      e.reasonCode, e.message, e.attempts ?? 0, JSON.stringify(e.detail ?? {})],
  );
  return fromRow(r.rows[0]);
}

export async function getException(db: Queryable, id: string): Promise<ExceptionRow | undefined> {
  const r = await db.query('select * from exceptions where id = $1', [id]);
  return r.rows[0] ? fromRow(r.rows[0]) : undefined;
}

export async function listExceptions(db: Queryable, filter: { state?: 'open' | 'resolved'; partnerId?: string; documentId?: string; limit?: number } = {}): Promise<ExceptionRow[]> {
  const r = await db.query(
    `select * from exceptions
      where ($1::text is null or state = $1) and ($2::text is null or partner_id = $2) and ($3::bigint is null or document_id = $3)
      order by id desc limit $4`,
    [filter.state ?? null, filter.partnerId ?? null, filter.documentId ?? null, Math.min(filter.limit ?? 100, 1000)],
  );
  return r.rows.map(fromRow);
}

export async function resolveException(db: Queryable, id: string, by: string, resolution: string): Promise<ExceptionRow | undefined> {
  const r = await db.query(
    `update exceptions set state = 'resolved', resolved_at = now(), resolved_by = $2, resolution = $3
      where id = $1 and state = 'open' returning *`,
    [id, by, resolution],
  );
  return r.rows[0] ? fromRow(r.rows[0]) : undefined;
}

export async function countOpenExceptions(db: Queryable): Promise<Array<{ partnerId: string; reasonCode: string; count: number }>> {
  const r = await db.query(`select coalesce(partner_id, '') as p, reason_code, count(*)::int as n from exceptions where state = 'open' group by 1, 2`);
  return r.rows.map((x) => ({ partnerId: x.p, reasonCode: x.reason_code, count: x.n }));
}
