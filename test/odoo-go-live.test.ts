/**
 * Going live with a supplier sends it no order it already has: purchase orders confirmed in Odoo
 * before the gateway first ran with the supplier's profile are not exported by the cursor, the
 * webhook or reconciliation; an operator's send-order sends one on purpose; orders confirmed since go out.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway, waitFor } from './helpers/gateway.ts';
import { startScenario } from './odoo-sim/scenario.ts';
import type { Component } from '../src/gateway.ts';
import { handlePollOrders, queueExport } from '../src/pipeline/poll-orders.ts';
import { findDocuments } from '../src/store/documents.ts';
import { reconcile } from '../src/acks/reconcile.ts';
import { translateDocument } from '../translators/index.ts';
import { sendOrderCommand } from '../src/cli/receive.ts';
import { parseArgs } from '../src/cli/args.ts';
import { loadConfig } from '../src/config.ts';
import type { Order } from '../translators/types.ts';

const partnersDir = mkdtempSync(join(tmpdir(), 'go-live-partners-'));
writeFileSync(join(partnersDir, 'acme.json'), JSON.stringify({
  id: 'acme', name: 'ACME Supplies Inc.', enabled: true, formats: ['x12'],
  x12: { isaQualifier: 'ZZ', isaId: 'ACMESUP', gsId: 'ACMESUP', version: '004010', functionalAck: '997' },
  sftp: { host: '127.0.0.1', username: 'gateway', passwordEnv: 'GO_LIVE_SFTP_PASSWORD', hostKeySha256: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU', inbox: '/out', outbox: '/in' },
  odoo: { vendorRef: 'ACME-001' },
}));
process.env.GO_LIVE_SFTP_PASSWORD = 'not-used-delivery-is-captured';

test('orders confirmed before the first run with a supplier are not sent on their own; those confirmed since are; send-order sends an old one, whose changes then go out', { timeout: 120_000 }, async () => {
  const s = await startScenario(19); // its PO is confirmed now: before the gateway first runs with acme
  after(() => s.sim.close());
  await new Promise((r) => setTimeout(r, 1100)); // Odoo keeps whole seconds
  const sent: Array<{ name: string; bytes: Buffer }> = [];
  const capture: Component = {
    name: 'captured-sftp',
    start: async (ctx) => { ctx.outbound.sftp = { deliver: async (_p, f) => { sent.push({ name: f.name, bytes: f.bytes }); return { remoteRef: f.name }; } }; },
    stop: async () => undefined,
  };
  const gw = await startTestGateway({
    label: 'go_live', components: [capture],
    env: { PARTNERS_DIR: partnersDir, ODOO_URL: s.sim.url, ODOO_DB: 'edi_sim', ODOO_USERNAME: 'admin', ODOO_API_KEY: 'sim-api-key', OUR_ISA_ID: 'EDIGATEWAY' },
  });
  await gw.ready;
  const exportDone = (poId: number, count: number) => waitFor(async () => {
    const r = await gw.ctx.pool.query(`select count(*)::int as n from pgboss.job where name = 'orders.export' and data->>'odooPurchaseOrderId' = $1 and state = 'completed'`, [String(poId)]);
    return r.rows[0].n >= count || undefined;
  }, `export of PO ${poId}`);
  const sentPos = () => sent.map((f) => (translateDocument(f.bytes).documents[0] as Order).poNumber);

  // the old order: the webhook and the cursor export it, and nothing goes out
  await queueExport(gw.ctx, s.poId, 'webhook');
  await exportDone(s.poId, 1);
  await queueExport(gw.ctx, s.poId, 'cursor');
  await exportDone(s.poId, 2);
  assert.deepEqual(sentPos(), []);
  const rec = await reconcile({ pool: gw.ctx.pool, boss: gw.ctx.boss, odoo: s.odoo, partners: gw.ctx.partners.all(), log: gw.ctx.log }, { graceMinutes: 0, now: new Date(Date.now() + 2000) });
  assert.deepEqual(rec.exportQueued, [], 'reconciliation does not call it "never sent"');

  // an order confirmed now goes out; the first poll starts at go-live, so it sees only that one
  const [line] = await s.odoo.read('purchase.order.line', [s.lineIds[0]!], ['product_id', 'product_qty', 'price_unit']);
  const newPo = await s.odoo.create('purchase.order', { partner_id: s.vendorId, date_planned: '2026-12-01 10:00:00',
    order_line: [[0, 0, { product_id: (line!.product_id as [number, string])[0], product_qty: 3, price_unit: line!.price_unit, date_planned: '2026-12-01 10:00:00' }]] });
  await s.odoo.call('purchase.order', 'button_confirm', [newPo]);
  const newName = String((await s.odoo.read('purchase.order', [newPo], ['name']))[0]!.name);
  await handlePollOrders(gw.ctx, { data: {}, jobId: 'poll', attempt: 1, signal: new AbortController().signal, log: gw.ctx.log });
  const polled = await gw.ctx.pool.query(`select data->>'odooPurchaseOrderId' as id from pgboss.job where name = 'orders.export' and data->>'reason' = 'cursor' order by created_on`);
  assert.ok(polled.rows.some((r) => r.id === String(newPo)), 'the new order is polled');
  await waitFor(() => sentPos().includes(newName) || undefined, 'the new order to be sent');

  // an operator sends the old one on purpose, from the command line
  const config = loadConfig({ DATABASE_URL: gw.config.databaseUrl!, PARTNERS_DIR: partnersDir });
  const printed: unknown[] = [];
  const out = { json: (v: unknown) => printed.push(v), text: (v: string) => printed.push(v), error: (v: string) => printed.push(v) };
  assert.equal(await sendOrderCommand(config, parseArgs(['send-order', String(s.poId)]), out), 0);
  gw.ctx.wake('orders.export');
  await waitFor(() => sentPos().includes(s.poName) || undefined, 'the replayed old order to be sent');
  assert.equal((await findDocuments(gw.ctx.pool, { docType: '850', partnerId: 'acme' })).length, 2);
  // once sent through the gateway, the old order's change goes out like any other
  await s.odoo.write('purchase.order.line', [s.lineIds[0]!], { product_qty: 12 });
  await queueExport(gw.ctx, s.poId, 'cursor');
  await waitFor(() => sent.length === 3 || undefined, 'the change of the old order to be sent');
  const change = translateDocument(sent.at(-1)!.bytes).documents[0] as Order;
  assert.deepEqual([change.poNumber, change.purpose, change.lines[0]!.quantity], [s.poName, 'change', '12']);
});
