/**
 * What each outbound order waits for: its functional acknowledgement (997/999/TA1, or the cXML
 * Response / StatusUpdateRequest) and its order acknowledgement (855 / ConfirmationRequest).
 *
 * An expectation is stored with the outbound document (same transaction) and its deadline starts at
 * delivery (`markSent`), which is what partners promise: "997 within 4 hours of receipt". Until then
 * it cannot be overdue. A late acknowledgement still resolves its row (and the overdue exception).
 * A 997 acknowledges syntax only: an 855 for an unknown PO is a business exception, never a reason to
 * reject anything.
 */
import type { Queryable } from '../db/pool.ts';
import type { FunctionalAck, OrderAck } from '../../translators/types.ts';
import { getDocument, setDocumentState } from '../store/documents.ts';
import { openException } from '../store/exceptions.ts';
import { NO_FLUSH_CTE } from '../db/tx.ts';
import { recordOrderAckFact, recordTransmissionRejected, refreshOrderState } from './orders.ts';

export type AckKind = 'functional' | 'order';

export interface Expectation {
  partnerId: string;
  poNumber: string;
  revision: string;
  outboundDocumentId: string;
  format: 'x12' | 'cxml';
  interchangeControl?: string;
  groupControl?: string;
  transactionControl?: string;
  payloadId?: string;
  functionalAckHours: number;
  /** null: no order acknowledgement is awaited (a cancellation, unless the partner answers those too) */
  orderAckHours: number | null;
  /** set when the document is already delivered; otherwise call markSent after delivery */
  sentAt?: Date;
}

/** Exception reason codes this module opens. */
export const ACK_REASONS = {
  functionalRejected: 'functional-ack-rejected',
  functionalUnmatched: 'functional-ack-unmatched',
  orderRejected: 'order-ack-rejected',
  unknownPo: 'unknown-po',
  functionalOverdue: 'functional-ack-overdue',
  orderOverdue: 'order-ack-overdue',
} as const;

/**
 * Stores both expectations of an outbound order (a cancellation: its functional acknowledgement only,
 * unless the partner answers cancellations with an 855 too); storing them again (a job rerun) changes
 * nothing. The order acknowledgements still awaited for earlier revisions of the same PO are superseded:
 * the supplier now owes one for this revision, or none (an overdue one's exception is resolved, saying so).
 */
export async function expectAcknowledgements(db: Queryable, e: Expectation): Promise<void> {
  for (const [kind, hours] of [['functional', e.functionalAckHours], ['order', e.orderAckHours]] as const) {
    if (hours === null) continue;
    await db.query(
      `insert into ack_expectations (partner_id, po_number, revision, outbound_document_id, kind, format,
         interchange_control, group_control, transaction_control, payload_id, hours, sent_at, due_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::numeric, $12::timestamptz, $12::timestamptz + make_interval(secs => $11::numeric * 3600))
       on conflict (outbound_document_id, kind) do nothing`,
      [e.partnerId, e.poNumber, e.revision, e.outboundDocumentId, kind, e.format, e.interchangeControl ?? null, e.groupControl ?? null,
        e.transactionControl ?? null, e.payloadId ?? null, hours, e.sentAt ?? null],
    );
  }
  const superseded = await db.query<{ outbound_document_id: string; was_overdue: boolean }>(
    `update ack_expectations e set state = 'superseded', superseded_by = $3
       from (select id, state = 'overdue' as was_overdue from ack_expectations
              where partner_id = $1 and po_number = $2 and kind = 'order' and outbound_document_id < $3 and state in ('waiting', 'overdue') for update) old
      where e.id = old.id
      returning e.outbound_document_id, old.was_overdue`,
    [e.partnerId, e.poNumber, e.outboundDocumentId],
  );
  for (const row of superseded.rows.filter((r) => r.was_overdue)) {
    await resolveOverdueException(db, row.outbound_document_id, 'order',
      `superseded: revision ${e.revision} of PO ${e.poNumber} was sent (document ${e.outboundDocumentId})${e.orderAckHours === null ? '' : ' and awaits its own acknowledgement'}`);
  }
}

/** The overdue exception of an outbound document's expectation is resolved by the gateway, saying why. */
async function resolveOverdueException(db: Queryable, outboundDocumentId: string, kind: AckKind, resolution: string): Promise<void> {
  await db.query(
    `update exceptions set state = 'resolved', resolved_at = now(), resolved_by = 'gateway', resolution = $3
      where document_id = $1 and reason_code = $2 and state = 'open'`,
    [outboundDocumentId, kind === 'functional' ? ACK_REASONS.functionalOverdue : ACK_REASONS.orderOverdue, resolution],
  );
}

/** An order acknowledgement that names an earlier revision than the one we sent last. */
export interface StaleOrderAck { acknowledged: string; current: string }

/**
 * Which revision of the order an 855 / ConfirmationRequest answers: the current one (the revision we
 * sent last), unless it names an earlier one we sent (X12 REF*PP, or the OrderRequest's payloadID),
 * then it is stale. An acknowledgement that names nothing, or something we never sent, answers the
 * current revision. `current` is undefined for an order the gateway never sent.
 */
export async function orderAckRevision(db: Queryable, partnerId: string, ack: OrderAck): Promise<{ current?: string; stale?: StaleOrderAck }> {
  const r = await db.query<{ current: string; acknowledged: string | null }>({
    name: 'acks.order-ack-revision',
    text: `select o.revision as current,
              (select e.revision from ack_expectations e
                where e.partner_id = o.partner_id and e.po_number = o.po_number and e.kind = 'order' and (e.revision = $3 or e.payload_id = $4)
                  and e.outbound_document_id < o.outbound_document_id and e.revision <> o.revision
                order by e.id desc limit 1) as acknowledged
         from orders o where o.partner_id = $1 and o.po_number = $2`,
    values: [partnerId, ack.poNumber, ack.revision ?? null, ack.referencePayloadId ?? null],
  });
  const row = r.rows[0];
  if (!row) return {};
  return row.acknowledged === null ? { current: row.current } : { current: row.current, stale: { acknowledged: row.acknowledged, current: row.current } };
}

/**
 * The outbound document was delivered at `at`: its deadlines start now (a resend keeps the first time), and
 * the order it carries is marked delivered, in one statement; then that order's state is derived again.
 * With `documentEvent`, the same statement also sets the document's state and writes its audit event:
 * a delivery of a document no order waits on (an acknowledgement we send) is then one statement, whose
 * commit does not wait for the WAL flush (see flushWithJobCompletion).
 */
export async function markSent(db: Queryable, outboundDocumentId: string, at: Date = new Date(),
  documentEvent?: { state: string; reason: string; detail: Record<string, unknown> }): Promise<void> {
  const update = `e as (update ack_expectations set sent_at = $2::timestamptz, due_at = $2::timestamptz + make_interval(secs => hours * 3600)
                         where outbound_document_id = $1 and sent_at is null),
       o as (update orders set sent_at = coalesce(sent_at, $2::timestamptz) where outbound_document_id = $1 returning partner_id, po_number)`;
  const delivered = documentEvent
    ? await db.query<{ partner_id: string; po_number: string }>({
      name: 'acks.mark-sent-with-state',
      text: `with ${NO_FLUSH_CTE}, ${update},
         d as (update documents set state = $3 where id = $1 returning id),
         ev as (insert into document_events (document_id, state, event, detail) select id, $3, $4, $5 from d)
       select o.*, (select off from no_flush) from o right join (select 1) one on true`,
      values: [outboundDocumentId, at, documentEvent.state, documentEvent.reason, JSON.stringify(documentEvent.detail)],
    })
    : await db.query<{ partner_id: string; po_number: string }>({ name: 'acks.mark-sent', text: `with ${update} select * from o`, values: [outboundDocumentId, at] });
  for (const row of delivered.rows) if (row.partner_id !== null) await refreshOrderState(db, row.partner_id, row.po_number);
}

interface Resolved { id: string; partner_id: string; po_number: string; revision: string; outbound_document_id: string; kind: AckKind; was_overdue: boolean }

/** Resolves waiting (or overdue) rows; rows already answered stay as the first answer left them. */
async function resolve(db: Queryable, where: string, values: unknown[], answer: { documentId: string; outcome: string; rejected: boolean; reasons: string[] }): Promise<Resolved[]> {
  const n = values.length;
  const r = await db.query<Resolved>(
    `update ack_expectations e set state = $${n + 1}, received_at = now(), received_document_id = $${n + 2}, outcome = $${n + 3}, reasons = $${n + 4}
       from (select id, state = 'overdue' as was_overdue from ack_expectations where ${where} and state in ('waiting', 'overdue') for update) old
      where e.id = old.id
      returning e.id, e.partner_id, e.po_number, e.revision, e.outbound_document_id, e.kind, old.was_overdue`,
    [...values, answer.rejected ? 'rejected' : 'received', answer.documentId, answer.outcome, JSON.stringify(answer.reasons)],
  );
  for (const row of r.rows) {
    if (row.was_overdue) {
      await resolveOverdueException(db, row.outbound_document_id, row.kind, `acknowledgement arrived late (document ${answer.documentId})`);
    }
  }
  return r.rows;
}

function rejectionMessage(who: string, what: string, reasons: string[]): string {
  return `${who} rejected ${what}${reasons.length ? `: ${reasons.join('; ')}` : ' without giving a reason'}`;
}

async function describeOutbound(db: Queryable, row: Resolved): Promise<string> {
  const doc = await getDocument(db, row.outbound_document_id);
  return `our ${doc?.docType ?? 'order'} for PO ${row.po_number} (revision ${row.revision}, document ${row.outbound_document_id})`;
}

type FunctionalOutcome = 'accepted' | 'accepted-with-errors' | 'partially-accepted' | 'rejected';

/** Which expectations a functional acknowledgement answers, each with the outcome it gives. */
interface Target { where: string; values: unknown[]; outcome: FunctionalOutcome; reasons: string[]; /** false: only tells whether it matches */ resolves: boolean }

function functionalTargets(ack: FunctionalAck, partnerId: string | null): Target[] {
  const group = ack.groupStatus ?? 'accepted';
  if (ack.ackFormat === 'cxml-response' || ack.ackFormat === 'cxml-status-update') {
    if (!ack.referencePayloadId) return [];
    return [{ where: `kind = 'functional' and payload_id = $1 and ($2::text is null or partner_id = $2)`, values: [ack.referencePayloadId, partnerId], outcome: group, reasons: ack.errors, resolves: true }];
  }
  if (!partnerId) return [];
  if (ack.ackFormat === 'TA1') {
    if (!ack.interchangeControlNumber) return [];
    // a TA1 answers the envelope only: an accepted one leaves the 997 still expected
    const accepted = group === 'accepted' || group === 'accepted-with-errors';
    return [{ where: `kind = 'functional' and partner_id = $1 and interchange_control = $2`, values: [partnerId, ack.interchangeControlNumber],
      outcome: accepted ? group : 'rejected', reasons: ack.errors, resolves: !accepted }];
  }
  if (!ack.groupControlNumber) return [];
  const base = `kind = 'functional' and partner_id = $1 and group_control = $2`;
  if (ack.transactions.length === 0) {
    return [{ where: base, values: [partnerId, ack.groupControlNumber], outcome: group, reasons: ack.errors, resolves: true }];
  }
  return ack.transactions.map((t) => ({
    where: `${base} and transaction_control = $3`,
    values: [partnerId, ack.groupControlNumber, t.controlNumber],
    // a set the partner did not list as rejected, in a group rejected as a whole, is rejected too
    outcome: group === 'rejected' ? 'rejected' : t.status,
    reasons: [...t.errors, ...(group === 'rejected' ? ack.errors : [])],
    resolves: true,
  }));
}

/**
 * Links an inbound functional acknowledgement to the outbound orders it answers. The cXML Response to
 * our OrderRequest is matched by `referencePayloadId` (the payloadID of our request, which delivery
 * sets); X12 by the partner's group and transaction control numbers (TA1: interchange). A rejection
 * opens an exception with the partner's reasons in plain words.
 */
export async function recordFunctionalAck(db: Queryable, ack: FunctionalAck, inboundDocumentId: string, partnerId: string | null): Promise<{ matched: boolean; rejected: boolean; reasons: string[] }> {
  let matched = false;
  let rejected = false;
  const reasons: string[] = [];
  for (const target of functionalTargets(ack, partnerId)) {
    const isRejected = target.outcome === 'rejected';
    const rows = target.resolves ? await resolve(db, target.where, target.values, { documentId: inboundDocumentId, outcome: target.outcome, rejected: isRejected, reasons: target.reasons }) : [];
    const answered = rows.length > 0 || (await db.query(`select 1 from ack_expectations where ${target.where} limit 1`, target.values)).rowCount !== 0;
    matched ||= answered;
    for (const row of rows) {
      await setDocumentState(db, row.outbound_document_id, isRejected ? 'output_rejected' : 'output_acknowledged', {
        reason: isRejected ? 'functional-ack-rejected' : 'functional-ack-received',
        detail: { ackDocumentId: inboundDocumentId, ackFormat: ack.ackFormat, outcome: target.outcome },
      });
      if (!isRejected) continue;
      rejected = true;
      reasons.push(...target.reasons);
      await recordTransmissionRejected(db, row.partner_id, row.po_number, row.revision);
      await openException(db, {
        documentId: inboundDocumentId,
        partnerId: row.partner_id,
        reasonCode: ACK_REASONS.functionalRejected,
        message: rejectionMessage(`${row.partner_id} (${ack.ackFormat})`, await describeOutbound(db, row), target.reasons),
        detail: { poNumber: row.po_number, revision: row.revision, outboundDocumentId: row.outbound_document_id, reasons: target.reasons },
      });
    }
  }
  if (!matched) {
    await openException(db, {
      documentId: inboundDocumentId,
      partnerId,
      reasonCode: ACK_REASONS.functionalUnmatched,
      message: `a ${ack.ackFormat} acknowledgement${partnerId ? ` from ${partnerId}` : ''} answers nothing we sent (${describeControls(ack)})`,
      detail: { ackFormat: ack.ackFormat, interchange: ack.interchangeControlNumber, group: ack.groupControlNumber, transactions: ack.transactions.map((t) => t.controlNumber), referencePayloadId: ack.referencePayloadId },
    });
  }
  return { matched, rejected, reasons };
}

function describeControls(ack: FunctionalAck): string {
  if (ack.referencePayloadId) return `payloadID ${ack.referencePayloadId}`;
  const parts = [ack.interchangeControlNumber && `interchange ${ack.interchangeControlNumber}`, ack.groupControlNumber && `group ${ack.groupControlNumber}`,
    ack.transactions.length ? `transaction sets ${ack.transactions.map((t) => t.controlNumber).join(', ')}` : undefined];
  return parts.filter(Boolean).join(', ') || 'no control numbers';
}

function orderAckReasons(ack: OrderAck): string[] {
  return ack.lines.filter((l) => l.status === 'rejected').map((l) => `line ${l.lineNumber} rejected${l.statusCode ? ` (status ${l.statusCode})` : ''}`);
}

/**
 * Records an 855 / ConfirmationRequest: resolves the order-acknowledgement expectations of (partner,
 * PO) and updates the order. A rejecting acknowledgement opens an exception; one for a PO we never
 * sent opens 'unknown-po' (the 997 for it still accepts it: a 997 acknowledges syntax only).
 */
export async function recordOrderAck(db: Queryable, ack: OrderAck, inboundDocumentId: string, partnerId: string | null, stale?: StaleOrderAck): Promise<{ matched: boolean }> {
  if (stale && partnerId) {
    // kept on the earlier revision it answers; the order and its current revision's expectation are untouched
    await db.query(
      `update ack_expectations set received_at = now(), received_document_id = $4, outcome = $5,
              state = case when state in ('waiting', 'overdue') then $6 else state end
        where partner_id = $1 and po_number = $2 and revision = $3 and kind = 'order' and received_at is null`,
      [partnerId, ack.poNumber, stale.acknowledged, inboundDocumentId, ack.ackType, ack.ackType === 'rejected' ? 'rejected' : 'received'],
    );
    return { matched: true };
  }
  const state = partnerId
    ? await recordOrderAckFact(db, partnerId, ack.poNumber, { ackType: ack.ackType, at: new Date(), documentId: inboundDocumentId, supplierOrderNumber: ack.supplierOrderNumber })
    : undefined;
  if (!state || !partnerId) {
    await openException(db, {
      documentId: inboundDocumentId,
      partnerId,
      reasonCode: ACK_REASONS.unknownPo,
      message: `order acknowledgement for PO ${ack.poNumber}${partnerId ? ` from ${partnerId}` : ''}: we sent no such order${partnerId ? ' to this partner' : ''}`,
      detail: { poNumber: ack.poNumber, ackType: ack.ackType },
    });
    return { matched: false };
  }
  const rejected = ack.ackType === 'rejected';
  const reasons = orderAckReasons(ack);
  const rows = await resolve(db, `kind = 'order' and partner_id = $1 and po_number = $2`, [partnerId, ack.poNumber],
    { documentId: inboundDocumentId, outcome: ack.ackType, rejected, reasons });
  if (rejected) {
    await openException(db, {
      documentId: inboundDocumentId,
      partnerId,
      reasonCode: ACK_REASONS.orderRejected,
      message: rejectionMessage(partnerId, `PO ${ack.poNumber} in its order acknowledgement`, reasons),
      detail: { poNumber: ack.poNumber, reasons, expectations: rows.map((r) => r.id) },
    });
  }
  return { matched: true };
}

/** Overdue acknowledgements by partner and kind, for /metrics. */
export async function countOverdueAcks(db: Queryable): Promise<Array<{ partnerId: string; kind: AckKind; count: number }>> {
  const r = await db.query(`select partner_id, kind, count(*)::int as n from ack_expectations where state = 'overdue' group by 1, 2 order by 1, 2`);
  return r.rows.map((x) => ({ partnerId: x.partner_id, kind: x.kind, count: x.n }));
}
