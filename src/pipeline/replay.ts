/**
 * Replay: process a stored inbound document again from its raw bytes. The raw bytes are never
 * changed; every effect downstream is keyed by business key, so a replay never applies twice.
 */
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import { withTransaction } from '../db/tx.ts';
import { GatewayError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { getDocument, setDocumentState } from '../store/documents.ts';
import { sendInTransaction } from './boss.ts';
import { QUEUES } from './queues.ts';

export async function replayDocument(deps: { pool: pg.Pool; boss: PgBoss; log: Logger }, documentId: string, by: string): Promise<{ documentId: string; jobId: string }> {
  return withTransaction(deps.pool, async (client) => {
    const doc = await getDocument(client, documentId);
    if (!doc) throw new GatewayError('document-not-found', `no document ${documentId}`, { expose: true, status: 404 });
    if (doc.direction !== 'inbound' || doc.parentId !== null) {
      throw new GatewayError('not-replayable', `document ${documentId} is not a received file or request; replay its top-level document`, { expose: true, status: 409 });
    }
    await setDocumentState(client, doc.id, 'input_received', { reason: 'replay', detail: { by, previousState: doc.state } });
    const jobId = await sendInTransaction(deps.boss, client, QUEUES.parse, { documentId: doc.id, correlationId: doc.correlationId });
    deps.log.info({ documentId: doc.id, correlationId: doc.correlationId, by }, 'document replayed');
    return { documentId: doc.id, jobId };
  });
}
