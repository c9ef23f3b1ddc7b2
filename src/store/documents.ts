/**
 * The document store: raw bytes (append-only) with metadata and lineage, and the audit trail of
 * every state change. States name their direction, after OCA edi_oca:
 *   input_received → input_parsed → input_translated → input_applied   (or input_rejected, input_quarantined,
 *   input_duplicate, input_failed)
 *   output_created → output_sent → output_acknowledged                 (or output_failed, output_rejected)
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Queryable } from '../db/pool.ts';

export type Direction = 'inbound' | 'outbound';
export type DocumentFormat = 'x12' | 'cxml' | 'json';

export interface NewDocument {
  direction: Direction;
  partnerId: string | null;
  format: DocumentFormat;
  docType: string;
  transport: string;
  raw: Buffer;
  /** the hex SHA-256 of raw, when the caller computed it already (off the event loop for a large body) */
  sha256?: string;
  state: string;
  remotePath?: string;
  remoteAddress?: string;
  source?: Record<string, unknown>;
  correlationId?: string;
  businessKeys?: Record<string, string>;
  interchangeControl?: string;
  groupControl?: string;
  transactionControl?: string;
  parentId?: string;
  /** a child's position under its parent (e.g. ISA13/GS06/ST02): one child per parent and key */
  childKey?: string;
  test?: boolean;
  canonical?: unknown;
  /** canonical as JSON text already (made off the event loop for a large document) */
  canonicalJson?: string;
  errors?: unknown;
}

export interface StoredDocument {
  id: string;
  direction: Direction;
  partnerId: string | null;
  format: DocumentFormat;
  docType: string;
  transport: string;
  remotePath: string | null;
  remoteAddress: string | null;
  source: Record<string, unknown>;
  sha256: string;
  size: number;
  correlationId: string;
  businessKeys: Record<string, string>;
  interchangeControl: string | null;
  groupControl: string | null;
  transactionControl: string | null;
  parentId: string | null;
  childKey: string | null;
  duplicateOf: string | null;
  state: string;
  test: boolean;
  canonical: unknown;
  errors: unknown;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, direction, partner_id, format, doc_type, transport, remote_path, remote_address, source, sha256, size,
  correlation_id, business_keys, interchange_control, group_control, transaction_control, parent_id, child_key, duplicate_of,
  state, test, canonical, errors, created_at, updated_at`;

type Row = Record<string, unknown>;
function fromRow(r: Row): StoredDocument {
  return {
    id: String(r.id),
    direction: r.direction as Direction,
    partnerId: (r.partner_id as string | null) ?? null,
    format: r.format as DocumentFormat,
    docType: r.doc_type as string,
    transport: r.transport as string,
    remotePath: (r.remote_path as string | null) ?? null,
    remoteAddress: (r.remote_address as string | null) ?? null,
    source: (r.source as Record<string, unknown>) ?? {},
    sha256: r.sha256 as string,
    size: Number(r.size),
    correlationId: r.correlation_id as string,
    businessKeys: (r.business_keys as Record<string, string>) ?? {},
    interchangeControl: (r.interchange_control as string | null) ?? null,
    groupControl: (r.group_control as string | null) ?? null,
    transactionControl: (r.transaction_control as string | null) ?? null,
    parentId: r.parent_id === null || r.parent_id === undefined ? null : String(r.parent_id),
    childKey: (r.child_key as string | null) ?? null,
    duplicateOf: r.duplicate_of === null || r.duplicate_of === undefined ? null : String(r.duplicate_of),
    state: r.state as string,
    test: Boolean(r.test),
    canonical: r.canonical ?? null,
    errors: r.errors ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Inserts a new document from documentInsertValues ($1..$22), nothing on conflict; composable into larger statements. */
export const INSERT_DOCUMENT = `insert into documents (direction, partner_id, format, doc_type, transport, remote_path, remote_address, source, raw, sha256, size,
       correlation_id, business_keys, interchange_control, group_control, transaction_control, parent_id, state, test, canonical, errors, child_key)
     values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22)
     on conflict do nothing`;

export function documentInsertValues(doc: NewDocument): { values: unknown[]; hash: string } {
  const hash = doc.sha256 ?? sha256(doc.raw);
  const values = [
    doc.direction, doc.partnerId, doc.format, doc.docType, doc.transport, doc.remotePath ?? null, doc.remoteAddress ?? null,
    JSON.stringify(doc.source ?? {}), doc.raw, hash, doc.raw.length, doc.correlationId ?? randomUUID(),
    JSON.stringify(doc.businessKeys ?? {}), doc.interchangeControl ?? null, doc.groupControl ?? null, doc.transactionControl ?? null,
    doc.parentId ?? null, doc.state, doc.test ?? false,
    doc.canonicalJson ?? (doc.canonical === undefined ? null : JSON.stringify(doc.canonical)), doc.errors === undefined ? null : JSON.stringify(doc.errors),
    doc.childKey ?? null,
  ];
  return { values, hash };
}

/** The detail of a new document's first audit event ('stored'). */
export function storedEventDetail(doc: NewDocument, hash: string): Record<string, unknown> {
  return { sha256: hash, size: doc.raw.length, transport: doc.transport };
}

/**
 * Inserts a document and its first audit event, in one statement. For top-level inbound documents the same
 * bytes from the same partner are stored once: the second insert returns the original with created = false.
 */
export async function insertDocument(db: Queryable, doc: NewDocument): Promise<{ document: StoredDocument; created: boolean }> {
  const { values, hash } = documentInsertValues(doc);
  const inserted = await db.query({
    name: 'documents.insert',
    text: `with d as (${INSERT_DOCUMENT} returning ${COLUMNS}),
       e as (insert into document_events (document_id, state, event, detail) select id, state, 'stored', $23 from d)
     select * from d`,
    values: [...values, JSON.stringify(storedEventDetail(doc, hash))],
  });
  const row = inserted.rows[0];
  if (row) return { document: fromRow(row), created: true };
  if (doc.parentId && doc.childKey) {
    const child = await db.query(`select ${COLUMNS} from documents where parent_id = $1 and child_key = $2`, [doc.parentId, doc.childKey]);
    if (child.rows[0]) return { document: fromRow(child.rows[0]), created: false };
  }
  return { document: await findOriginal(db, doc.partnerId, hash), created: false };
}

/** The top-level inbound document these bytes (by hash) from this partner were first stored as, after an insert found them stored. */
export async function findOriginal(db: Queryable, partnerId: string | null, hash: string): Promise<StoredDocument> {
  const existing = await db.query(
    `select ${COLUMNS} from documents
      where direction = 'inbound' and parent_id is null and duplicate_of is null and coalesce(partner_id, '') = coalesce($1, '') and sha256 = $2`,
    [partnerId, hash],
  );
  if (!existing.rows[0]) throw new Error('insert conflicted but no original document was found');
  return fromRow(existing.rows[0]);
}

export async function getDocument(db: Queryable, id: string): Promise<StoredDocument | undefined> {
  const r = await db.query({ name: 'documents.get', text: `select ${COLUMNS} from documents where id = $1`, values: [id] });
  return r.rows[0] ? fromRow(r.rows[0]) : undefined;
}

/**
 * Raw bytes up to this size come back inline with the row. Larger ones are read on their own, as rows
 * of RAW_CHUNK_BYTES each: Postgres sends bytea as hex text, and node-pg decodes every value of a row
 * in one go, so a 17 MB invoice in one value would hold the event loop ~150 ms (a string twice its
 * size, then the hex); chunk by chunk, other work runs between them.
 */
const INLINE_RAW_BYTES = 256 * 1024;
const RAW_CHUNK_BYTES = 1024 * 1024;

export async function getRaw(db: Queryable, id: string): Promise<Buffer | undefined> {
  const r = await db.query<{ chunk: Buffer | null }>({
    name: 'documents.get-raw',
    text: `select substring(d.raw from g for ${RAW_CHUNK_BYTES}) as chunk
             from documents d, generate_series(1, greatest(length(d.raw), 1), ${RAW_CHUNK_BYTES}) g where d.id = $1 order by g`,
    values: [id],
  });
  if (r.rows.length === 0) return undefined;
  return Buffer.concat(r.rows.map((row) => row.chunk ?? Buffer.alloc(0)));
}

/** A document and its raw bytes, in one round trip unless the bytes are large. */
export async function getDocumentWithRaw(db: Queryable, id: string): Promise<{ document: StoredDocument; raw: Buffer } | undefined> {
  const r = await db.query({ name: 'documents.get-with-raw', text: `select ${COLUMNS}, case when size <= ${INLINE_RAW_BYTES} then raw end as raw from documents where id = $1`, values: [id] });
  const row = r.rows[0];
  if (!row) return undefined;
  const raw = (row.raw as Buffer | null) ?? await getRaw(db, id);
  if (!raw) throw new Error(`document ${id} has no raw bytes`);
  return { document: fromRow(row), raw };
}

const D_COLUMNS = COLUMNS.split(',').map((c) => `d.${c.trim()}`).join(', ');

/** A canonical document with its parent's format, and for an invoice the parent's raw bytes (the original file), in one round trip unless they are large. */
export async function getDocumentWithParent(db: Queryable, id: string): Promise<{ document: StoredDocument; parentFormat?: DocumentFormat; parentRaw?: Buffer } | undefined> {
  const r = await db.query({
    name: 'documents.get-with-parent',
    text: `select ${D_COLUMNS}, p.format as parent_format, d.doc_type = 'invoice' and p.id is not null as wants_parent_raw,
                  case when d.doc_type = 'invoice' and p.size <= ${INLINE_RAW_BYTES} then p.raw end as parent_raw
             from documents d left join documents p on p.id = d.parent_id where d.id = $1`,
    values: [id],
  });
  const row = r.rows[0];
  if (!row) return undefined;
  const parentRaw = (row.parent_raw as Buffer | null) ?? (row.wants_parent_raw ? await getRaw(db, String(row.parent_id)) : undefined);
  return { document: fromRow(row), parentFormat: row.parent_format ?? undefined, parentRaw };
}

/** Changes a document's state and records the change in the audit trail, in one statement. */
export async function setDocumentState(db: Queryable, id: string, state: string, event: StateEvent = {}): Promise<void> {
  await db.query({
    name: 'documents.set-state',
    text: `with u as (update documents set state = $2 where id = $1 returning id)
     insert into document_events (document_id, state, event, detail) select id, $2, $3, $4 from u`,
    values: [id, state, event.reason ?? 'state-changed', JSON.stringify(event.detail ?? {})],
  });
}

export interface StateEvent { reason?: string; detail?: Record<string, unknown> }

export interface ResultFields {
  canonical?: unknown; errors?: unknown; businessKeys?: Record<string, string>; test?: boolean; duplicateOf?: string;
  partnerId?: string; docType?: string; interchangeControl?: string;
}

/** The SET list of updateDocumentResult over resultValues ($1 = id, $2..$9). */
const SET_RESULT = `canonical = coalesce($2::jsonb, canonical),
       errors = coalesce($3::jsonb, errors),
       business_keys = business_keys || coalesce($4::jsonb, '{}'::jsonb),
       test = coalesce($5, test),
       duplicate_of = coalesce($6, duplicate_of),
       partner_id = coalesce(partner_id, $7),
       doc_type = coalesce($8, doc_type),
       interchange_control = coalesce(interchange_control, $9)`;

function resultValues(id: string, fields: ResultFields): unknown[] {
  return [
    id,
    fields.canonical === undefined ? null : JSON.stringify(fields.canonical),
    fields.errors === undefined ? null : JSON.stringify(fields.errors),
    fields.businessKeys === undefined ? null : JSON.stringify(fields.businessKeys),
    fields.test ?? null,
    fields.duplicateOf ?? null,
    fields.partnerId ?? null,
    fields.docType ?? null,
    fields.interchangeControl ?? null,
  ];
}

/** Sets what translation produced (canonical JSON, business keys, errors) without touching the raw bytes. */
export async function updateDocumentResult(db: Queryable, id: string, fields: ResultFields): Promise<void> {
  await db.query({ name: 'documents.update-result', text: `update documents set ${SET_RESULT} where id = $1`, values: resultValues(id, fields) });
}

/** updateDocumentResult and setDocumentState in one statement. */
export async function updateDocumentResultAndState(db: Queryable, id: string, fields: ResultFields, state: string, event: StateEvent = {}): Promise<void> {
  await db.query(resultAndStateStatement(id, fields, state, event));
}

/** The statement of updateDocumentResultAndState, for a caller that adds to it (a step's jobs). */
export function resultAndStateStatement(id: string, fields: ResultFields, state: string, event: StateEvent = {}): { name: string; text: string; values: unknown[] } {
  return {
    name: 'documents.update-result-and-state',
    text: `with u as (update documents set ${SET_RESULT}, state = $10 where id = $1 returning id)
     insert into document_events (document_id, state, event, detail) select id, $10, $11, $12 from u`,
    values: [...resultValues(id, fields), state, event.reason ?? 'state-changed', JSON.stringify(event.detail ?? {})],
  };
}

/**
 * updateDocumentResult with what a file's envelope says, and in the same round trip the earlier top-level
 * document from the same sender with the same interchange control number within the window (a duplicate).
 */
export async function updateEnvelopeAndFindDuplicate(db: Queryable, id: string, fields: ResultFields,
  window: { partnerId: string; interchangeControl: string; days: number } | undefined): Promise<string | undefined> {
  const r = await db.query<{ id: string }>({
    name: 'documents.update-envelope-find-duplicate',
    text: `with u as (update documents set ${SET_RESULT} where id = $1)
     select id from documents where $10::text is not null and direction = 'inbound' and partner_id = $10 and interchange_control = $11 and parent_id is null
        and id <> $1 and created_at > now() - make_interval(days => $12) and state <> 'input_duplicate' order by id limit 1`,
    values: [...resultValues(id, fields), window?.partnerId ?? null, window?.interchangeControl ?? null, window?.days ?? 0],
  });
  return r.rows[0] ? String(r.rows[0].id) : undefined;
}

export interface AuditEvent { id: string; at: Date; state: string | null; event: string; detail: Record<string, unknown> }

export async function appendEvent(db: Queryable, documentId: string, e: { state?: string; event: string; detail?: Record<string, unknown> }): Promise<void> {
  await db.query('insert into document_events (document_id, state, event, detail) values ($1, $2, $3, $4)', [
    documentId, e.state ?? null, e.event, JSON.stringify(e.detail ?? {}),
  ]);
}

export async function listEvents(db: Queryable, documentId: string): Promise<AuditEvent[]> {
  const r = await db.query('select id, at, state, event, detail from document_events where document_id = $1 order by id', [documentId]);
  return r.rows.map((x) => ({ id: String(x.id), at: x.at, state: x.state, event: x.event, detail: x.detail }));
}

export interface DocumentFilter {
  partnerId?: string;
  docType?: string;
  state?: string;
  direction?: Direction;
  poNumber?: string;
  parentId?: string;
  /** keyset paging: documents with id below this */
  before?: string;
  limit?: number;
}

export async function findDocuments(db: Queryable, filter: DocumentFilter = {}): Promise<StoredDocument[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    values.push(v);
    where.push(sql.replace('?', `$${values.length}`));
  };
  if (filter.partnerId) add('partner_id = ?', filter.partnerId);
  if (filter.docType) add('doc_type = ?', filter.docType);
  if (filter.state) add('state = ?', filter.state);
  if (filter.direction) add('direction = ?', filter.direction);
  if (filter.poNumber) add(`business_keys->>'poNumber' = ?`, filter.poNumber);
  if (filter.parentId) add('parent_id = ?', filter.parentId);
  if (filter.before) add('id < ?', filter.before);
  values.push(Math.min(Math.max(filter.limit ?? 50, 1), 1000));
  const r = await db.query(
    `select ${COLUMNS} from documents ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit $${values.length}`,
    values,
  );
  return r.rows.map(fromRow);
}

/** Documents by type and state and partner, for /metrics. */
export async function countDocuments(db: Queryable): Promise<Array<{ partnerId: string; docType: string; state: string; count: number }>> {
  const r = await db.query(`select coalesce(partner_id, '') as partner_id, doc_type, state, count(*)::int as n from documents group by 1, 2, 3`);
  return r.rows.map((x) => ({ partnerId: x.partner_id, docType: x.doc_type, state: x.state, count: x.n }));
}
