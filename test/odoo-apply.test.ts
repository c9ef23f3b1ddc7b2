// The apply functions end to end against the Odoo simulator, as Odoo 18 (JSON-RPC) and 19 (JSON-2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createLogger } from '../src/log.ts';
import { GatewayError } from '../src/errors.ts';
import type { PartnerProfile } from '../translators/profile.ts';
import { applyOrderAck } from '../src/odoo/apply/order-ack.ts';
import { applyShipNotice } from '../src/odoo/apply/ship-notice.ts';
import { applyInvoice } from '../src/odoo/apply/invoice.ts';
import { MemoryEffectLedger, type ApplyOutcome } from '../src/odoo/apply/types.ts';
import { buildCanonicalOrder } from '../src/odoo/export.ts';
import { startScenario, type Scenario } from './odoo-sim/scenario.ts';
import { ack, invoice, shipNotice } from './fixtures/odoo/documents.ts';

const baseProfile = JSON.parse(readFileSync(new URL('./fixtures/odoo/profile.json', import.meta.url), 'utf8')) as PartnerProfile;
const log = createLogger({ level: 'silent' });
const profileWith = (odoo: Partial<NonNullable<PartnerProfile['odoo']>>): PartnerProfile => ({ ...baseProfile, odoo: { ...baseProfile.odoo, ...odoo } });

async function withScenario(version: 18 | 19, fn: (s: Scenario, ledger: MemoryEffectLedger) => Promise<void>, options?: { contractField?: boolean }) {
  const s = await startScenario(version, options);
  try { await fn(s, new MemoryEffectLedger()); } finally { await s.sim.close(); }
}

/** Applies until the prerequisites are there, as the job's retries would; returns the outcome. */
async function applyWithRetry(run: () => Promise<ApplyOutcome>, attempts = 1): Promise<ApplyOutcome> {
  try { return await run(); } catch (err) {
    if (err instanceof GatewayError && err.retryable && attempts < 5) return applyWithRetry(run, attempts + 1);
    throw err;
  }
}

const codes = (o: ApplyOutcome) => o.exceptions.map((e) => e.reasonCode).sort();

for (const version of [18, 19] as const) {
  test(`Odoo ${version}: a whole order life — export, acknowledgement, ship notice with lots, invoice matched and posted`, () => withScenario(version, async (s, ledger) => {
    const deps = { odoo: s.odoo, ledger, log };
    const order = await buildCanonicalOrder(s.odoo, s.poId, baseProfile);
    assert.equal(order.poNumber, s.poName);
    assert.equal(order.contractNumber, 'GPO-118');
    assert.deepEqual(order.lines.map((l) => [l.lineNumber, l.quantity, l.uom, l.unitPrice, l.itemIds.vendorPart, l.itemIds.gtin, l.itemIds.buyerPart]), [
      [String(s.lineIds[0]), '10', 'EA', '5', 'V-SKU-1001', '4006381333931', 'EDIW-001'],
      [String(s.lineIds[1]), '5', 'EA', '12', 'V-SKU-2002', '10614141000019', 'EDIG-002']]);
    assert.equal(order.shipTo?.ids[0]?.value, 'WH');
    assert.equal(order.shipTo?.address?.city, 'San Francisco');

    const a = await applyOrderAck(deps, ack(s.poName, s.lineIds), baseProfile);
    assert.deepEqual(a.exceptions, []);
    const ackField = version === 18 ? 'mail_reception_confirmed' : 'acknowledged';
    const [po] = await s.odoo.read('purchase.order', [s.poId], ['partner_ref', ackField]);
    assert.equal(po!.partner_ref, 'SO-ACME-7781');
    assert.equal(po![ackField], true);
    const [line1] = await s.odoo.read('purchase.order.line', [s.lineIds[0]!], ['date_planned', 'price_unit']);
    assert.equal(line1!.date_planned, '2026-12-03 10:00:00');

    const n = await applyShipNotice(deps, shipNotice(s.poName, s.lineIds), baseProfile);
    assert.deepEqual(n.exceptions, []);
    const receipts = await s.odoo.search_read('stock.picking', [['purchase_id', '=', s.poId]], ['state']);
    assert.deepEqual(receipts.map((r) => r.state), ['done']);
    const lots = await s.odoo.search_read('stock.lot', [], ['name', 'expiration_date', 'product_qty'], { order: 'name' });
    assert.deepEqual(lots.map((l) => [l.name, l.expiration_date, l.product_qty]), [['LOT-A', '2027-11-30 00:00:00', 6], ['LOT-B', '2028-05-31 00:00:00', 4]]);

    const i = await applyInvoice(deps, invoice(s.poName, s.lineIds), baseProfile, { fileName: 'INV-5501.edi', bytes: Buffer.from('ISA*00*...') });
    assert.deepEqual(i.exceptions, []);
    const bills = await s.odoo.search_read('account.move', [['ref', '=', 'INV-5501']], ['state', 'amount_total']);
    assert.deepEqual(bills.map((b) => [b.state, b.amount_total]), [['posted', 126.5]]);
    const [after] = await s.odoo.read('purchase.order', [s.poId], ['invoice_status', 'receipt_status']);
    assert.deepEqual([after!.invoice_status, after!.receipt_status], ['invoiced', 'full']);
    const attachments = await s.odoo.search_read('ir.attachment', [['res_model', '=', 'account.move']], ['name']);
    assert.deepEqual(attachments.map((x) => x.name), ['INV-5501.edi']);
  }, { contractField: true }));

  test(`Odoo ${version}: acknowledged changes beyond tolerance, backorders, rejections and substitutions are exceptions, not applied`, () => withScenario(version, async (s, ledger) => {
    const doc = ack(s.poName, s.lineIds, { ackType: 'accepted-with-changes' });
    doc.lines = [{ lineNumber: String(s.lineIds[0]), status: 'changed', quantity: '10', unitPrice: '5.5' },
      { lineNumber: String(s.lineIds[1]), status: 'backordered', scheduledDate: '2027-01-10' },
      { lineNumber: '999', status: 'accepted', itemIds: { vendorPart: 'NOT-OURS' } }];
    const out = await applyOrderAck({ odoo: s.odoo, ledger, log }, doc, baseProfile);
    assert.deepEqual(codes(out), ['ack-line-unknown', 'line-backordered', 'price-changed']);
    const lines = await s.odoo.read('purchase.order.line', s.lineIds, ['price_unit']);
    assert.deepEqual(lines.map((l) => l.price_unit), [5, 12]);
    const activities = await s.odoo.search_read('mail.activity', [['res_model', '=', 'purchase.order'], ['res_id', '=', s.poId]], ['summary']);
    assert.equal(activities.length, 1);

    const within = ack(s.poName, s.lineIds, { revision: '1' } as never);
    within.lines = [{ lineNumber: String(s.lineIds[0]), status: 'changed', quantity: '10', unitPrice: '5.04' }, { lineNumber: String(s.lineIds[1]), status: 'changed', itemIds: { vendorPart: 'V-SKU-OTHER' } }];
    const out2 = await applyOrderAck({ odoo: s.odoo, ledger, log }, within, baseProfile);
    assert.deepEqual(codes(out2), ['line-substituted']);
    const [l1] = await s.odoo.read('purchase.order.line', [s.lineIds[0]!], ['price_unit', 'product_qty']);
    assert.deepEqual([l1!.price_unit, l1!.product_qty], [5.04, 10]);

    const rejected = await applyOrderAck({ odoo: s.odoo, ledger, log }, { ...ack(s.poName, s.lineIds, { ackType: 'rejected' }), revision: '2' }, baseProfile);
    assert.deepEqual(codes(rejected), ['order-rejected']);
  }));

  test(`Odoo ${version}: ship-notice items not on the PO, quantities above the open quantity and short-dated lots are exceptions`, () => withScenario(version, async (s, ledger) => {
    const doc = shipNotice(s.poName, s.lineIds);
    doc.orders[0]!.lines[0]!.lots = [{ lotNumber: 'LOT-OLD', expirationDate: '2027-01-15', quantity: '10' }];
    doc.orders[0]!.lines[1]!.quantityShipped = '7';
    doc.orders[0]!.lines.push({ lineNumber: '77', itemIds: { vendorPart: 'V-SKU-9999' }, quantityShipped: '1', uom: 'EA', lots: [], serialNumbers: [] });
    const out = await applyShipNotice({ odoo: s.odoo, ledger, log }, doc, baseProfile);
    assert.deepEqual(codes(out), ['item-not-on-order', 'quantity-over-open', 'short-shelf-life']);
    const receipts = await s.odoo.search_read('stock.picking', [['purchase_id', '=', s.poId]], ['state']);
    assert.deepEqual(receipts.map((r) => r.state), ['assigned'], 'a receipt with exceptions is not validated');
  }));

  test(`Odoo ${version}: a ship notice pre-fills the receipt without validating it unless the profile says so`, () => withScenario(version, async (s, ledger) => {
    const doc = shipNotice(s.poName, s.lineIds);
    doc.orders[0]!.lines[0]!.quantityShipped = '6';
    doc.orders[0]!.lines[0]!.lots = [{ lotNumber: 'LOT-A', expirationDate: '2027-11-30', quantity: '6' }];
    await applyShipNotice({ odoo: s.odoo, ledger, log }, doc, profileWith({ autoValidateReceipts: false }));
    const lines = await s.odoo.search_read('stock.move.line', [['picking_id.purchase_id', '=', s.poId]], ['lot_name', 'quantity', 'move_id'], { order: 'id' });
    assert.deepEqual(lines.map((l) => [l.lot_name, l.quantity]), [['LOT-A', 6], [false, 5]]);
    assert.ok(lines.every((l) => l.move_id !== false), 'no orphaned move line');
    const [receipt] = await s.odoo.search_read('stock.picking', [['purchase_id', '=', s.poId]], ['state']);
    assert.equal(receipt!.state, 'assigned');
  }));

  test(`Odoo ${version}: two partial ship notices on one receipt, each interrupted after Odoo wrote part of it, pre-fill every piece exactly once`, () => withScenario(version, async (s, ledger) => {
    const deps = { odoo: s.odoo, ledger, log };
    const profile = profileWith({ autoValidateReceipts: false });
    const [l1, l2] = s.lineIds.map(String) as [string, string];
    const first = shipNotice(s.poName, s.lineIds, { shipmentId: 'SH-1' });
    first.orders[0]!.lines = [{ lineNumber: l1, itemIds: { vendorPart: 'V-SKU-1001' }, quantityShipped: '6', uom: 'EA', serialNumbers: [], lots: [{ lotNumber: 'LOT-A', expirationDate: '2027-11-30', quantity: '6' }] },
      { lineNumber: l2, itemIds: { vendorPart: 'V-SKU-2002' }, quantityShipped: '2', uom: 'EA', serialNumbers: [], lots: [] }];
    const second = shipNotice(s.poName, s.lineIds, { shipmentId: 'SH-2' });
    second.orders[0]!.lines = [{ lineNumber: l1, itemIds: { vendorPart: 'V-SKU-1001' }, quantityShipped: '4', uom: 'EA', serialNumbers: [], lots: [{ lotNumber: 'LOT-B', expirationDate: '2028-05-31', quantity: '4' }] },
      { lineNumber: l2, itemIds: { vendorPart: 'V-SKU-2002' }, quantityShipped: '3', uom: 'EA', serialNumbers: [], lots: [] }];

    // the first: its first line written, then Odoo answers 503 on the second line's write
    s.sim.failWithStatus(503, { model: 'stock.move', method: 'write', skip: 1 });
    await assert.rejects(applyShipNotice(deps, first, profile), (e: GatewayError) => e.retryable);
    assert.deepEqual((await applyShipNotice(deps, first, profile)).exceptions, [], 'the retry is not taken for a quantity above the open quantity');
    // the second: its first line appended to the pre-filled move and committed, the answer lost
    s.sim.dropResponseAfterCommit({ model: 'stock.move', method: 'write' });
    await assert.rejects(applyShipNotice(deps, second, profile), (e: GatewayError) => e.retryable);
    assert.deepEqual((await applyShipNotice(deps, second, profile)).exceptions, []);
    assert.match((await applyShipNotice(deps, second, profile)).summary, /already applied/);

    const lines = await s.odoo.search_read('stock.move.line', [['picking_id.purchase_id', '=', s.poId]], ['lot_name', 'quantity', 'product_id'], { order: 'id' });
    const byProduct = (n: number) => lines.filter((l) => (l.product_id as [number, string])[0] === n).map((l) => [l.lot_name, l.quantity]).sort();
    const [pl1, pl2] = await s.odoo.read('purchase.order.line', s.lineIds, ['product_id']);
    assert.deepEqual(byProduct((pl1!.product_id as [number, string])[0]), [['LOT-A', 6], ['LOT-B', 4]]);
    assert.deepEqual(byProduct((pl2!.product_id as [number, string])[0]), [[false, 2], [false, 3]]);
  }));

  test(`Odoo ${version}: a ship notice whose run validated the receipt and stopped before recording it is no exception on the retry`, () => withScenario(version, async (s, ledger) => {
    // the run stops (the process dies, say) right after button_validate: the notice's own key is never recorded
    const stopping = Object.assign(Object.create(ledger) as MemoryEffectLedger, {
      recordAll: async (entries: Array<{ key: string; model: string; id: number }>) => {
        if (entries.some((e) => /^asn:\d+:SH-9001$/.test(e.key))) throw new GatewayError('db-unreachable', 'connection lost', { retryable: true });
        return ledger.recordAll(entries);
      },
    });
    await assert.rejects(applyShipNotice({ odoo: s.odoo, ledger: stopping, log }, shipNotice(s.poName, s.lineIds), baseProfile));
    const [receipt] = await s.odoo.search_read('stock.picking', [['purchase_id', '=', s.poId]], ['state']);
    assert.equal(receipt!.state, 'done', 'validated by the first run');
    const retry = await applyShipNotice({ odoo: s.odoo, ledger, log }, shipNotice(s.poName, s.lineIds), baseProfile);
    assert.deepEqual(retry.exceptions, []);
    assert.match((await applyShipNotice({ odoo: s.odoo, ledger, log }, shipNotice(s.poName, s.lineIds), baseProfile)).summary, /already applied/);
  }));

  test(`Odoo ${version}: a replacing or withdrawn ship notice never rewrites a pre-filled receipt: the buyer gets an exception and a to-do on it`, () => withScenario(version, async (s, ledger) => {
    const deps = { odoo: s.odoo, ledger, log };
    const profile = profileWith({ autoValidateReceipts: false });
    const lines = async () => (await s.odoo.search_read('stock.move.line', [['picking_id.purchase_id', '=', s.poId]], ['lot_name', 'quantity'], { order: 'id' })).map((l) => [l.lot_name, l.quantity]);
    const todos = async () => (await s.odoo.search_read('mail.activity', [['res_model', '=', 'stock.picking']], ['summary'])).map((a) => a.summary).sort();

    // a replacement that arrives before its original is the shipment; the original, arriving after it, changes nothing
    const replacement = shipNotice(s.poName, s.lineIds, { purpose: 'change' });
    replacement.orders[0]!.lines[0]!.lots = [{ lotNumber: 'LOT-R', expirationDate: '2028-01-31', quantity: '10' }];
    assert.deepEqual((await applyShipNotice(deps, replacement, profile)).exceptions, []);
    assert.match((await applyShipNotice(deps, shipNotice(s.poName, s.lineIds), profile)).summary, /already applied/);
    assert.deepEqual(await lines(), [['LOT-R', 10], [false, 5]]);

    // a second replacement, after the pre-fill: the receipt is left as it is
    const again = shipNotice(s.poName, s.lineIds, { purpose: 'change' });
    again.orders[0]!.lines[0]!.lots = [{ lotNumber: 'LOT-S', expirationDate: '2028-03-31', quantity: '10' }];
    const replaced = await applyShipNotice(deps, again, profile);
    assert.deepEqual(codes(replaced), ['ship-notice-replaced']);
    assert.match(replaced.exceptions[0]!.message, /replaced ship notice SH-9001 after it pre-filled receipt .*not applied\. It now says: .*lots LOT-S x 10 exp\. 2028-03-31/);
    assert.deepEqual(await lines(), [['LOT-R', 10], [false, 5]]);

    // withdrawn: the pre-fill stays for the dock to check; once only, however often it is applied
    const withdrawn = shipNotice(s.poName, s.lineIds, { purpose: 'cancel' });
    assert.deepEqual(codes(await applyShipNotice(deps, withdrawn, profile)), ['ship-notice-withdrawn']);
    await applyShipNotice(deps, withdrawn, profile);
    assert.deepEqual(await lines(), [['LOT-R', 10], [false, 5]]);
    assert.deepEqual(await todos(), ['EDI ship notice SH-9001 replaced by the supplier', 'EDI ship notice SH-9001 withdrawn by the supplier']);

    // withdrawn before it was ever applied: the notice, arriving after, is kept out of the receipt
    const early = shipNotice(s.poName, s.lineIds, { shipmentId: 'SH-9002', purpose: 'cancel' });
    assert.match((await applyShipNotice(deps, early, profile)).summary, /withdrawn before it was applied/);
    const late = shipNotice(s.poName, s.lineIds, { shipmentId: 'SH-9002' });
    late.orders[0]!.lines = [];
    late.orders[0]!.lines.push({ lineNumber: String(s.lineIds[1]), itemIds: { vendorPart: 'V-SKU-2002' }, quantityShipped: '1', uom: 'EA', serialNumbers: [], lots: [] });
    assert.match((await applyShipNotice(deps, late, profile)).summary, /withdrawn by the supplier before it was applied: not applied/);
    assert.deepEqual(await lines(), [['LOT-R', 10], [false, 5]]);
  }));

  test(`Odoo ${version}: an updated acknowledgement is applied, the same one again is not; a recheck applies what Odoo lost; a deleted draft bill is made again, once`, () => withScenario(version, async (s, ledger) => {
    const deps = { odoo: s.odoo, ledger, log };
    const ackField = version === 18 ? 'mail_reception_confirmed' : 'acknowledged';
    const planned = async () => (await s.odoo.read('purchase.order.line', [s.lineIds[0]!], ['date_planned']))[0]!.date_planned;
    const notes = async () => (await s.odoo.search_read('mail.message', [['model', '=', 'purchase.order'], ['res_id', '=', s.poId], ['body', 'like', 'EDI order acknowledgement']], ['id'])).length;
    await applyOrderAck(deps, ack(s.poName, s.lineIds), baseProfile);
    assert.equal(await planned(), '2026-12-03 10:00:00');
    // the supplier moves the first line's date: a second 855 for the same revision
    const updated = ack(s.poName, s.lineIds);
    updated.lines[0]!.scheduledDate = '2026-12-10';
    assert.match((await applyOrderAck(deps, updated, baseProfile)).summary, /1 line change\(s\) applied/);
    assert.equal(await planned(), '2026-12-10 10:00:00');
    assert.match((await applyOrderAck(deps, updated, baseProfile)).summary, /already applied/, 'the same acknowledgement in another file');
    assert.equal(await notes(), 2);

    // Odoo lost the acknowledgement (restored from a backup): the ledger alone says done, a recheck applies it again
    await s.odoo.write('purchase.order', [s.poId], { [ackField]: false, partner_ref: false });
    await applyOrderAck(deps, updated, baseProfile);
    assert.equal((await s.odoo.read('purchase.order', [s.poId], [ackField]))[0]![ackField], false);
    await applyOrderAck({ ...deps, recheck: true }, updated, baseProfile);
    const [po] = await s.odoo.read('purchase.order', [s.poId], [ackField, 'partner_ref']);
    assert.deepEqual([po![ackField], po!.partner_ref], [true, 'SO-ACME-7781']);
    assert.equal(await notes(), 2, 'the note is found, not posted again');

    // the draft bill deleted in Odoo: applying the invoice again makes it again, and only once
    await applyShipNotice(deps, shipNotice(s.poName, s.lineIds), baseProfile);
    const draftOnly = profileWith({ autoPostBills: false });
    await applyInvoice(deps, invoice(s.poName, s.lineIds, { documentId: '51' }), draftOnly);
    const bills = async () => (await s.odoo.search_read('account.move', [['ref', '=', 'INV-5501']], ['state'])).map((b) => b.id);
    const [first] = await bills();
    await s.odoo.call('account.move', 'unlink', [first!]);
    const again = await applyInvoice({ ...deps, recheck: true }, invoice(s.poName, s.lineIds, { documentId: '51' }), draftOnly);
    assert.deepEqual(again.exceptions, []);
    const [second] = await bills();
    assert.ok(second !== undefined && second !== first);
    await applyInvoice({ ...deps, recheck: true }, invoice(s.poName, s.lineIds, { documentId: '51' }), draftOnly);
    assert.deepEqual(await bills(), [second]);
    assert.deepEqual(codes(await applyInvoice(deps, invoice(s.poName, s.lineIds, { documentId: '52' }), draftOnly)), ['duplicate-invoice']);
  }));

  test(`Odoo ${version}: invoice price variance leaves a draft bill with an exception; a second invoice with the same number is never a second bill`, () => withScenario(version, async (s, ledger) => {
    const deps = { odoo: s.odoo, ledger, log };
    await applyShipNotice(deps, shipNotice(s.poName, s.lineIds), baseProfile);
    const doc = invoice(s.poName, s.lineIds, { documentId: '41' });
    doc.lines[1]!.unitPrice = '13';
    const out = await applyInvoice(deps, doc, baseProfile);
    assert.ok(codes(out).includes('price-variance'));
    const again = await applyInvoice(deps, invoice(s.poName, s.lineIds, { documentId: '42' }), baseProfile);
    assert.deepEqual(codes(again), ['duplicate-invoice']);
    const bills = await s.odoo.search_read('account.move', [['ref', '=', 'INV-5501']], ['state']);
    assert.deepEqual(bills.map((b) => b.state), ['draft']);
    // a bill keyed in by hand with the same vendor reference also blocks a new one
    const other = await applyInvoice({ odoo: s.odoo, ledger: new MemoryEffectLedger(), log }, invoice(s.poName, s.lineIds, { documentId: '43' }), baseProfile);
    assert.deepEqual(codes(other), ['duplicate-invoice']);
  }));

  test(`Odoo ${version}: an invoice before its ship notice waits (retryable not-ready); so does an ack for an unknown PO`, () => withScenario(version, async (s, ledger) => {
    const deps = { odoo: s.odoo, ledger, log };
    await assert.rejects(applyInvoice(deps, invoice(s.poName, s.lineIds), baseProfile), (e: GatewayError) => e.code === 'odoo-not-ready' && e.retryable);
    await assert.rejects(applyInvoice(deps, invoice(s.poName, s.lineIds, { shipmentId: undefined }), baseProfile), (e: GatewayError) => e.code === 'odoo-not-ready');
    await assert.rejects(applyOrderAck(deps, ack('P99999', s.lineIds), baseProfile), (e: GatewayError) => e.code === 'odoo-not-ready' && e.retryable);
    assert.equal((await s.odoo.search_read('account.move', [], ['id'])).length, 0);
  }));

  test(`Odoo ${version}: a response lost after Odoo committed still gives one bill, and the same document twice gives one record`, () => withScenario(version, async (s, ledger) => {
    const deps = { odoo: s.odoo, ledger, log };
    await applyShipNotice(deps, shipNotice(s.poName, s.lineIds), baseProfile);
    s.sim.dropResponseAfterCommit({ model: 'account.move', method: 'create' });
    await assert.rejects(applyInvoice(deps, invoice(s.poName, s.lineIds), baseProfile), (e: GatewayError) => e.retryable);
    const out = await applyInvoice(deps, invoice(s.poName, s.lineIds), baseProfile);
    assert.deepEqual(out.exceptions, []);
    const twice = await applyInvoice(deps, invoice(s.poName, s.lineIds), baseProfile);
    assert.deepEqual(twice.exceptions, []);
    const bills = await s.odoo.search_read('account.move', [['ref', '=', 'INV-5501']], ['state']);
    assert.deepEqual(bills.map((b) => b.state), ['posted']);

    s.sim.dropResponseAfterCommit({ model: 'purchase.order', method: 'message_post' });
    await assert.rejects(applyOrderAck(deps, ack(s.poName, s.lineIds), baseProfile));
    await applyOrderAck(deps, ack(s.poName, s.lineIds), baseProfile);
    await applyOrderAck(deps, ack(s.poName, s.lineIds), baseProfile);
    const notes = await s.odoo.search_read('mail.message', [['model', '=', 'purchase.order'], ['res_id', '=', s.poId], ['body', 'like', 'EDI order acknowledgement']], ['id']);
    assert.equal(notes.length, 1);
  }));
}

const ORDERS = [['ack', 'asn', 'inv'], ['ack', 'inv', 'asn'], ['asn', 'ack', 'inv'], ['asn', 'inv', 'ack'], ['inv', 'ack', 'asn'], ['inv', 'asn', 'ack']];
test('every arrival order of 855, 856 and 810 converges to the same end state (Odoo 19)', async () => {
  const states: string[] = [];
  for (const order of ORDERS) {
    await withScenario(19, async (s, ledger) => {
      const deps = { odoo: s.odoo, ledger, log };
      const run = { ack: () => applyOrderAck(deps, ack(s.poName, s.lineIds), baseProfile), asn: () => applyShipNotice(deps, shipNotice(s.poName, s.lineIds), baseProfile),
        inv: () => applyInvoice(deps, invoice(s.poName, s.lineIds), baseProfile) } as const;
      // a document whose prerequisites are missing goes back to the queue and runs again after the others
      const queue = [...order] as Array<keyof typeof run>;
      for (let guard = 0; queue.length && guard < 10; guard++) {
        const next = queue.shift()!;
        try { assert.deepEqual((await run[next]()).exceptions, []); } catch (err) {
          if (!(err instanceof GatewayError && err.code === 'odoo-not-ready')) throw err;
          queue.push(next);
        }
      }
      assert.deepEqual(queue, []);
      const [po] = await s.odoo.read('purchase.order', [s.poId], ['partner_ref', 'acknowledged', 'receipt_status', 'invoice_status']);
      const bills = await s.odoo.search_read('account.move', [], ['state', 'amount_total']);
      const lines = await s.odoo.read('purchase.order.line', s.lineIds, ['qty_received', 'qty_invoiced', 'price_unit', 'date_planned']);
      states.push(JSON.stringify({ po: { ...po, id: 0 }, bills: bills.map((b) => [b.state, b.amount_total]), lines: lines.map((l) => ({ ...l, id: 0 })) }));
    });
  }
  assert.equal(new Set(states).size, 1, states.join('\n'));
});
