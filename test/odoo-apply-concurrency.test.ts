/**
 * Several documents are applied to Odoo at once (ODOO_APPLY_CONCURRENCY), but never two about the same
 * purchase order: while one PO's acknowledgement waits on a slow Odoo call, another PO's goes through,
 * and the first PO's ship notice waits for its acknowledgement to finish.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway, waitFor, type TestGateway } from './helpers/gateway.ts';
import { interchange } from './helpers/x12.ts';
import { startScenario } from './odoo-sim/scenario.ts';
import { ingestDocument } from '../src/pipeline/ingest.ts';
import { findDocuments, getDocument, listEvents } from '../src/store/documents.ts';
import { applyLockKeys } from '../src/pipeline/apply.ts';
import type { Invoice } from '../translators/types.ts';

const partnersDir = mkdtempSync(join(tmpdir(), 'apply-concurrency-partners-'));
writeFileSync(join(partnersDir, 'acme.json'), JSON.stringify({
  id: 'acme', name: 'ACME Supplies Inc.', enabled: true, formats: ['x12'],
  x12: { isaQualifier: 'ZZ', isaId: 'ACMESUP', gsId: 'ACMESUP', version: '004010', functionalAck: '997' },
  odoo: { vendorRef: 'ACME-001', priceTolerancePercent: 1 },
}));

let isa13 = 700;
const ack855 = (po: string, lines: number[], supplierOrder: string) => interchange({ sender: 'ACMESUP', isa13: String(++isa13).padStart(9, '0'), functionalId: 'PR', sets: [{ id: '855', segments: [
  `BAK*00*AC*${po}*20261123****${supplierOrder}*20261123`,
  `PO1*${lines[0]}*10*EA*5**VN*V-SKU-1001`, 'ACK*IA*10*EA*068*20261203',
  `PO1*${lines[1]}*5*EA*12**VN*V-SKU-2002`, 'ACK*IA*5*EA*068*20261203', 'CTT*2'] }] });
const asn856 = (po: string, lines: number[]) => interchange({ sender: 'ACMESUP', isa13: String(++isa13).padStart(9, '0'), functionalId: 'SH', sets: [{ id: '856', segments: [
  'BSN*00*ASN-C1*20261124*1200', 'HL*1**S', 'TD5**2*UPSN*M*UPS Ground', 'DTM*011*20261124', 'HL*2*1*O', `PRF*${po}`,
  'HL*3*2*I', `LIN*${lines[0]}*VN*V-SKU-1001*LT*LOT-C1`, 'SN1**10*EA', 'DTM*036*20281231',
  'HL*4*2*I', `LIN*${lines[1]}*VN*V-SKU-2002`, 'SN1**5*EA', 'CTT*4'] }] });

/** The canonical child of a file, once translated. */
async function childOf(gw: TestGateway, raw: Buffer): Promise<string> {
  const { documentId } = await ingestDocument(gw.ctx, { partnerId: 'acme', format: 'x12', transport: 'sftp', raw });
  return waitFor(async () => (await findDocuments(gw.ctx.pool, { parentId: documentId })).find((d) => d.direction === 'inbound')?.id, 'the file translated');
}

const stateOf = async (gw: TestGateway, id: string) => (await getDocument(gw.ctx.pool, id))?.state;
const appliedAt = async (gw: TestGateway, id: string) => (await listEvents(gw.ctx.pool, id)).find((e) => e.event === 'applied')?.at;

test('documents of different purchase orders are applied at once; those of one order one after the other', { timeout: 60_000 }, async () => {
  const s = await startScenario(19);
  after(() => s.sim.close());
  // a second confirmed PO like the first
  const lines = await s.odoo.read('purchase.order.line', s.lineIds, ['product_id', 'product_qty', 'price_unit']);
  const otherId = await s.odoo.create('purchase.order', { partner_id: s.vendorId, date_planned: '2026-12-01 10:00:00',
    order_line: lines.map((l) => [0, 0, { product_id: (l.product_id as [number, string])[0], product_qty: l.product_qty, price_unit: l.price_unit, date_planned: '2026-12-01 10:00:00' }]) });
  await s.odoo.call('purchase.order', 'button_confirm', [otherId]);
  const [other] = await s.odoo.read('purchase.order', [otherId], ['name', 'order_line']);

  const gw = await startTestGateway({
    label: 'apply_concurrency',
    env: { PARTNERS_DIR: partnersDir, ODOO_URL: s.sim.url, ODOO_DB: 'edi_sim', ODOO_USERNAME: 'admin', ODOO_API_KEY: 'sim-api-key', ODOO_APPLY_CONCURRENCY: '4' },
  });
  await gw.ready;

  // only the first PO's acknowledgement writes the PO header (its supplier order number): that write takes 3 s
  s.sim.delay(3000, { model: 'purchase.order', method: 'write' }, 1);
  const slowAck = await childOf(gw, ack855(s.poName, s.lineIds, 'SO-SLOW'));
  const sameOrderAsn = await childOf(gw, asn856(s.poName, s.lineIds));
  const otherAck = await childOf(gw, ack855(String(other!.name), other!.order_line as number[], ''));

  await waitFor(async () => (await stateOf(gw, otherAck))?.startsWith('input_applied') || undefined, 'the other order\'s acknowledgement applied', 20_000);
  assert.equal(await stateOf(gw, slowAck), 'input_translated', 'the slow acknowledgement is still in Odoo');
  assert.equal(await stateOf(gw, sameOrderAsn), 'input_translated', 'the same order\'s ship notice waits for it, though workers are free');

  await waitFor(async () => (await stateOf(gw, sameOrderAsn))?.startsWith('input_applied') || undefined, 'the ship notice applied', 20_000);
  assert.match((await stateOf(gw, slowAck))!, /^input_applied/);
  assert.ok((await appliedAt(gw, sameOrderAsn))! >= (await appliedAt(gw, slowAck))!, 'the ship notice was applied after the acknowledgement');
  const [po] = await s.odoo.read('purchase.order', [s.poId], ['partner_ref']);
  assert.equal(po!.partner_ref, 'SO-SLOW');
});

test('the same invoice in two files applied at once makes one bill and one duplicate-invoice exception', { timeout: 60_000 }, async () => {
  const s = await startScenario(19);
  after(() => s.sim.close());
  const gw = await startTestGateway({
    label: 'apply_concurrency_invoice',
    env: { PARTNERS_DIR: partnersDir, ODOO_URL: s.sim.url, ODOO_DB: 'edi_sim', ODOO_USERNAME: 'admin', ODOO_API_KEY: 'sim-api-key', ODOO_APPLY_CONCURRENCY: '4' },
  });
  await gw.ready;
  // the goods are in: the ship notice gave the lots, the dock validated the receipt
  const asn = await childOf(gw, asn856(s.poName, s.lineIds));
  await waitFor(async () => (await stateOf(gw, asn))?.startsWith('input_applied') || undefined, 'the ship notice applied', 20_000);
  const [receipt] = await s.odoo.search_read('stock.picking', [['purchase_id', '=', s.poId]], ['id']);
  await s.odoo.call('stock.picking', 'button_validate', [receipt!.id], { context: { skip_backorder: true } });
  const invoice = () => interchange({ sender: 'ACMESUP', isa13: String(++isa13).padStart(9, '0'), functionalId: 'IN', sets: [{ id: '810', segments: [
    `BIG*20261125*INV-TWICE**${s.poName}`, `IT1*${s.lineIds[0]}*10*EA*5**VN*V-SKU-1001`, `IT1*${s.lineIds[1]}*5*EA*12**VN*V-SKU-2002`, 'TDS*11000', 'CTT*2'] }] });
  // the first bill's creation takes a second: without a lock the second file would find no bill and make its own
  s.sim.delay(1000, { model: 'account.move', method: 'create' }, 1);
  const first = await childOf(gw, invoice());
  const second = await childOf(gw, invoice());
  for (const id of [first, second]) await waitFor(async () => (await stateOf(gw, id))?.startsWith('input_applied') || undefined, 'both invoices applied', 20_000);
  const bills = await s.odoo.search_read('account.move', [['move_type', '=', 'in_invoice'], ['ref', '=', 'INV-TWICE']], ['id']);
  assert.equal(bills.length, 1, 'one bill');
  const exceptions = await gw.ctx.pool.query<{ document_id: string }>(`select document_id::text from exceptions where reason_code = 'duplicate-invoice'`);
  assert.deepEqual(exceptions.rows.map((r) => r.document_id), [second]);
});

test('what a document locks while it is applied: its purchase orders, and an invoice its number too', () => {
  const invoice = { type: 'invoice', invoiceNumber: 'INV-1', poNumber: 'PO-1', lines: [{ poNumber: 'PO-2' }, { poNumber: 'PO-1' }, {}] } as unknown as Invoice;
  assert.deepEqual(applyLockKeys(invoice, 'acme'), ['acme:po:PO-1', 'acme:po:PO-2', 'acme:invoice:INV-1']);
  assert.deepEqual(applyLockKeys({ type: 'ship-notice', orders: [{ poNumber: 'PO-3' }, { poNumber: 'PO-4' }] } as never, 'acme'), ['acme:po:PO-3', 'acme:po:PO-4']);
  assert.deepEqual(applyLockKeys({ type: 'order-ack', poNumber: 'PO-5' } as never, 'acme'), ['acme:po:PO-5']);
});
