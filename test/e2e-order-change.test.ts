/**
 * A purchase order changed in Odoo after it was sent, through the running gateway against the Odoo 19
 * simulator: the change goes out as revision 1 (BEG01 05, REF*PP 1); the supplier's 855 to revision 0,
 * arriving after that, is kept on revision 0 and changes nothing in Odoo; the 855 to revision 1
 * acknowledges the order.
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
import type { Order } from '../translators/types.ts';

const partnersDir = mkdtempSync(join(tmpdir(), 'e2e-change-partners-'));
writeFileSync(join(partnersDir, 'acme.json'), JSON.stringify({
  id: 'acme', name: 'ACME Supplies Inc.', enabled: true, formats: ['x12'],
  x12: { isaQualifier: 'ZZ', isaId: 'ACMESUP', gsId: 'ACMESUP', version: '004010', functionalAck: '997' },
  sftp: { host: '127.0.0.1', username: 'gateway', passwordEnv: 'E2E_CHANGE_SFTP_PASSWORD', hostKeySha256: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU', inbox: '/out', outbox: '/in' },
  odoo: { vendorRef: 'ACME-001', priceTolerancePercent: 1 },
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

test('a late 855 to the order before its change is kept on that revision and applies nothing; the 855 to the change acknowledges it', { timeout: 120_000 }, async () => {
  const s = await startScenario(19);
  after(() => s.sim.close());
  const files: Array<{ name: string; bytes: Buffer }> = [];
  const gw = await startTestGateway({
    label: 'e2e_change', components: [captureSftp(files)],
    env: { PARTNERS_DIR: partnersDir, ODOO_URL: s.sim.url, ODOO_DB: 'edi_sim', ODOO_USERNAME: 'admin', ODOO_API_KEY: 'sim-api-key', OUR_ISA_ID: 'EDIGATEWAY' },
  });
  await gw.ready;
  const sent850s = (count: number) => waitFor(async () => {
    const docs = await findDocuments(gw.ctx.pool, { docType: '850', partnerId: 'acme' });
    return docs.length === count && docs.every((d) => d.state === 'output_sent') ? docs : undefined;
  }, `${count} 850(s) to be delivered`);

  await queueExport(gw.ctx, s.poId, 'webhook');
  await sent850s(1);
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
