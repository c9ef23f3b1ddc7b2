/**
 * The one way a document enters the gateway: its bytes are stored and its first job queued in one
 * Postgres statement (both or neither). The same bytes from the same partner are stored once.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { Queryable } from '../db/pool.ts';
import { INSERT_DOCUMENT, documentInsertValues, findOriginal, storedEventDetail, type NewDocument } from '../store/documents.ts';
import { documentLogger, type Logger } from '../log.ts';
import { jobInsertFragment } from './boss.ts';
import { QUEUES, type QueueName } from './queues.ts';

export interface IngestRequest {
  partnerId: string | null;
  format: 'x12' | 'cxml';
  transport: 'sftp' | 'http' | 'cli' | 'replay';
  raw: Buffer;
  /** when known already (cXML request type); an X12 file is an 'interchange' until parsed */
  docType?: string;
  source?: { remotePath?: string; remoteAddress?: string; remoteSize?: number; remoteMtime?: string; fileName?: string };
  businessKeys?: Record<string, string>;
  test?: boolean;
  state?: 'input_received' | 'input_quarantined';
  correlationId?: string;
}

export interface IngestResult { documentId: string; correlationId: string; created: boolean; duplicateOf?: string }

export interface IngestDeps { pool: pg.Pool; boss: PgBoss; log: Logger; wake?: (queue: QueueName) => void }

/**
 * The SQL (a json array for jobInsertFragment) of the first job of a document just inserted by the CTE
 * `docCte` (returning id, correlation_id, state) on the queue named by `queueParam`: one when it was
 * received for processing, none when it was quarantined or not inserted (the same bytes stored before).
 */
export function firstJobOf(docCte: string, queueParam: string): string {
  return `(select json_agg(json_build_object('name', ${queueParam}::text, 'data', json_build_object('documentId', id::text, 'correlationId', correlation_id)))
             from ${docCte} where state = 'input_received')`;
}

/**
 * One statement, so one round trip (and one commit when the caller has no transaction open): the
 * document, its 'stored' audit event and, when it was received for processing, its parse job. When a
 * job was due but pg-boss inserted none, the event's name is null and the whole statement fails.
 */
async function ingestWith(deps: IngestDeps, db: Queryable, req: IngestRequest): Promise<IngestResult> {
  const doc: NewDocument = {
    direction: 'inbound',
    partnerId: req.partnerId,
    format: req.format,
    docType: req.docType ?? (req.format === 'x12' ? 'interchange' : 'cxml'),
    transport: req.transport,
    raw: req.raw,
    state: req.state ?? 'input_received',
    remotePath: req.source?.remotePath,
    remoteAddress: req.source?.remoteAddress,
    source: req.source ?? {},
    correlationId: req.correlationId ?? randomUUID(),
    businessKeys: req.businessKeys,
    test: req.test,
  };
  const { values, hash } = documentInsertValues(doc);
  const at = values.length; // the document's parameters come first: $1..$22
  const job = await jobInsertFragment(deps.boss, firstJobOf('doc', `$${at + 2}`), at + 3);
  const r = await db.query<{ document_id: string | null }>({
    name: `ingest.store/${job.schema}`,
    text: `with doc as (${INSERT_DOCUMENT} returning id, correlation_id, state),
     job as (${job.sql} returning id),
     event as (
       insert into document_events (document_id, state, event, detail)
       select id, state, case when state = 'input_received' and not exists (select 1 from job) then null else 'stored' end, $${at + 1}::jsonb from doc)
     select (select id::text from doc) as document_id`,
    values: [...values, JSON.stringify(storedEventDetail(doc, hash)), QUEUES.parse, ...job.values],
  });
  const documentId = r.rows[0]?.document_id;
  if (documentId) return { documentId, correlationId: doc.correlationId!, created: true };
  const original = await findOriginal(db, req.partnerId, hash);
  return { documentId: original.id, correlationId: original.correlationId, created: false, duplicateOf: original.id };
}

/**
 * Stores the document and queues `document.parse`. Pass `client` to run inside a transaction the
 * caller already opened (the caller then commits, and should wake the parse worker after).
 */
export async function ingestDocument(deps: IngestDeps, req: IngestRequest, client?: pg.PoolClient): Promise<IngestResult> {
  const result = await ingestWith(deps, client ?? deps.pool, req);
  const log = documentLogger(deps.log, { documentId: result.documentId, partnerId: req.partnerId, correlationId: result.correlationId });
  if (result.created) {
    log.info({ state: req.state ?? 'input_received', transport: req.transport, size: req.raw.length, docType: req.docType }, 'document stored');
    if (!client) deps.wake?.(QUEUES.parse);
  } else {
    log.info({ transport: req.transport }, 'duplicate of a stored document: not stored again');
  }
  return result;
}
