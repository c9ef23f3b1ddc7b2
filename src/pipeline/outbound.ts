/**
 * Storing what we send: the outbound document (raw bytes, control numbers, parent) and its delivery
 * job in the caller's transaction. A partner without a running transport for it keeps the document
 * as `output_held`, visible to operators, until one is configured and it is retried.
 */
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { PartnerProfile } from '../../translators/profile.ts';
import type { TransportKind } from '../context.ts';
import { insertDocument, setDocumentState, type StoredDocument } from '../store/documents.ts';
import { openException } from '../store/exceptions.ts';
import { sendInTransaction, type JobBatch } from './boss.ts';
import { QUEUES, type DeliverJob } from './queues.ts';

export interface OutboundRequest {
  partner: PartnerProfile | undefined;
  partnerId: string | null;
  format: 'x12' | 'cxml';
  docType: string;
  raw: Buffer;
  fileName: string;
  correlationId: string;
  parentId?: string;
  childKey?: string;
  businessKeys?: Record<string, string>;
  interchangeControl?: string;
  groupControl?: string;
  transactionControl?: string;
  test?: boolean;
}

/** The transport that carries this format to this partner, if the partner has one enabled. */
export function transportFor(partner: PartnerProfile | undefined, format: 'x12' | 'cxml'): TransportKind | undefined {
  if (!partner?.enabled) return undefined;
  if (format === 'x12' && partner.sftp && partner.sftp.enabled !== false) return 'sftp';
  if (format === 'cxml' && partner.cxml?.orderUrl) return 'cxml-http';
  return undefined;
}

/** Stores the document and queues its delivery; with `jobs`, the delivery job joins that batch (the caller inserts it before committing). */
export async function storeOutbound(boss: PgBoss, client: pg.PoolClient, req: OutboundRequest, jobs?: JobBatch): Promise<{ document: StoredDocument; created: boolean; queued: boolean }> {
  const { document, created } = await insertDocument(client, {
    direction: 'outbound', partnerId: req.partnerId, format: req.format, docType: req.docType, transport: transportFor(req.partner, req.format) ?? 'none',
    raw: req.raw, state: 'output_created', correlationId: req.correlationId, parentId: req.parentId, childKey: req.childKey,
    businessKeys: req.businessKeys, interchangeControl: req.interchangeControl, groupControl: req.groupControl,
    transactionControl: req.transactionControl, test: req.test, source: { fileName: req.fileName },
  });
  if (!created) return { document, created, queued: false };
  const transport = transportFor(req.partner, req.format);
  if (!transport || !req.partnerId) {
    await setDocumentState(client, document.id, 'output_held', { reason: 'no-transport', detail: { message: `partner ${req.partnerId ?? '(unknown)'} has no enabled ${req.format === 'x12' ? 'SFTP' : 'cXML'} transport` } });
    if (req.partnerId && req.partner?.enabled) {
      await openException(client, { documentId: document.id, partnerId: req.partnerId, reasonCode: 'no-transport', message: `${req.docType} for ${req.partnerId} is held: the partner has no enabled ${req.format === 'x12' ? 'SFTP' : 'cXML'} transport` });
    }
    return { document, created, queued: false };
  }
  const job: DeliverJob = { documentId: document.id, correlationId: req.correlationId, partnerId: req.partnerId, transport, fileName: req.fileName };
  if (carriesItsBytes(req)) job.bytes = req.raw.toString('base64');
  if (jobs) jobs.add(QUEUES.deliver, job);
  else await sendInTransaction(boss, client, QUEUES.deliver, job);
  return { document, created, queued: true };
}

/** Largest acknowledgement whose bytes ride in its delivery job. */
const INLINE_DELIVERY_BYTES = 4096;

/**
 * A small X12 acknowledgement (no purchase order behind it, nothing to note in Odoo) travels in its
 * delivery job, so the first attempt sends it and marks it sent in one statement without reading it.
 */
function carriesItsBytes(req: OutboundRequest): boolean {
  return req.format === 'x12' && !req.businessKeys?.poNumber && req.raw.length <= INLINE_DELIVERY_BYTES;
}
