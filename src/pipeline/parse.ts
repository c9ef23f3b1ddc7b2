/**
 * document.parse: reads a stored inbound document and, in one transaction,
 *  - stores each translated transaction's canonical document as a child (lineage: file → ISA13/GS06/ST02 →
 *    canonical), flagged test for ISA15=T / deploymentMode=test,
 *  - stores and queues the acknowledgements we owe (TA1/997/999) with control numbers from Postgres,
 *  - queues odoo.apply for what changes Odoo (never for test documents),
 *  - links inbound 997/999/TA1 to what they answer,
 *  - opens exceptions for rejections, business warnings and duplicates.
 * Running it again (retry, replay) finds the children it made and does not double anything.
 */
import type pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';
import type { JobContext } from './workers.ts';
import { withTransaction } from '../db/tx.ts';
import { GatewayError } from '../errors.ts';
import { getDocumentWithRaw, insertDocument, resultAndStateStatement, setDocumentState, updateDocumentResultAndState, updateEnvelopeAndFindDuplicate } from '../store/documents.ts';
import { openException } from '../store/exceptions.ts';
import { nextControlNumbers } from '../store/control-numbers.ts';
import { JobBatch } from './boss.ts';
import { QUEUES } from './queues.ts';
import { storeOutbound } from './outbound.ts';
import { recordTranslated } from './tracking.ts';
import { TranslationError } from '../../translators/errors.ts';
import { controlNumbersNeeded, type ParseOutcome } from './translate-file.ts';
import { translateOffThread } from './translate-pool.ts';

/** Canonical documents that change Odoo; the others are recorded only. */
const APPLIED_TYPES = new Set(['order-ack', 'ship-notice', 'invoice']);

function ackType(ack: string): string {
  if (/[~\n\r'|]ST.{1}999/.test(ack)) return '999';
  if (/[~\n\r'|]ST.{1}997/.test(ack)) return '997';
  return 'TA1';
}

export async function handleParse(ctx: AppContext, job: JobContext<'document.parse'>): Promise<void> {
  const stored = await getDocumentWithRaw(ctx.pool, job.data.documentId);
  if (!stored) throw new GatewayError('document-missing', `document ${job.data.documentId} does not exist`);
  const { document: doc, raw } = stored;
  if (doc.state !== 'input_received') {
    job.log.info({ state: doc.state }, 'already parsed: nothing to do');
    return;
  }
  const jobs = new JobBatch();
  const summary = await withTransaction(ctx.pool, async (client) => {
    let outcome: ParseOutcome;
    try {
      // control numbers for what we send back come from Postgres, in this transaction
      const controlNumbers = doc.format === 'x12' ? await nextControlNumbers(client, `${doc.partnerId ?? 'unknown'}/interchange`, controlNumbersNeeded(raw)) : [];
      outcome = await translateOffThread(
        { format: doc.format, raw, partnerId: doc.partnerId, payloadId: doc.businessKeys.payloadId, documentId: doc.id, correlationId: doc.correlationId, test: doc.test },
        { profiles: ctx.partners.all(), ours: ctx.config.ours, controlNumbers },
      );
    } catch (err) {
      if (!(err instanceof TranslationError)) throw err;
      await setDocumentState(client, doc.id, 'input_rejected', { reason: err.code, detail: { message: err.message } });
      await openException(client, { documentId: doc.id, partnerId: doc.partnerId, queue: QUEUES.parse, reasonCode: err.code, message: `${doc.format === 'x12' ? 'not an X12 interchange' : 'not a readable cXML document'}: ${err.message}`, detail: { errors: err.errors } });
      return { state: 'input_rejected', documents: 0, rejected: 1, acks: 0 };
    }
    const partnerId = doc.partnerId ?? outcome.partnerId ?? null;
    const partner = partnerId ? ctx.partners.get(partnerId) : undefined;
    // the same interchange control number from the same sender within the window: a duplicate, linked, never applied twice
    const windowDays = partner?.x12?.duplicateWindowDays ?? 30;
    const earlier = await updateEnvelopeAndFindDuplicate(client, doc.id, { partnerId: partnerId ?? undefined, interchangeControl: outcome.interchangeControl, test: outcome.test || undefined },
      doc.format === 'x12' && partnerId && outcome.interchangeControl ? { partnerId, interchangeControl: outcome.interchangeControl, days: windowDays } : undefined);
    if (earlier) {
      await updateDocumentResultAndState(client, doc.id, { duplicateOf: earlier }, 'input_duplicate', { reason: 'duplicate-interchange', detail: { original: earlier, interchangeControl: outcome.interchangeControl } });
      await openException(client, { documentId: doc.id, partnerId, reasonCode: 'duplicate-interchange', message: `interchange ${outcome.interchangeControl} from ${partnerId} was already received as document ${earlier} within ${windowDays} days: not processed again` });
      return { state: 'input_duplicate', documents: 0, rejected: 0, acks: 0 };
    }
    if (!partnerId) {
      await openException(client, { documentId: doc.id, reasonCode: 'unknown-partner', message: 'the sender matches no partner profile: translated with generic defaults, nothing applied to Odoo' });
    }

    for (const t of outcome.translated) {
      const applies = APPLIED_TYPES.has(t.type) && !t.test && partnerId !== null;
      const { document: child, created } = await insertDocument(client, {
        direction: 'inbound', partnerId, format: 'json', docType: t.type, transport: doc.transport,
        raw: Buffer.from(t.json), sha256: t.sha256, state: t.test ? 'input_test' : applies ? 'input_translated' : 'input_recorded',
        correlationId: doc.correlationId, parentId: doc.id, childKey: t.childKey, businessKeys: t.businessKeys,
        interchangeControl: t.interchange, groupControl: t.group, transactionControl: t.transaction, test: t.test, canonicalJson: t.json,
        errors: t.warnings.length > 0 ? t.warnings : undefined,
      });
      if (!created) {
        // processed again (replay, retry): a child whose apply failed for good is queued once more; one that
        // is applied, or still has its apply job, is left alone
        if (applies && child.state === 'input_apply_failed') {
          await setDocumentState(client, child.id, 'input_translated', { reason: 'replay' });
          jobs.add(QUEUES.apply, { documentId: child.id, correlationId: doc.correlationId });
        }
        continue;
      }
      if (t.warnings.length > 0) {
        await openException(client, { documentId: child.id, partnerId, reasonCode: 'translation-warnings', message: t.warnings.map((w) => w.message).join('; '), detail: { warnings: t.warnings } });
      }
      if (t.functionalAck) await recordTranslated(client, t.functionalAck, child.id, partnerId);
      if (applies) jobs.add(QUEUES.apply, { documentId: child.id, correlationId: doc.correlationId });
    }
    if (outcome.rejected.length > 0) {
      const lines = outcome.rejected.flatMap((r) => r.errors.map((e) => `${[r.interchange, r.group, r.transaction].filter(Boolean).join('/') || 'file'}: ${e.segment ?? e.path ?? ''}${e.position ? ` at ${e.position}` : ''}${e.element ? ` element ${e.element}` : ''} code ${e.code}: ${e.message}`));
      await openException(client, { documentId: doc.id, partnerId, queue: QUEUES.parse, reasonCode: `${doc.format}-rejected`, message: lines.slice(0, 5).join('; ') + (lines.length > 5 ? `; and ${lines.length - 5} more` : ''), detail: { rejected: outcome.rejected } });
    }
    for (const [i, ack] of outcome.acks.entries()) {
      const type = ackType(ack);
      const isa13 = ack.slice(90, 99);
      await storeOutbound(ctx.boss, client, {
        partner, partnerId, format: 'x12', docType: type, raw: Buffer.from(ack, 'latin1'), correlationId: doc.correlationId,
        parentId: doc.id, childKey: `ack/${i}`, interchangeControl: isa13, test: outcome.test,
        fileName: `${type}_${partnerId ?? 'unknown'}_${/^\d{9}$/.test(isa13) ? isa13 : randomUUID()}.edi`,
      }, jobs);
    }
    const state = outcome.translated.length === 0 && outcome.rejected.length > 0 ? 'input_rejected'
      : outcome.rejected.length > 0 ? 'input_partially_rejected' : 'input_translated';
    // the file's new state, its event and every job this step queues: one statement
    await client.query(await jobs.attachTo(ctx.boss, resultAndStateStatement(doc.id, { errors: outcome.rejected.length > 0 ? outcome.rejected : undefined }, state,
      { reason: 'translated', detail: { documents: outcome.translated.length, rejected: outcome.rejected.length, acks: outcome.acks.length } })));
    return { state, documents: outcome.translated.length, rejected: outcome.rejected.length, acks: outcome.acks.length };
  }, { flushWithJobCompletion: true });
  if (jobs.queued(QUEUES.apply) > 0) ctx.wake(QUEUES.apply);
  ctx.wake(QUEUES.deliver);
  job.log.info(summary, 'document translated');
}
