/**
 * The one way a document enters the gateway: its bytes are stored and its first job queued in one
 * Postgres transaction (both or neither). The same bytes from the same partner are stored once.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import { withTransaction } from '../db/tx.ts';
import { insertDocument } from '../store/documents.ts';
import { documentLogger, type Logger } from '../log.ts';
import { sendInTransaction } from './boss.ts';
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

async function ingestWith(deps: IngestDeps, client: pg.PoolClient, req: IngestRequest): Promise<IngestResult> {
  const state = req.state ?? 'input_received';
  const { document, created } = await insertDocument(client, {
    direction: 'inbound',
    partnerId: req.partnerId,
    format: req.format,
    docType: req.docType ?? (req.format === 'x12' ? 'interchange' : 'cxml'),
    transport: req.transport,
    raw: req.raw,
    state,
    remotePath: req.source?.remotePath,
    remoteAddress: req.source?.remoteAddress,
    source: req.source ?? {},
    correlationId: req.correlationId ?? randomUUID(),
    businessKeys: req.businessKeys,
    test: req.test,
  });
  if (!created) {
    return { documentId: document.id, correlationId: document.correlationId, created: false, duplicateOf: document.id };
  }
  if (state === 'input_received') {
    await sendInTransaction(deps.boss, client, QUEUES.parse, { documentId: document.id, correlationId: document.correlationId });
  }
  return { documentId: document.id, correlationId: document.correlationId, created: true };
}

/**
 * Stores the document and queues `document.parse`. Pass `client` to run inside a transaction the
 * caller already opened (the caller then commits, and should wake the parse worker after).
 */
export async function ingestDocument(deps: IngestDeps, req: IngestRequest, client?: pg.PoolClient): Promise<IngestResult> {
  const result = client ? await ingestWith(deps, client, req) : await withTransaction(deps.pool, (c) => ingestWith(deps, c, req));
  const log = documentLogger(deps.log, { documentId: result.documentId, partnerId: req.partnerId, correlationId: result.correlationId });
  if (result.created) {
    log.info({ state: req.state ?? 'input_received', transport: req.transport, size: req.raw.length, docType: req.docType }, 'document stored');
    if (!client) deps.wake?.(QUEUES.parse);
  } else {
    log.info({ transport: req.transport }, 'duplicate of a stored document: not stored again');
  }
  return result;
}
