/**
 * What a translated inbound document tells the order tracking (src/acks): an inbound 997/999/TA1 or
 * cXML Response answers one of our outbound documents; an 855 answers a purchase order; ship notices and
 * invoices move the order along. Called in the transaction that stores the canonical document.
 */
import type { Queryable } from '../db/pool.ts';
import type { CanonicalDocument, Order } from '../../translators/types.ts';
import type { PartnerProfile } from '../../translators/profile.ts';
import type { StoredDocument } from '../store/documents.ts';

export async function recordTranslated(_db: Queryable, _doc: CanonicalDocument, _documentId: string, _partnerId: string | null): Promise<void> {
  // wired to src/acks once it lands
}

export async function recordApplied(_db: Queryable, _doc: CanonicalDocument, _documentId: string, _partnerId: string | null, _outcome: unknown): Promise<void> {
  // wired to src/acks once it lands
}

export async function recordDelivered(_db: Queryable, _doc: StoredDocument, _receipt: { remoteRef?: string; response?: Buffer }): Promise<void> {
  // wired to src/acks once it lands
}

export async function recordOrderExported(_db: Queryable, _e: { order: Order; document: StoredDocument; profile: PartnerProfile; odooPurchaseOrderId: number; payloadId?: string }): Promise<void> {
  // wired to src/acks once it lands
}
