/**
 * delivery.send: sends a stored outbound document over its partner's transport. The same bytes go
 * under the same name on every attempt (the transport makes a repeated upload or POST harmless), so
 * a retry after an unknown outcome never sends different control numbers.
 */
import type { AppContext } from '../context.ts';
import type { JobContext } from './workers.ts';
import { withTransaction } from '../db/tx.ts';
import { GatewayError } from '../errors.ts';
import { getDocumentWithRaw } from '../store/documents.ts';
import { deliveryIsOneStatement, markDelivered, recordDelivered } from './tracking.ts';
import { postgresLedger } from '../odoo/ledger.ts';
import { escapeHtml, postNoteOnce } from '../odoo/apply/lookup.ts';
import type { StoredDocument } from '../store/documents.ts';

/**
 * The PO's chatter says what was sent, when and under which control numbers: once per document (keyed
 * in the effect ledger, and the note carries its key, so a retry after a lost answer finds it), before
 * the document is marked sent, so a retry still writes it.
 */
async function noteOnPurchaseOrder(ctx: AppContext, doc: StoredDocument, name: string): Promise<void> {
  const poId = Number(doc.businessKeys.odooPurchaseOrderId);
  if (!ctx.odoo || !Number.isInteger(poId) || poId <= 0) return;
  const ledger = postgresLedger(ctx.pool, doc.id);
  const key = `chatter:sent:${doc.id}`;
  if (await ledger.get(key)) return;
  const controls = doc.docType === '850'
    ? `ISA13 ${doc.interchangeControl}, GS06 ${doc.groupControl}, ST02 ${doc.transactionControl}`
    : `payloadID ${doc.businessKeys.payloadId}`;
  const what = doc.businessKeys.purpose === 'cancel' ? 'cancellation' : doc.businessKeys.purpose === 'change' ? `change (revision ${doc.businessKeys.revision})` : 'order';
  const text = `EDI: ${doc.docType} ${what} sent to ${doc.partnerId} on ${new Date().toISOString()} as ${name} (${controls}).`;
  const messageId = await postNoteOnce(ctx.odoo, 'purchase.order', poId, key, escapeHtml(text));
  await ledger.record(key, 'mail.message', messageId);
}

const SENT = new Set(['output_sent', 'output_acknowledged', 'output_rejected']);

export async function handleDeliver(ctx: AppContext, job: JobContext<'delivery.send'>): Promise<void> {
  // the first attempt of a small acknowledgement has its bytes in the job; a retry reads the document,
  // since the run before may have delivered it already
  if (job.data.bytes !== undefined && job.data.fileName && job.attempt === 1) {
    const { profile, transport } = route(ctx, job, 'acknowledgement');
    await transport.deliver(profile, { documentId: job.data.documentId, name: job.data.fileName, bytes: Buffer.from(job.data.bytes, 'base64') });
    await markDelivered(ctx.pool, job.data.documentId, { transport: job.data.transport, remoteRef: job.data.fileName });
    job.log.info({ transport: job.data.transport, name: job.data.fileName, state: 'output_sent' }, 'document delivered');
    return;
  }
  const stored = await getDocumentWithRaw(ctx.pool, job.data.documentId);
  if (!stored) throw new GatewayError('document-missing', `document ${job.data.documentId} does not exist`);
  const { document: doc, raw: bytes } = stored;
  if (SENT.has(doc.state)) {
    job.log.info({ state: doc.state }, 'already delivered: nothing to do');
    return;
  }
  const { profile, transport } = route(ctx, job, doc.docType);
  const name = job.data.fileName ?? (doc.source.fileName as string | undefined) ?? `${doc.docType}_${doc.id}.${doc.format === 'cxml' ? 'xml' : 'edi'}`;
  const receipt = await transport.deliver(profile, { documentId: doc.id, name, bytes });
  await noteOnPurchaseOrder(ctx, doc, name);
  const detail = { transport: job.data.transport, remoteRef: receipt.remoteRef ?? name };
  if (deliveryIsOneStatement(doc, receipt)) await recordDelivered(ctx.pool, doc, receipt, detail);
  else await withTransaction(ctx.pool, (client) => recordDelivered(client, doc, receipt, detail), { flushWithJobCompletion: true });
  job.log.info({ transport: job.data.transport, name, state: 'output_sent' }, 'document delivered');
}

/** The partner's profile and the running transport a delivery goes over. */
function route(ctx: AppContext, job: JobContext<'delivery.send'>, what: string) {
  const profile = ctx.partners.get(job.data.partnerId);
  if (!profile?.enabled) throw new GatewayError('partner-disabled', `partner ${job.data.partnerId} is not enabled: ${what} not sent`);
  const transport = ctx.outbound[job.data.transport];
  if (!transport) throw new GatewayError('transport-not-running', `the ${job.data.transport} transport does not run in this process`, { retryable: true });
  return { profile, transport };
}
