// Acknowledgement tracking and the orders projection against a real Postgres: what an outbound order
// waits for, what answers it, what becomes overdue, and the order's state whatever the arrival order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { testDatabase } from './helpers/db.ts';
import { memoryLogger } from './helpers/gateway.ts';
import { createPool } from '../src/db/pool.ts';
import { migrate } from '../src/db/migrate.ts';
import { getDocument, insertDocument } from '../src/store/documents.ts';
import { listExceptions } from '../src/store/exceptions.ts';
import { countOverdueAcks, expectAcknowledgements, markSent, recordFunctionalAck, recordOrderAck, orderAckRevision } from '../src/acks/expectations.ts';
import { recordInvoice, recordOrderSent, recordShipment } from '../src/acks/orders.ts';
import { runAcksCheck } from '../src/acks/check.ts';
import type { FunctionalAck, Order, OrderAck } from '../translators/types.ts';
import type { PartnerProfile } from '../translators/profile.ts';
import { recordOrderExported } from '../src/pipeline/tracking.ts';
import { ack as orderAck, invoice, shipNotice } from './fixtures/odoo/documents.ts';

let pool: pg.Pool;
const { log } = memoryLogger();
const HOUR = 3600_000;

before(async () => {
  pool = createPool(await testDatabase('acks_tracking'));
  await migrate(pool);
});
after(() => pool.end());

let seq = 0;
async function storeDoc(direction: 'inbound' | 'outbound', docType: string, partnerId = 'medsurg-supply', keys: Record<string, string> = {}): Promise<string> {
  const { document } = await insertDocument(pool, { direction, partnerId, format: 'x12', docType, transport: 'sftp', raw: Buffer.from(`${docType}-${++seq}-${Math.random()}`),
    state: direction === 'outbound' ? 'output_sent' : 'input_translated', businessKeys: keys, parentId: undefined });
  return document.id;
}

/** An outbound 850 for a new PO, stored and expected; delivered `sentHoursAgo` hours ago unless null. */
async function sendOrder(po: string, options: { partnerId?: string; group?: string; transaction?: string; interchange?: string; sentHoursAgo?: number | null; payloadId?: string } = {}) {
  const partnerId = options.partnerId ?? 'medsurg-supply';
  const outboundDocumentId = await storeDoc('outbound', '850', partnerId, { poNumber: po });
  await recordOrderSent(pool, { partnerId, poNumber: po, revision: '0', outboundDocumentId, odooPurchaseOrderId: 7,
    order: { lines: [{ lineNumber: '11', quantity: '10', uom: 'EA', itemIds: {} }, { lineNumber: '12', quantity: '5', uom: 'EA', itemIds: {} }] } });
  await expectAcknowledgements(pool, { partnerId, poNumber: po, revision: '0', outboundDocumentId, format: options.payloadId ? 'cxml' : 'x12',
    interchangeControl: options.interchange ?? `9${seq}`, groupControl: options.group ?? `${seq}`, transactionControl: options.transaction ?? '0001', payloadId: options.payloadId,
    functionalAckHours: 4, orderAckHours: 48 });
  if (options.sentHoursAgo !== null) await markSent(pool, outboundDocumentId, new Date(Date.now() - (options.sentHoursAgo ?? 0) * HOUR));
  return outboundDocumentId;
}

const expectations = async (po: string) => (await pool.query('select kind, state, outcome, reasons, received_at, due_at from ack_expectations where po_number = $1 order by kind', [po])).rows;
const orderRow = async (po: string) => (await pool.query('select * from orders where po_number = $1', [po])).rows[0];

function ack997(group: string, transactions: FunctionalAck['transactions'], groupStatus: FunctionalAck['groupStatus'] = 'accepted', errors: string[] = []): FunctionalAck {
  return { type: 'functional-ack', ackFormat: '997', groupControlNumber: group, functionalIdCode: 'PO', groupStatus, transactions, errors };
}

test('a 997 and an 855 resolve the order\'s two expectations; the order moves from sent to acknowledged', async () => {
  const out = await sendOrder('PO-A1', { group: '501', transaction: '0001' });
  assert.equal((await orderRow('PO-A1')).state, 'sent');
  const ackDoc = await storeDoc('inbound', '997');
  const r = await recordFunctionalAck(pool, ack997('501', [{ transactionSetId: '850', controlNumber: '0001', status: 'accepted', errors: [] }]), ackDoc, 'medsurg-supply');
  assert.deepEqual(r, { matched: true, rejected: false, reasons: [] });
  assert.equal((await getDocument(pool, out))?.state, 'output_acknowledged');
  const ackedBy855 = await storeDoc('inbound', '855', 'medsurg-supply', { poNumber: 'PO-A1' });
  assert.deepEqual(await recordOrderAck(pool, orderAck('PO-A1', [11, 12]), ackedBy855, 'medsurg-supply'), { matched: true });
  assert.deepEqual((await expectations('PO-A1')).map((e) => [e.kind, e.state, e.outcome]), [['functional', 'received', 'accepted'], ['order', 'received', 'accepted']]);
  const order = await orderRow('PO-A1');
  assert.equal(order.state, 'acknowledged');
  assert.equal(order.supplier_order_number, 'SO-ACME-7781');
  assert.deepEqual(await listExceptions(pool, { partnerId: 'medsurg-supply', documentId: ackDoc }), []);
});

test('a rejecting 997 is an exception that says what the partner found wrong; the order is rejected', async () => {
  const out = await sendOrder('PO-R1', { group: '502', transaction: '0001' });
  const ackDoc = await storeDoc('inbound', '997');
  const reasons = ['segment N1 at position 6 in loop N1: mandatory segment missing', 'transaction set 0001: one or more segments in error'];
  const r = await recordFunctionalAck(pool, ack997('502', [{ transactionSetId: '850', controlNumber: '0001', status: 'rejected', errors: reasons }], 'rejected'), ackDoc, 'medsurg-supply');
  assert.equal(r.matched, true);
  assert.equal(r.rejected, true);
  assert.deepEqual(r.reasons, reasons);
  const [ex] = await listExceptions(pool, { documentId: ackDoc });
  assert.equal(ex?.reasonCode, 'functional-ack-rejected');
  assert.match(ex!.message, /medsurg-supply \(997\) rejected our 850 for PO PO-R1 .*: segment N1 at position 6 in loop N1: mandatory segment missing; transaction set 0001/);
  assert.equal((await getDocument(pool, out))?.state, 'output_rejected');
  assert.equal((await orderRow('PO-R1')).state, 'rejected');
});

test('a 997 without AK2 answers every set of its group; control numbers are matched only within the sending partner', async () => {
  await sendOrder('PO-G1', { group: '503', transaction: '0001' });
  await sendOrder('PO-G2', { group: '503', transaction: '0002' });
  await sendOrder('PO-OTHER', { group: '503', transaction: '0001', partnerId: 'other-supplier' });
  const r = await recordFunctionalAck(pool, ack997('503', []), await storeDoc('inbound', '997'), 'medsurg-supply');
  assert.equal(r.matched, true);
  assert.equal((await expectations('PO-G1'))[0].state, 'received');
  assert.equal((await expectations('PO-G2'))[0].state, 'received');
  assert.equal((await expectations('PO-OTHER'))[0].state, 'waiting', 'the same numbers from another partner are another document');
});

test('a 997 answering nothing we sent is an exception; a second copy of a matched 997 changes nothing', async () => {
  const stray = await storeDoc('inbound', '997');
  const r = await recordFunctionalAck(pool, ack997('999999', [{ transactionSetId: '850', controlNumber: '4242', status: 'accepted', errors: [] }]), stray, 'medsurg-supply');
  assert.equal(r.matched, false);
  const [ex] = await listExceptions(pool, { documentId: stray });
  assert.equal(ex?.reasonCode, 'functional-ack-unmatched');
  assert.match(ex!.message, /answers nothing we sent \(group 999999, transaction sets 4242\)/);
  await sendOrder('PO-D1', { group: '504' });
  const first = await storeDoc('inbound', '997');
  await recordFunctionalAck(pool, ack997('504', []), first, 'medsurg-supply');
  const again = await recordFunctionalAck(pool, ack997('504', [], 'rejected', ['group 504: late copy']), await storeDoc('inbound', '997'), 'medsurg-supply');
  assert.deepEqual(again, { matched: true, rejected: false, reasons: [] }, 'the first answer stands');
  assert.equal((await expectations('PO-D1'))[0].outcome, 'accepted');
});

test('TA1: an accepted one leaves the 997 expected, a rejecting one resolves the expectation as rejected', async () => {
  await sendOrder('PO-T1', { interchange: '000000771', group: '505' });
  const ta1 = (code: 'accepted' | 'rejected'): FunctionalAck => ({ type: 'functional-ack', ackFormat: 'TA1', interchangeControlNumber: '000000771', groupStatus: code, transactions: [],
    errors: code === 'rejected' ? ['interchange 000000771: invalid interchange receiver id (TA1 R 008)'] : [] });
  assert.deepEqual(await recordFunctionalAck(pool, ta1('accepted'), await storeDoc('inbound', 'TA1'), 'medsurg-supply'), { matched: true, rejected: false, reasons: [] });
  assert.equal((await expectations('PO-T1'))[0].state, 'waiting');
  const r = await recordFunctionalAck(pool, ta1('rejected'), await storeDoc('inbound', 'TA1'), 'medsurg-supply');
  assert.equal(r.rejected, true);
  assert.deepEqual((await expectations('PO-T1'))[0].reasons, ['interchange 000000771: invalid interchange receiver id (TA1 R 008)']);
});

test('a cXML Response is matched by the payloadID of our OrderRequest', async () => {
  await sendOrder('PO-C1', { partnerId: 'gpo-network', payloadId: '1700000000.123@gateway.example' });
  const response: FunctionalAck = { type: 'functional-ack', ackFormat: 'cxml-response', statusCode: '200', groupStatus: 'accepted', referencePayloadId: '1700000000.123@gateway.example', transactions: [], errors: [] };
  assert.equal((await recordFunctionalAck(pool, response, await storeDoc('inbound', 'Response', 'gpo-network'), 'gpo-network')).matched, true);
  assert.equal((await expectations('PO-C1'))[0].state, 'received');
  const unknown = { ...response, referencePayloadId: 'nope@x' };
  assert.equal((await recordFunctionalAck(pool, unknown, await storeDoc('inbound', 'Response', 'gpo-network'), 'gpo-network')).matched, false);
});

test('an 855 for a PO we never sent is an unknown-po exception; a rejecting 855 names the rejected lines', async () => {
  const doc = await storeDoc('inbound', '855');
  assert.deepEqual(await recordOrderAck(pool, orderAck('PO-NEVER', [1, 2]), doc, 'medsurg-supply'), { matched: false });
  const [ex] = await listExceptions(pool, { documentId: doc });
  assert.equal(ex?.reasonCode, 'unknown-po');
  assert.match(ex!.message, /PO PO-NEVER from medsurg-supply: we sent no such order/);
  assert.equal(await orderRow('PO-NEVER'), undefined, 'no order is made up for it');

  await sendOrder('PO-X1');
  const rejecting: OrderAck = { ...orderAck('PO-X1', [11, 12]), ackType: 'rejected', lines: [{ lineNumber: '11', status: 'rejected', statusCode: 'IR' }, { lineNumber: '12', status: 'accepted' }] };
  const rejDoc = await storeDoc('inbound', '855');
  assert.deepEqual(await recordOrderAck(pool, rejecting, rejDoc, 'medsurg-supply'), { matched: true });
  const [rej] = await listExceptions(pool, { documentId: rejDoc });
  assert.equal(rej?.reasonCode, 'order-ack-rejected');
  assert.match(rej!.message, /medsurg-supply rejected PO PO-X1 in its order acknowledgement: line 11 rejected \(status IR\)/);
  assert.equal((await orderRow('PO-X1')).state, 'rejected');
});

test('deadlines count from delivery: overdue rows get an exception and a metric; a late acknowledgement still resolves them', async () => {
  const notDelivered = await sendOrder('PO-O0', { sentHoursAgo: null, group: '601' });
  const out = await sendOrder('PO-O1', { sentHoursAgo: 5, group: '602' });
  const result = await runAcksCheck({ pool, log });
  assert.ok(result.overdue >= 1);
  assert.deepEqual((await expectations('PO-O0')).map((e) => e.state), ['waiting', 'waiting'], 'not delivered yet: no deadline');
  assert.equal((await expectations('PO-O0'))[0].due_at, null);
  assert.deepEqual((await expectations('PO-O1')).map((e) => e.state), ['overdue', 'waiting'], '997 due after 4 h, 855 after 48 h');
  const [ex] = await listExceptions(pool, { documentId: out, state: 'open' });
  assert.equal(ex?.reasonCode, 'functional-ack-overdue');
  assert.match(ex!.message, /PO PO-O1 \(revision 0\) sent to medsurg-supply at .*: no functional acknowledgement \(997\) within 4 hours/);
  assert.ok((await countOverdueAcks(pool)).some((c) => c.partnerId === 'medsurg-supply' && c.kind === 'functional' && c.count >= 1));
  assert.equal((await runAcksCheck({ pool, log })).overdue, 0, 'a second run finds nothing new');

  await recordFunctionalAck(pool, ack997('602', []), await storeDoc('inbound', '997'), 'medsurg-supply');
  const [functional] = await expectations('PO-O1');
  assert.equal(functional.state, 'received');
  assert.ok(functional.received_at > functional.due_at, 'recorded as late');
  assert.deepEqual(await listExceptions(pool, { documentId: out, state: 'open' }), [], 'the overdue exception is resolved');
  const [resolved] = await listExceptions(pool, { documentId: out, state: 'resolved' });
  assert.equal(resolved?.resolvedBy, 'gateway');
  await markSent(pool, notDelivered, new Date(Date.now() - 50 * HOUR));
  await runAcksCheck({ pool, log });
  assert.deepEqual((await expectations('PO-O0')).map((e) => e.state), ['overdue', 'overdue']);
});

test('a change supersedes the 855 awaited for the earlier revision; a late 855 naming that revision is kept on it and does not acknowledge the change', async () => {
  const partnerId = 'medsurg-supply';
  const first = await sendOrder('PO-REV', { sentHoursAgo: 60, group: '701', payloadId: 'order-PO-REV-0@gateway' });
  await runAcksCheck({ pool, log });
  assert.equal((await listExceptions(pool, { documentId: first, state: 'open' })).filter((e) => e.reasonCode === 'order-ack-overdue').length, 1);
  // revision 1 goes out: the supplier now owes an acknowledgement of revision 1, not of revision 0
  const change = await storeDoc('outbound', '850', partnerId, { poNumber: 'PO-REV' });
  await recordOrderSent(pool, { partnerId, poNumber: 'PO-REV', revision: '1', outboundDocumentId: change, odooPurchaseOrderId: 7 });
  await expectAcknowledgements(pool, { partnerId, poNumber: 'PO-REV', revision: '1', outboundDocumentId: change, format: 'x12', interchangeControl: '9702', groupControl: '702',
    transactionControl: '0001', functionalAckHours: 4, orderAckHours: 48, sentAt: new Date() });
  const rows = async () => (await pool.query(`select revision, kind, state, outcome from ack_expectations where po_number = 'PO-REV' and kind = 'order' order by id`)).rows.map((r) => [r.revision, r.state, r.outcome]);
  assert.deepEqual(await rows(), [['0', 'superseded', null], ['1', 'waiting', null]]);
  const [superseded] = await listExceptions(pool, { documentId: first, state: 'resolved' });
  assert.match(superseded!.resolution!, /superseded: revision 1 of PO PO-REV was sent/);
  await runAcksCheck({ pool, log });
  assert.deepEqual((await rows())[0], ['0', 'superseded', null], 'a superseded expectation never falls overdue');

  // the supplier's 855 to revision 0 arrives late, naming it by REF*PP (X12) or by its payloadID (cXML)
  for (const names of [{ revision: '0' }, { referencePayloadId: 'order-PO-REV-0@gateway' }]) {
    const late: OrderAck = { ...orderAck('PO-REV', [11, 12]), ...names };
    const { stale } = await orderAckRevision(pool, partnerId, late);
    assert.deepEqual(stale, { acknowledged: '0', current: '1' });
    await recordOrderAck(pool, late, await storeDoc('inbound', '855', partnerId, { poNumber: 'PO-REV' }), partnerId, stale);
  }
  assert.deepEqual(await rows(), [['0', 'superseded', 'accepted'], ['1', 'waiting', null]]);
  assert.equal((await orderRow('PO-REV')).ack_type, null, 'the change is not acknowledged by an answer to the order before it');
  // one naming the current revision, or none, answers the change
  assert.deepEqual(await orderAckRevision(pool, partnerId, { ...orderAck('PO-REV', [11, 12]), revision: '1' }), { current: '1' });
  assert.deepEqual(await orderAckRevision(pool, partnerId, { ...orderAck('PO-REV', [11, 12]), revision: 'SUPPLIER-OWN-7' }), { current: '1' }, 'a revision we never sent is not taken as an earlier one');
  assert.deepEqual(await orderAckRevision(pool, partnerId, orderAck('PO-REV', [11, 12])), { current: '1' }, 'naming none: the current revision');
  assert.deepEqual(await orderAckRevision(pool, partnerId, orderAck('PO-NEVER-SENT', [11, 12])), {});
  await recordOrderAck(pool, orderAck('PO-REV', [11, 12]), await storeDoc('inbound', '855', partnerId, { poNumber: 'PO-REV' }), partnerId);
  assert.deepEqual(await rows(), [['0', 'superseded', 'accepted'], ['1', 'received', 'accepted']]);
  assert.equal((await orderRow('PO-REV')).ack_type, 'accepted');
});

test('a cancellation waits for its 997 only and supersedes the 855 awaited for the order; a partner that answers cancellations is waited on, one that sends no 855 never', async () => {
  for (const [po, answersCancellations] of [['PO-CX1', false], ['PO-CX2', true]] as const) {
    await sendOrder(po, { sentHoursAgo: 1 });
    const profile: PartnerProfile = { id: 'medsurg-supply', name: 'MedSurg', enabled: true, formats: ['x12'], acks: { orderAckForCancellations: answersCancellations } };
    const cancelId = await storeDoc('outbound', '850', 'medsurg-supply', { poNumber: po });
    const cancel = { type: 'order', poNumber: po, purpose: 'cancel', revision: '1', orderDate: '2026-11-23', lines: [] } as unknown as Order;
    await recordOrderExported(pool, { order: cancel, document: (await getDocument(pool, cancelId))!, profile, odooPurchaseOrderId: 7 });
    const rows = (await pool.query(`select revision, kind, state from ack_expectations where po_number = $1 order by id`, [po])).rows.map((r) => `${r.revision} ${r.kind} ${r.state}`);
    assert.deepEqual(rows, answersCancellations
      ? ['0 functional waiting', '0 order superseded', '1 functional waiting', '1 order waiting']
      : ['0 functional waiting', '0 order superseded', '1 functional waiting']);
    assert.equal((await orderRow(po)).state, 'cancelled');
  }
  // a partner that sends no 855 at all: an order waits for its 997 only
  const profile: PartnerProfile = { id: 'medsurg-supply', name: 'MedSurg', enabled: true, formats: ['x12'], acks: { expectOrderAck: false } };
  const id = await storeDoc('outbound', '850', 'medsurg-supply', { poNumber: 'PO-CX3' });
  const order = { type: 'order', poNumber: 'PO-CX3', purpose: 'new', revision: '0', orderDate: '2026-11-23', lines: [] } as unknown as Order;
  await recordOrderSent(pool, { partnerId: 'medsurg-supply', poNumber: 'PO-CX3', revision: '0', outboundDocumentId: id, odooPurchaseOrderId: 8 });
  await recordOrderExported(pool, { order, document: (await getDocument(pool, id))!, profile, odooPurchaseOrderId: 8 });
  assert.deepEqual((await expectations('PO-CX3')).map((e) => e.kind), ['functional']);
});

test('the order state is the same whatever order the 855, the two 856s and the 810 arrive in', async () => {
  const events = ['855', '856a', '856b', '810'] as const;
  const permutations = (xs: readonly string[]): string[][] => (xs.length <= 1 ? [[...xs]] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p])));
  const part = (po: string, id: string, qty1: string, qty2: string) => {
    const n = shipNotice(po, [11, 12], { shipmentId: id });
    n.orders[0]!.lines[0]!.quantityShipped = qty1;
    n.orders[0]!.lines[1]!.quantityShipped = qty2;
    return n;
  };
  const states = new Set<string>();
  let i = 0;
  for (const order of permutations(events)) {
    const po = `PO-P${++i}`;
    await sendOrder(po);
    const seen: string[] = [];
    for (const e of order) {
      const doc = await storeDoc('inbound', e.slice(0, 3), 'medsurg-supply', { poNumber: po });
      if (e === '855') await recordOrderAck(pool, orderAck(po, [11, 12]), doc, 'medsurg-supply');
      if (e === '856a') seen.push(...(await recordShipment(pool, part(po, 'SH-1', '6', '5'), doc, 'medsurg-supply')).map((x) => x.state));
      if (e === '856b') seen.push(...(await recordShipment(pool, part(po, 'SH-2', '4', '0'), doc, 'medsurg-supply')).map((x) => x.state));
      if (e === '810') await recordInvoice(pool, invoice(po, [11, 12]), doc, 'medsurg-supply');
    }
    states.add((await orderRow(po)).state);
    if (order.indexOf('856a') > order.indexOf('810') || order.indexOf('856b') > order.indexOf('810')) continue;
    assert.equal(seen.at(-1), 'shipped', `${order.join(' → ')}: the two shipments together ship it in full`);
  }
  assert.deepEqual([...states], ['invoiced']);
});

test('shipments: a partial one, the rest, then a cancelled notice; a 1.50 counts as 1.5', async () => {
  await sendOrder('PO-S1');
  const first = shipNotice('PO-S1', [11, 12], { shipmentId: 'SH-A' });
  first.orders[0]!.lines[0]!.quantityShipped = '9.50';
  assert.deepEqual(await recordShipment(pool, first, await storeDoc('inbound', '856'), 'medsurg-supply'), [{ poNumber: 'PO-S1', state: 'partially-shipped' }]);
  const rest = shipNotice('PO-S1', [11, 12], { shipmentId: 'SH-B' });
  rest.orders[0]!.lines = [{ ...rest.orders[0]!.lines[0]!, quantityShipped: '0.5' }];
  assert.deepEqual(await recordShipment(pool, rest, await storeDoc('inbound', '856'), 'medsurg-supply'), [{ poNumber: 'PO-S1', state: 'shipped' }]);
  assert.deepEqual(await recordShipment(pool, { ...rest, purpose: 'cancel' }, await storeDoc('inbound', '856'), 'medsurg-supply'), [{ poNumber: 'PO-S1', state: 'partially-shipped' }]);
});

test('a delivery recorded in one statement sets the document state, its event and the order; the session keeps durable commits', async () => {
  const outboundDocumentId = await sendOrder('PO-ONE-STATEMENT', { sentHoursAgo: null });
  await pool.query(`update documents set state = 'output_created' where id = $1`, [outboundDocumentId]);
  const client = await pool.connect();
  try {
    await markSent(client, outboundDocumentId, new Date(), { state: 'output_sent', reason: 'delivered', detail: { remoteRef: '850_1.edi' } });
    assert.equal((await client.query('show synchronous_commit')).rows[0].synchronous_commit, 'on', 'the setting lasted for that statement only');
  } finally {
    client.release();
  }
  assert.equal((await getDocument(pool, outboundDocumentId))!.state, 'output_sent');
  const events = await pool.query(`select state, event, detail from document_events where document_id = $1 and event = 'delivered'`, [outboundDocumentId]);
  assert.deepEqual(events.rows, [{ state: 'output_sent', event: 'delivered', detail: { remoteRef: '850_1.edi' } }]);
  assert.equal((await orderRow('PO-ONE-STATEMENT')).state, 'sent');
  assert.equal((await expectations('PO-ONE-STATEMENT')).every((e) => e.due_at !== null), true, 'deadlines started');
});
