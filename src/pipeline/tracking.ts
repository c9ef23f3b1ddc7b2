/**
 * What the pipeline tells the order tracking (src/acks), each call inside the transaction of the step:
 *  - an exported order expects its 997/999 (or cXML Response) and its 855 within the profile's hours;
 *  - a delivery starts those deadlines;
 *  - an inbound 997/999/TA1 answers one of our outbound documents; an 855 answers a purchase order;
 *  - ship notices and invoices move the order along.
 */
import type { Queryable } from '../db/pool.ts';
import type { CanonicalDocument, FunctionalAck, Order } from '../../translators/types.ts';
import { translateCxml } from '../../translators/cxml/index.ts';
import { TranslationError } from '../../translators/errors.ts';
import type { PartnerProfile } from '../../translators/profile.ts';
import { appendEvent, insertDocument, type StoredDocument } from '../store/documents.ts';
import { expectAcknowledgements, markSent, recordFunctionalAck, recordOrderAck, type StaleOrderAck } from '../acks/expectations.ts';
import { recordInvoice, recordOrderSent, recordShipment } from '../acks/orders.ts';

/** At translation: acknowledgements are matched at once (they change nothing in Odoo). */
export async function recordTranslated(db: Queryable, doc: CanonicalDocument, documentId: string, partnerId: string | null): Promise<void> {
  if (doc.type === 'functional-ack') await recordFunctionalAck(db, doc, documentId, partnerId);
}

/** Once applied to Odoo: the order's acknowledgement, shipments and invoices. */
export async function recordApplied(db: Queryable, doc: CanonicalDocument, documentId: string, partnerId: string | null, staleAck?: StaleOrderAck): Promise<void> {
  if (doc.type === 'order-ack') await recordOrderAck(db, doc, documentId, partnerId, staleAck);
  else if (doc.type === 'ship-notice' && partnerId) await recordShipment(db, doc, documentId, partnerId);
  else if (doc.type === 'invoice' && partnerId) await recordInvoice(db, doc, documentId, partnerId);
}

/** The document was delivered now: its state and audit event, and the deadlines of what it expects, in one statement. */
export function markDelivered(db: Queryable, documentId: string, detail: Record<string, unknown>): Promise<void> {
  return markSent(db, documentId, new Date(), { state: 'output_sent', reason: 'delivered', detail });
}

/** True when recordDelivered is one statement: nothing but the document itself to update (an acknowledgement we send). */
export function deliveryIsOneStatement(doc: StoredDocument, receipt: { response?: Buffer }): boolean {
  return !receipt.response && !doc.businessKeys.poNumber;
}

/**
 * A delivery sets the document's state and starts the acknowledgement deadlines. A cXML OrderRequest's
 * synchronous Response is its acknowledgement of receipt: recorded against our payloadID like a 997.
 */
export async function recordDelivered(db: Queryable, doc: StoredDocument, receipt: { remoteRef?: string; response?: Buffer }, detail: Record<string, unknown>): Promise<void> {
  await markDelivered(db, doc.id, detail);
  if (receipt.response) await appendEvent(db, doc.id, { event: 'response-received', detail: { size: receipt.response.length } });
  if (doc.format !== 'cxml' || !receipt.response || !doc.businessKeys.payloadId) return;
  let ack: FunctionalAck | undefined;
  try {
    ack = translateCxml(receipt.response).documents.find((d): d is FunctionalAck => d.type === 'functional-ack');
  } catch (err) {
    if (!(err instanceof TranslationError)) throw err;
  }
  const answer = { ...(ack ?? { type: 'functional-ack' as const, ackFormat: 'cxml-response' as const, transactions: [], errors: ['the answer is not a readable cXML Response'] }), referencePayloadId: doc.businessKeys.payloadId, partnerId: doc.partnerId ?? undefined };
  // the Response is kept like any document we receive, as a child of the request it answers
  const { document: stored } = await insertDocument(db, {
    direction: 'inbound', partnerId: doc.partnerId, format: 'cxml', docType: 'Response', transport: 'cxml-http', raw: receipt.response,
    state: 'input_recorded', correlationId: doc.correlationId, parentId: doc.id, childKey: 'response', canonical: answer,
    businessKeys: { payloadId: doc.businessKeys.payloadId, ...(doc.businessKeys.poNumber ? { poNumber: doc.businessKeys.poNumber } : {}) },
  });
  if (ack) await recordFunctionalAck(db, answer, stored.id, doc.partnerId);
}

export async function recordOrderExported(db: Queryable, e: { order: Order; document: StoredDocument; profile: PartnerProfile; odooPurchaseOrderId: number; payloadId?: string }): Promise<void> {
  const revision = e.order.revision ?? '0';
  await recordOrderSent(db, { partnerId: e.profile.id, poNumber: e.order.poNumber, revision, outboundDocumentId: e.document.id, odooPurchaseOrderId: e.odooPurchaseOrderId, order: e.order });
  await expectAcknowledgements(db, {
    partnerId: e.profile.id, poNumber: e.order.poNumber, revision, outboundDocumentId: e.document.id,
    format: e.document.format === 'cxml' ? 'cxml' : 'x12',
    interchangeControl: e.document.interchangeControl ?? undefined, groupControl: e.document.groupControl ?? undefined,
    transactionControl: e.document.transactionControl ?? undefined, payloadId: e.payloadId,
    functionalAckHours: e.profile.acks?.functionalAckHours ?? 4,
    orderAckHours: e.profile.acks?.expectOrderAck === false || (e.order.purpose === 'cancel' && !e.profile.acks?.orderAckForCancellations)
      ? null : e.profile.acks?.orderAckHours ?? 48,
  });
}
