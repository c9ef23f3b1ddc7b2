/**
 * odoo.apply: applies one canonical inbound document to Odoo (acknowledgement, receipt pre-fill, vendor
 * bill). Every write is keyed in the effect ledger, so a retry after a timeout or a replay finds what
 * was done. Missing prerequisites (PO not found yet, receipt not created) are retryable: the job waits.
 * What the business must look at (changed prices, short shipments, variances, duplicates) opens exceptions.
 */
import type { AppContext } from '../context.ts';
import type { JobContext } from './workers.ts';
import { transactionOn } from '../db/tx.ts';
import { withAdvisoryLocks } from '../db/advisory-locks.ts';
import { GatewayError } from '../errors.ts';
import { getDocumentWithParent, setDocumentState } from '../store/documents.ts';
import { openException } from '../store/exceptions.ts';
import { postgresLedger } from '../odoo/ledger.ts';
import { applyOrderAck } from '../odoo/apply/order-ack.ts';
import { applyShipNotice } from '../odoo/apply/ship-notice.ts';
import { applyInvoice } from '../odoo/apply/invoice.ts';
import type { ApplyOutcome } from '../odoo/apply/types.ts';
import { recordApplied } from './tracking.ts';
import { orderAckRevision, type StaleOrderAck } from '../acks/expectations.ts';
import type { CanonicalDocument } from '../../translators/types.ts';

const DONE = new Set(['input_applied', 'input_applied_with_exceptions']);

export async function handleApply(ctx: AppContext, job: JobContext<'odoo.apply'>): Promise<void> {
  const found = await getDocumentWithParent(ctx.pool, job.data.documentId);
  if (!found) throw new GatewayError('document-missing', `document ${job.data.documentId} does not exist`);
  const doc = found.document;
  if (DONE.has(doc.state)) {
    job.log.info({ state: doc.state }, 'already applied: nothing to do');
    return;
  }
  if (doc.test) {
    await setDocumentState(ctx.pool, doc.id, 'input_test', { reason: 'test-document-not-applied' });
    return;
  }
  if (!ctx.odoo) throw new GatewayError('odoo-not-configured', 'ODOO_URL is not set: the document waits until Odoo is configured', { retryable: true });
  const profile = doc.partnerId ? ctx.partners.get(doc.partnerId) : undefined;
  if (!profile) throw new GatewayError('unknown-partner', `document ${doc.id} has no partner profile: it cannot be applied to Odoo`);
  const canonical = doc.canonical as CanonicalDocument;
  const odoo = ctx.odoo;
  // documents about one purchase order (or one invoice number) are applied one at a time, across
  // workers and processes: a second 810 with the same number waits, then finds the first one's bill
  await withAdvisoryLocks(ctx.pool, applyLockKeys(canonical, profile.id), async (client) => {
    const deps = { odoo, ledger: postgresLedger(client, doc.id), log: job.log, recheck: job.data.recheck === true };
    let outcome: ApplyOutcome;
    let staleAck: StaleOrderAck | undefined;
    switch (canonical.type) {
      case 'order-ack': {
        // an acknowledgement of a revision the buyer has since changed describes an order that no longer is
        const revision = await orderAckRevision(client, profile.id, canonical);
        staleAck = revision.stale;
        outcome = staleAck
          ? { effects: [], exceptions: [], summary: `acknowledgement of revision ${staleAck.acknowledged} of ${canonical.poNumber}; revision ${staleAck.current} was sent since and awaits its own: recorded, not applied to Odoo` }
          : await applyOrderAck(deps, { ...canonical, revision: canonical.revision ?? revision.current }, profile);
        break;
      }
      case 'ship-notice':
        outcome = await applyShipNotice(deps, canonical, profile);
        break;
      case 'invoice': {
        const bytes = found.parentRaw;
        const cxml = found.parentFormat === 'cxml';
        const fileName = `${canonical.invoiceNumber}.${cxml ? 'xml' : 'edi'}`;
        outcome = await applyInvoice(deps, { ...canonical, documentId: doc.id }, profile, bytes ? { fileName, bytes, mimetype: cxml ? 'application/xml' : 'text/plain' } : undefined);
        break;
      }
      default:
        throw new GatewayError('not-applicable', `a ${canonical.type} document is not applied to Odoo`);
    }
    await transactionOn(client, async () => {
      for (const e of outcome.exceptions) {
        await openException(client, { documentId: doc.id, partnerId: doc.partnerId, reasonCode: e.reasonCode, message: e.message, detail: e.detail === undefined ? {} : { detail: e.detail as Record<string, unknown> } });
      }
      await recordApplied(client, canonical, doc.id, doc.partnerId, staleAck);
      await setDocumentState(client, doc.id, outcome.exceptions.length > 0 ? 'input_applied_with_exceptions' : 'input_applied', {
        reason: 'applied', detail: { summary: outcome.summary, effects: outcome.effects, exceptions: outcome.exceptions.length },
      });
    }, { flushWithJobCompletion: true });
    job.log.info({ effects: outcome.effects.length, exceptions: outcome.exceptions.length }, outcome.summary);
  });
}

/** What a document's application must not share with another running at the same time: its purchase orders, its invoice number. */
export function applyLockKeys(doc: CanonicalDocument, partnerId: string): string[] {
  const pos = doc.type === 'ship-notice' ? doc.orders.map((o) => o.poNumber)
    : doc.type === 'invoice' ? [doc.poNumber, ...doc.lines.map((l) => l.poNumber)]
    : 'poNumber' in doc ? [doc.poNumber] : [];
  const keys = [...new Set(pos.filter((p): p is string => Boolean(p)))].map((p) => poLockKey(partnerId, p));
  if (doc.type === 'invoice') keys.push(`${partnerId}:invoice:${doc.invoiceNumber}`);
  return keys;
}

/** The advisory lock of one purchase order: whatever changes it in Odoo for the gateway holds it. */
export function poLockKey(partnerId: string, poNumber: string): string {
  return `${partnerId}:po:${poNumber}`;
}
