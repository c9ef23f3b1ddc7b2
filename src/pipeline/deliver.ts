/**
 * delivery.send: sends a stored outbound document over its partner's transport. The same bytes go
 * under the same name on every attempt (the transport makes a repeated upload or POST harmless), so
 * a retry after an unknown outcome never sends different control numbers.
 */
import type { AppContext } from '../context.ts';
import type { JobContext } from './workers.ts';
import { withTransaction } from '../db/tx.ts';
import { GatewayError } from '../errors.ts';
import { appendEvent, getDocument, getRaw, setDocumentState } from '../store/documents.ts';
import { recordDelivered } from './tracking.ts';

const SENT = new Set(['output_sent', 'output_acknowledged', 'output_rejected']);

export async function handleDeliver(ctx: AppContext, job: JobContext<'delivery.send'>): Promise<void> {
  const doc = await getDocument(ctx.pool, job.data.documentId);
  if (!doc) throw new GatewayError('document-missing', `document ${job.data.documentId} does not exist`);
  if (SENT.has(doc.state)) {
    job.log.info({ state: doc.state }, 'already delivered: nothing to do');
    return;
  }
  const profile = ctx.partners.get(job.data.partnerId);
  if (!profile?.enabled) throw new GatewayError('partner-disabled', `partner ${job.data.partnerId} is not enabled: ${doc.docType} not sent`);
  const transport = ctx.outbound[job.data.transport];
  if (!transport) throw new GatewayError('transport-not-running', `the ${job.data.transport} transport does not run in this process`, { retryable: true });
  const bytes = (await getRaw(ctx.pool, doc.id))!;
  const name = job.data.fileName ?? (doc.source.fileName as string | undefined) ?? `${doc.docType}_${doc.id}.${doc.format === 'cxml' ? 'xml' : 'edi'}`;
  const receipt = await transport.deliver(profile, { documentId: doc.id, name, bytes });
  await withTransaction(ctx.pool, async (client) => {
    await setDocumentState(client, doc.id, 'output_sent', { reason: 'delivered', detail: { transport: job.data.transport, remoteRef: receipt.remoteRef ?? name } });
    if (receipt.response) await appendEvent(client, doc.id, { event: 'response-received', detail: { size: receipt.response.length } });
    await recordDelivered(client, doc, receipt);
  });
  job.log.info({ transport: job.data.transport, name, state: 'output_sent' }, 'document delivered');
}
