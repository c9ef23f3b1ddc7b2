/** The SQL of the cXML endpoint, in one place: answered payloadIDs and refusals. */
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import { INSERT_DOCUMENT, documentInsertValues, storedEventDetail, type NewDocument } from '../store/documents.ts';
import type { QueueName } from '../pipeline/queues.ts';
import { jobInsertFragment } from '../pipeline/boss.ts';
import { firstJobOf } from '../pipeline/ingest.ts';

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export interface AnsweredRequest { bodySha256: string; status: number; response: Buffer; documentId: string | null }

export async function findAnswered(db: Queryable, partnerId: string, payloadId: string): Promise<AnsweredRequest | undefined> {
  const r = await db.query<{ body_sha256: string; status: number; response: Buffer; document_id: string | null }>(
    'select body_sha256, status, response, document_id from cxml_requests where partner_id = $1 and payload_id = $2', [partnerId, payloadId]);
  const row = r.rows[0];
  return row && { bodySha256: row.body_sha256, status: row.status, response: row.response, documentId: row.document_id };
}

/** false when another request with this (partner, payloadID) committed first: the unique key decides. */
export async function recordAnswer(db: Queryable, a: { partnerId: string; payloadId: string; bodySha256: string; status: number; response: Buffer; documentId?: string; requestName: string }): Promise<boolean> {
  const r = await db.query(
    `insert into cxml_requests (partner_id, payload_id, body_sha256, status, response, document_id, request_name)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict (partner_id, payload_id) do nothing returning id`,
    [a.partnerId, a.payloadId, a.bodySha256, a.status, a.response, a.documentId ?? null, a.requestName]);
  return r.rowCount === 1;
}

export interface Refusal { status: number; reason: string; remoteAddress?: string; senderDomain?: string; senderIdentity?: string; partnerId?: string; payloadId?: string; size?: number }

export async function recordRefusal(db: Queryable, r: Refusal): Promise<void> {
  await db.query(
    `insert into cxml_refusals (status, reason, remote_address, sender_domain, sender_identity, partner_id, payload_id, size)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [r.status, r.reason.slice(0, 1000), r.remoteAddress ?? null, r.senderDomain ?? null, r.senderIdentity ?? null, r.partnerId ?? null, r.payloadId ?? null, r.size ?? null]);
}

export interface StoredRequest { documentId: string; created: boolean }

/**
 * One statement, so one round trip and atomic without BEGIN/COMMIT: the document, its 'stored' audit
 * event (and 'cxml-refused' when quarantined), the parse job when it was received for processing, the
 * link event on the outbound document a StatusUpdateRequest reports on, and the answer row. The same
 * bytes stored before by another path are not stored again (no job), as in ingestDocument. A payloadID
 * answered before fails the whole statement on the answer's unique key (23505): the caller replays.
 * When a job was due but pg-boss inserted none, the answer's status is null and the statement fails.
 */
export async function storeRequest(db: Pick<pg.Pool, 'query'>, boss: PgBoss, queue: QueueName, r: {
  document: NewDocument;
  refused?: Record<string, unknown>;
  statusUpdate?: { referencePayloadId: string; detail: Record<string, unknown> };
  answer: { partnerId: string; payloadId: string; bodySha256: string; status: number; response: Buffer; requestName: string };
}): Promise<StoredRequest> {
  const { values, hash } = documentInsertValues(r.document);
  const at = values.length; // the document's parameters come first: $1..$22
  const n = (k: number): string => `$${at + k}`;
  // pg-boss's parameters follow ours; its jobs are the parse job of the document inserted here
  const job = await jobInsertFragment(boss, firstJobOf('doc', n(5)), at + 12);
  const result = await db.query<{ document_id: string | null; existing_id: string | null }>({
    name: `cxml-store-request/${job.schema}`,
    text: `with doc as (${INSERT_DOCUMENT} returning id, correlation_id, state),
     events as (
       insert into document_events (document_id, state, event, detail)
       select doc.id, doc.state, e.event, e.detail from doc, (values (1, 'stored', ${n(1)}::jsonb), (2, 'cxml-refused', ${n(2)}::jsonb)) as e (k, event, detail)
       where e.detail is not null order by e.k),
     existing as (
       select id from documents
        where direction = 'inbound' and parent_id is null and duplicate_of is null and coalesce(partner_id, '') = coalesce($2, '') and sha256 = $10),
     linked as (
       insert into document_events (document_id, event, detail)
       select t.id, 'cxml-status-update', ${n(4)}::jsonb || jsonb_build_object('documentId', coalesce((select id from doc), (select id from existing))::text)
         from (select id from documents where direction = 'outbound' and format = 'cxml' and business_keys->>'payloadId' = ${n(3)} order by id limit 1) t),
     job as (${job.sql} returning id),
     answer as (
       insert into cxml_requests (partner_id, payload_id, body_sha256, status, response, document_id, request_name)
       values (${n(6)}, ${n(7)}, ${n(8)},
               case when exists (select 1 from doc where state = 'input_received') and not exists (select 1 from job) then null else ${n(9)}::int end,
               ${n(10)}, coalesce((select id from doc), (select id from existing)), ${n(11)}))
     select (select id::text from doc) as document_id, (select id::text from existing) as existing_id`,
    values: [
      ...values,
      JSON.stringify(storedEventDetail(r.document, hash)), r.refused ? JSON.stringify(r.refused) : null,
      r.statusUpdate?.referencePayloadId ?? null, JSON.stringify(r.statusUpdate?.detail ?? {}), queue,
      r.answer.partnerId, r.answer.payloadId, r.answer.bodySha256, r.answer.status, r.answer.response, r.answer.requestName,
      ...job.values,
    ] });
  const row = result.rows[0]!;
  const documentId = row.document_id ?? row.existing_id;
  if (!documentId) throw new Error('the document was neither stored nor found stored before');
  return { documentId, created: row.document_id !== null };
}
