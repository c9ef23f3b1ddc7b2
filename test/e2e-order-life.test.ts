/**
 * The whole life of one purchase order through the running gateway, against the Odoo simulator in
 * Odoo 18 (JSON-RPC) and Odoo 19 (JSON-2) modes: PO confirmed in Odoo → 850 sent → 997 and 855 back →
 * 856 with lots → 810 → draft vendor bill; replaying the invoice file creates no second bill.
 * The supplier's files arrive as SFTP would hand them over (ingestDocument); delivery is captured.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway, waitFor, type TestGateway } from './helpers/gateway.ts';
import { interchange } from './helpers/x12.ts';
import { startScenario } from './odoo-sim/scenario.ts';
import type { Component } from '../src/gateway.ts';
import { ingestDocument } from '../src/pipeline/ingest.ts';
import { queueExport } from '../src/pipeline/poll-orders.ts';
import { replayDocument } from '../src/pipeline/replay.ts';
import { findDocuments, getDocument } from '../src/store/documents.ts';
import { listExceptions } from '../src/store/exceptions.ts';
import { translateDocument } from '../translators/index.ts';
import { createApiKey } from '../src/http/api-keys.ts';
import type { Order } from '../translators/types.ts';

const partnersDir = mkdtempSync(join(tmpdir(), 'e2e-partners-'));
writeFileSync(join(partnersDir, 'acme.yaml'), `id: acme
name: ACME Supplies Inc.
enabled: true
formats: [x12]
x12: { isaQualifier: ZZ, isaId: ACMESUP, gsId: ACMESUP, version: "004010", functionalAck: "997" }
sftp:
  host: 127.0.0.1
  username: gateway
  passwordEnv: E2E_ACME_SFTP_PASSWORD
  hostKeySha256: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
  inbox: /out
  outbox: /in
odoo: { vendorRef: ACME-001, priceTolerancePercent: 1, sendOrdersConfirmedFrom: '2026-01-01' }
`);
process.env.E2E_ACME_SFTP_PASSWORD = 'not-used-delivery-is-captured';

interface Captured { name: string; bytes: Buffer }

function captureSftp(files: Captured[]): Component {
  return {
    name: 'captured-sftp',
    start: async (ctx) => {
      ctx.outbound.sftp = { deliver: async (_profile, file) => { files.push({ name: file.name, bytes: file.bytes }); return { remoteRef: file.name }; } };
    },
    stop: async () => undefined,
  };
}

async function stateOf(gw: TestGateway, id: string): Promise<string | undefined> {
  return (await getDocument(gw.ctx.pool, id))?.state;
}

async function receive(gw: TestGateway, raw: Buffer): Promise<string> {
  const { documentId } = await ingestDocument(gw.ctx, { partnerId: 'acme', format: 'x12', transport: 'sftp', raw });
  await waitFor(async () => (await stateOf(gw, documentId)) !== 'input_received' || undefined, 'the file to be translated');
  return documentId;
}

/** Waits until every canonical child of a file was applied (or applied with exceptions). */
async function applied(gw: TestGateway, fileId: string): Promise<string[]> {
  return waitFor(async () => {
    const children = (await findDocuments(gw.ctx.pool, { parentId: fileId })).filter((d) => d.direction === 'inbound');
    if (children.length === 0 || children.some((c) => c.state === 'input_translated')) return undefined;
    return children.map((c) => c.state);
  }, 'the documents to be applied to Odoo', 30_000);
}

for (const version of [18, 19] as const) {
  test(`the whole order life through X12 against Odoo ${version}`, { timeout: 120_000 }, async () => {
    const s = await startScenario(version);
    after(() => s.sim.close());
    const files: Captured[] = [];
    const gw = await startTestGateway({
      label: `e2e_${version}`, components: [captureSftp(files)],
      env: { PARTNERS_DIR: partnersDir, ODOO_URL: s.sim.url, ODOO_DB: 'edi_sim', ODOO_USERNAME: 'admin', ODOO_API_KEY: 'sim-api-key', OUR_ISA_ID: 'EDIGATEWAY' },
    });
    await gw.ready;

    // 1. the confirmed PO goes out as an 850, and the PO's chatter says so
    await queueExport(gw.ctx, s.poId, 'webhook');
    const [sent] = await waitFor(async () => {
      const docs = await findDocuments(gw.ctx.pool, { docType: '850', partnerId: 'acme' });
      return docs.length === 1 && docs[0]!.state === 'output_sent' ? docs : undefined;
    }, 'the 850 to be delivered');
    const file850 = files.find((f) => f.name.startsWith('850_'))!;
    assert.ok(file850, 'the 850 file was uploaded');
    const order = translateDocument(file850.bytes).documents[0] as Order;
    assert.equal(order.poNumber, s.poName);
    assert.deepEqual(order.lines.map((l) => l.itemIds.vendorPart), ['V-SKU-1001', 'V-SKU-2002']);
    assert.equal(order.lines[0]!.itemIds.gtin, '04006381333931');
    const notes = await s.odoo.search_read('mail.message', [['model', '=', 'purchase.order'], ['res_id', '=', s.poId]], ['body']);
    assert.ok(notes.some((n) => String(n.body).includes(`ISA13 ${sent!.interchangeControl}`)), 'chatter names the control numbers');

    // exporting again with nothing changed sends nothing
    await queueExport(gw.ctx, s.poId, 'cursor');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await findDocuments(gw.ctx.pool, { docType: '850', partnerId: 'acme' })).length, 1);

    const [line1, line2] = order.lines;
    // 2. the supplier's 997 for our 850
    const ack997 = await receive(gw, interchange({ sender: 'ACMESUP', isa13: '000000501', functionalId: 'FA', sets: [{ id: '997', segments: [
      `AK1*PO*${Number(sent!.groupControl)}`, `AK2*850*${sent!.transactionControl}`, 'AK5*A', 'AK9*A*1*1*1'] }] }));
    assert.equal(await stateOf(gw, ack997), 'input_translated');

    // 3. the 855: accepted, with the supplier's order number and scheduled dates
    const f855 = await receive(gw, interchange({ sender: 'ACMESUP', isa13: '000000502', functionalId: 'PR', sets: [{ id: '855', segments: [
      `BAK*00*AC*${s.poName}*20261123****SO-5501*20261123`,
      `PO1*${line1!.lineNumber}*10*EA*5**VN*V-SKU-1001`, 'ACK*IA*10*EA*068*20261203',
      `PO1*${line2!.lineNumber}*5*EA*12**VN*V-SKU-2002`, 'ACK*IA*5*EA*068*20261203', 'CTT*2'] }] }));
    assert.deepEqual(await applied(gw, f855), ['input_applied']);
    const [po] = await s.odoo.read('purchase.order', [s.poId], ['partner_ref']);
    assert.equal(po!.partner_ref, 'SO-5501');

    // 4. the 856 with a lot and its expiry
    const f856 = await receive(gw, interchange({ sender: 'ACMESUP', isa13: '000000503', functionalId: 'SH', sets: [{ id: '856', segments: [
      'BSN*00*ASN-9001*20261124*1200', 'HL*1**S', 'TD5**2*UPSN*M*UPS Ground', 'REF*CN*1Z999AA10123456784', 'DTM*011*20261124',
      'HL*2*1*O', `PRF*${s.poName}`,
      'HL*3*2*I', `LIN*${line1!.lineNumber}*VN*V-SKU-1001*LT*LOT-A1`, 'SN1**10*EA', 'DTM*036*20281231',
      'HL*4*2*I', `LIN*${line2!.lineNumber}*VN*V-SKU-2002`, 'SN1**5*EA', 'CTT*4'] }] }));
    await applied(gw, f856);
    const moveLines = await s.odoo.search_read('stock.move.line', [['picking_id.purchase_id', '=', s.poId]], ['lot_name', 'quantity']).catch(async () =>
      s.odoo.search_read('stock.move.line', [], ['lot_name', 'quantity']));
    assert.ok(moveLines.some((l) => l.lot_name === 'LOT-A1' && Number(l.quantity) === 10), 'receipt pre-filled with the lot');
    const [receipt] = await s.odoo.search_read('stock.picking', [['purchase_id', '=', s.poId]], ['state']);
    assert.notEqual(receipt!.state, 'done', 'the gateway does not validate the receipt: the dock does');
    await s.odoo.call('stock.picking', 'button_validate', [receipt!.id], { context: { skip_backorder: true } });

    // 5. the 810: a draft vendor bill linked to the PO lines
    const invoiceFile = interchange({ sender: 'ACMESUP', isa13: '000000504', functionalId: 'IN', sets: [{ id: '810', segments: [
      `BIG*20261125*INV-7001**${s.poName}`, 'REF*SI*ASN-9001',
      `IT1*${line1!.lineNumber}*10*EA*5**VN*V-SKU-1001`, `IT1*${line2!.lineNumber}*5*EA*12**VN*V-SKU-2002`, 'TDS*11000', 'CTT*2'] }] });
    const f810 = await receive(gw, invoiceFile);
    const states = await applied(gw, f810);
    const bills = async () => s.odoo.search_read('account.move', [['move_type', '=', 'in_invoice'], ['ref', '=', 'INV-7001']], ['state', 'invoice_line_ids']);
    assert.equal((await bills()).length, 1, `one bill (invoice document ${states.join(',')})`);

    // 6. replaying the invoice file, and the same bytes arriving again, never make a second bill
    await replayDocument(gw.ctx, f810, 'test');
    await waitFor(async () => (await stateOf(gw, f810)) !== 'input_received' || undefined, 'the replay');
    const again = await ingestDocument(gw.ctx, { partnerId: 'acme', format: 'x12', transport: 'sftp', raw: invoiceFile });
    assert.equal(again.created, false);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await bills()).length, 1, 'still one bill');

    // every file got its 997 back (never one for the 997)
    const acks = files.filter((f) => f.name.startsWith('997_'));
    assert.equal(acks.length, 3, '997 for the 855, 856 and 810');
    assert.ok(acks.every((f) => /AK9\*A\*1\*1\*1/.test(f.bytes.toString())));
    // the buyer sees where the order stands: acknowledged by 997 and 855, shipped, invoiced
    const { key } = await createApiKey(gw.ctx.pool, { name: 'buyer', scopes: ['orders:read'] });
    const view = await (await fetch(`${gw.baseUrl}/api/v1/orders/${encodeURIComponent(s.poName)}`, { headers: { authorization: `Bearer ${key}` } })).json();
    assert.equal(JSON.stringify(view).includes('ASN-9001'), true, 'the shipment is listed');
    assert.equal(JSON.stringify(view).includes('INV-7001'), true, 'the invoice is listed');
    assert.equal(JSON.stringify(view).includes('SO-5501'), true, 'the supplier order number is listed');
    const overdue = await (await fetch(`${gw.baseUrl}/api/v1/orders?overdue=true`, { headers: { authorization: `Bearer ${key}` } })).json();
    assert.equal(JSON.stringify(overdue).includes(s.poName), false, 'acknowledged in time: not overdue');

    const open = await listExceptions(gw.ctx.pool, { state: 'open' });
    assert.deepEqual(open.filter((e) => e.reasonCode !== 'translation-warnings').map((e) => `${e.reasonCode}: ${e.message}`), []);
  });
}
