/**
 * A purchase order changed after it was sent, through the running gateway against the Odoo 19
 * simulator: the change goes out as revision 1 (BEG01 05, REF*PP 1); the supplier's 855 to revision 0,
 * arriving after that, is kept on revision 0 and changes nothing in Odoo; the 855 to revision 1
 * acknowledges the order. And a price the supplier acknowledged beyond tolerance, approved by the buyer
 * over the API: the Odoo line takes it and the order goes out again as a change.
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
import { findDocuments, getDocument } from '../src/store/documents.ts';
import { translateDocument } from '../translators/index.ts';
import { createApiKey } from '../src/http/api-keys.ts';
import { listExceptions } from '../src/store/exceptions.ts';
import { exceptionsCommand } from '../src/cli/exceptions.ts';
import { parseArgs } from '../src/cli/args.ts';
import { loadConfig } from '../src/config.ts';
import type { Order } from '../translators/types.ts';

const partnersDir = mkdtempSync(join(tmpdir(), 'e2e-change-partners-'));
writeFileSync(join(partnersDir, 'acme.json'), JSON.stringify({
  id: 'acme', name: 'ACME Supplies Inc.', enabled: true, formats: ['x12'],
  x12: { isaQualifier: 'ZZ', isaId: 'ACMESUP', gsId: 'ACMESUP', version: '004010', functionalAck: '997' },
  sftp: { host: '127.0.0.1', username: 'gateway', passwordEnv: 'E2E_CHANGE_SFTP_PASSWORD', hostKeySha256: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU', inbox: '/out', outbox: '/in' },
  odoo: { vendorRef: 'ACME-001', priceTolerancePercent: 1, sendOrdersConfirmedFrom: '2026-01-01' },
}));
process.env.E2E_CHANGE_SFTP_PASSWORD = 'not-used-delivery-is-captured';

function captureSftp(files: Array<{ name: string; bytes: Buffer }>): Component {
  return {
    name: 'captured-sftp',
    start: async (ctx) => { ctx.outbound.sftp = { deliver: async (_p, file) => { files.push({ name: file.name, bytes: file.bytes }); return { remoteRef: file.name }; } }; },
    stop: async () => undefined,
  };
}

/** The file's canonical children once each has left input_translated. */
async function appliedChildren(gw: TestGateway, raw: Buffer) {
  const { documentId } = await ingestDocument(gw.ctx, { partnerId: 'acme', format: 'x12', transport: 'sftp', raw });
  return waitFor(async () => {
    const children = (await findDocuments(gw.ctx.pool, { parentId: documentId })).filter((d) => d.direction === 'inbound');
    return children.length && children.every((c) => c.state !== 'input_translated') ? children : undefined;
  }, 'the 855 to be applied', 30_000);
}

/** The Odoo 19 scenario, a gateway trading with it as acme (deliveries captured), and a wait for the 850s sent. */
async function startOrderGateway(label: string) {
  const s = await startScenario(19);
  after(() => s.sim.close());
  const files: Array<{ name: string; bytes: Buffer }> = [];
  const gw = await startTestGateway({
    label, components: [captureSftp(files)],
    env: { PARTNERS_DIR: partnersDir, ODOO_URL: s.sim.url, ODOO_DB: 'edi_sim', ODOO_USERNAME: 'admin', ODOO_API_KEY: 'sim-api-key', OUR_ISA_ID: 'EDIGATEWAY' },
  });
  await gw.ready;
  const sent850s = (count: number) => waitFor(async () => {
    const docs = await findDocuments(gw.ctx.pool, { docType: '850', partnerId: 'acme' });
    return docs.length === count && docs.every((d) => d.state === 'output_sent') ? docs : undefined;
  }, `${count} 850(s) to be delivered`, 30_000);
  return { s, files, gw, sent850s };
}

test('a late 855 to the order before its change is kept on that revision and applies nothing; the 855 to the change acknowledges it', { timeout: 120_000 }, async () => {
  const { s, files, gw, sent850s } = await startOrderGateway('e2e_change');

  // the chatter note of the first sending is posted, and its answer lost: the delivery's retry finds it
  s.sim.dropResponseAfterCommit({ model: 'purchase.order', method: 'message_post' });
  await queueExport(gw.ctx, s.poId, 'webhook');
  await sent850s(1);
  const sentNotes = await s.odoo.search_read('mail.message', [['model', '=', 'purchase.order'], ['res_id', '=', s.poId], ['body', 'like', 'EDI: 850 order sent']], ['id']);
  assert.equal(sentNotes.length, 1, 'one note of the sending');
  // the buyer raises the first line from 10 to 12: the change goes out as revision 1
  await s.odoo.write('purchase.order.line', [s.lineIds[0]!], { product_qty: 12 });
  await queueExport(gw.ctx, s.poId, 'cursor');
  await sent850s(2);
  const change = translateDocument(files.at(-1)!.bytes).documents[0] as Order;
  assert.deepEqual([change.purpose, change.revision, change.lines[0]!.quantity], ['change', '1', '12']);

  const ack855 = (isa13: string, revision: string, supplierOrder: string, qty: number) => interchange({ sender: 'ACMESUP', isa13, functionalId: 'PR', sets: [{ id: '855', segments: [
    `BAK*00*AD*${s.poName}*20261123****${supplierOrder}*20261123`, `REF*PP*${revision}`,
    `PO1*${s.lineIds[0]}*${qty}*EA*5**VN*V-SKU-1001`, `ACK*IA*${qty}*EA*068*20261203`,
    `PO1*${s.lineIds[1]}*5*EA*12**VN*V-SKU-2002`, 'ACK*IA*5*EA*068*20261203', 'CTT*2'] }] });

  const [late] = await appliedChildren(gw, ack855('000000601', '0', 'SO-OLD', 10));
  assert.equal(late!.state, 'input_applied');
  const events = await gw.ctx.pool.query(`select detail->>'summary' as summary from document_events where document_id = $1 and event = 'applied'`, [late!.id]);
  assert.match(events.rows[0]?.summary ?? '', /acknowledgement of revision 0 .*revision 1 was sent since .*not applied to Odoo/);
  const [po] = await s.odoo.read('purchase.order', [s.poId], ['partner_ref', 'acknowledged']);
  assert.deepEqual([po!.partner_ref, po!.acknowledged], [false, false], 'Odoo is not told the changed order was acknowledged');
  const expectations = async () => (await gw.ctx.pool.query(`select revision, state, outcome from ack_expectations where kind = 'order' order by id`)).rows.map((r) => [r.revision, r.state, r.outcome]);
  assert.deepEqual(await expectations(), [['0', 'superseded', 'accepted'], ['1', 'waiting', null]]);

  const [current] = await appliedChildren(gw, ack855('000000602', '1', 'SO-NEW', 12));
  assert.equal(current!.state, 'input_applied');
  const [acked] = await s.odoo.read('purchase.order', [s.poId], ['partner_ref', 'acknowledged']);
  assert.deepEqual([acked!.partner_ref, acked!.acknowledged], ['SO-NEW', true]);
  assert.deepEqual(await expectations(), [['0', 'superseded', 'accepted'], ['1', 'received', 'accepted']]);
  assert.equal((await getDocument(gw.ctx.pool, current!.id))?.state, 'input_applied');
});

test('the buyer approves a price the supplier acknowledged beyond tolerance: the Odoo line takes it, the chatter says who, the order goes out as a change', { timeout: 120_000 }, async () => {
  const { s, files, gw, sent850s } = await startOrderGateway('e2e_approve');
  await queueExport(gw.ctx, s.poId, 'webhook');
  await sent850s(1);

  // line 1: 5.00 ordered, 5.50 acknowledged (10 % over a 1 % tolerance); line 2 backordered to January; a line not on the PO
  const [ack] = await appliedChildren(gw, interchange({ sender: 'ACMESUP', isa13: '000000701', functionalId: 'PR', sets: [{ id: '855', segments: [
    `BAK*00*AC*${s.poName}*20261123****SO-7*20261123`,
    `PO1*${s.lineIds[0]}*10*EA*5.5**VN*V-SKU-1001`, 'ACK*IC*10*EA*068*20261205',
    `PO1*${s.lineIds[1]}*5*EA*12**VN*V-SKU-2002`, 'ACK*IB*5*EA*068*20270110',
    'PO1*999*1*EA*1**VN*V-SKU-NOT-OURS', 'ACK*IA*1*EA', 'CTT*3'] }] }));
  assert.equal(ack!.state, 'input_applied_with_exceptions');
  const open = await listExceptions(gw.ctx.pool, { documentId: ack!.id, state: 'open' });
  const priceChanged = open.find((e) => e.reasonCode === 'price-changed')!;
  const backordered = open.find((e) => e.reasonCode === 'line-backordered')!;
  const rejected = open.find((e) => e.reasonCode === 'ack-line-unknown')!;
  assert.ok(priceChanged && backordered && rejected, open.map((e) => e.reasonCode).join(', '));

  const { key: buyer } = await createApiKey(gw.ctx.pool, { name: 'buyer-anna', scopes: ['exceptions:write'] });
  const { key: supplier } = await createApiKey(gw.ctx.pool, { name: 'acme-portal', scopes: ['exceptions:write'], partnerId: 'acme' });
  const approve = (id: string, key: string) => fetch(`${gw.baseUrl}/api/v1/exceptions/${id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });

  const bySupplier = await approve(priceChanged.id, supplier);
  assert.equal(bySupplier.status, 403, 'a supplier cannot approve its own price');
  assert.match(((await bySupplier.json()) as { detail: string }).detail, /the buyer does/);
  const notApprovable = await approve(rejected.id, buyer);
  assert.equal(notApprovable.status, 409);
  assert.match(((await notApprovable.json()) as { detail: string }).detail, /ack-line-unknown exceptions have nothing to approve/);
  assert.equal((await s.odoo.read('purchase.order.line', [s.lineIds[0]!], ['price_unit']))[0]!.price_unit, 5, 'nothing changed in Odoo before the approval');

  const approved = await approve(priceChanged.id, buyer);
  assert.equal(approved.status, 200);
  const body = (await approved.json()) as { state: string; resolvedBy: string; resolution: string };
  assert.equal(body.state, 'resolved');
  assert.match(body.resolvedBy, /buyer-anna/);
  assert.match(body.resolution, /approved: .* line \d+ \(.*\) as the supplier acknowledged it: price 5 → 5\.5, scheduled 2026-12-05/);
  const [line] = await s.odoo.read('purchase.order.line', [s.lineIds[0]!], ['price_unit', 'product_qty', 'date_planned']);
  assert.deepEqual([line!.price_unit, line!.product_qty, line!.date_planned], [5.5, 10, '2026-12-05 10:00:00']);
  const notes = await s.odoo.search_read('mail.message', [['model', '=', 'purchase.order'], ['res_id', '=', s.poId], ['body', 'like', 'approved line']], ['body']);
  assert.equal(notes.length, 1);
  assert.match(String(notes[0]!.body), /buyer-anna/);
  assert.equal((await approve(priceChanged.id, buyer)).status, 409, 'approved once');

  // the backorder's new date, approved from the command line
  const config = loadConfig({ DATABASE_URL: gw.config.databaseUrl!, PARTNERS_DIR: partnersDir, ODOO_URL: s.sim.url, ODOO_DB: 'edi_sim', ODOO_USERNAME: 'admin', ODOO_API_KEY: 'sim-api-key' });
  const printed: unknown[] = [];
  const out = { json: (v: unknown) => printed.push(v), text: (v: string) => printed.push(v), error: (v: string) => printed.push(v) };
  assert.equal(await exceptionsCommand(config, parseArgs(['exceptions', 'approve', backordered.id, '--by', 'buyer-ben']), out), 0);
  assert.equal((printed.pop() as { state: string }).state, 'resolved');
  assert.equal((await s.odoo.read('purchase.order.line', [s.lineIds[1]!], ['date_planned']))[0]!.date_planned, '2027-01-10 10:00:00');

  // the PO changed in Odoo: it goes to the supplier as revision 1 with the agreed price
  await queueExport(gw.ctx, s.poId, 'cursor');
  await sent850s(2);
  const change = translateDocument(files.filter((f) => f.name.startsWith('850_')).at(-1)!.bytes).documents[0] as Order;
  assert.deepEqual([change.purpose, change.revision, change.lines[0]!.unitPrice], ['change', '1', '5.5']);
});
