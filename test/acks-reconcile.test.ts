// Reconciliation against the Odoo simulator (19, JSON-2), and the overdue check's to-do on the PO:
// a confirmed PO never sent is queued for export and reported; an acknowledgement or a bill Odoo does
// not show is an exception an operator can retry; differences that disappear close their exceptions.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import PgBoss from 'pg-boss';
import { testDatabase } from './helpers/db.ts';
import { memoryLogger } from './helpers/gateway.ts';
import { createPool } from '../src/db/pool.ts';
import { migrate } from '../src/db/migrate.ts';
import { createQueues } from '../src/pipeline/queues.ts';
import { listExceptions } from '../src/store/exceptions.ts';
import { reconcile } from '../src/acks/reconcile.ts';
import { runAcksCheck } from '../src/acks/check.ts';
import { startScenario } from './odoo-sim/scenario.ts';
import { storeOrderLife } from './fixtures/api/order-life.ts';
import type { PartnerProfile } from '../translators/profile.ts';

const url = await testDatabase('acks_reconcile');
const pool = createPool(url);
await migrate(pool);
const boss = new PgBoss({ connectionString: url, schema: 'pgboss', supervise: false, schedule: false });
boss.on('error', () => undefined);
await boss.start();
await createQueues(boss);
const s = await startScenario(19);
after(async () => {
  await s.sim.close();
  await boss.stop({ graceful: false, wait: true });
  await pool.end();
});
const { log } = memoryLogger();
const acme: PartnerProfile = { id: 'acme', name: 'ACME', enabled: true, formats: ['x12'], odoo: { vendorRef: 'ACME-001', sendOrdersConfirmedFrom: '2026-01-01' } };
const ghost: PartnerProfile = { id: 'ghost', name: 'Ghost', enabled: true, formats: ['x12'], odoo: { vendorRef: 'NO-SUCH-REF' } };
const deps = { pool, boss, odoo: s.odoo, partners: [acme, ghost], log };
const soon = () => new Date(Date.now() + 2000);
const open = async (reason: string) => (await listExceptions(pool, { state: 'open' })).filter((x) => x.reasonCode === reason);

test('a confirmed PO never sent is queued for export and reported; a partner Odoo does not know is reported as such', async () => {
  const r = await reconcile(deps, { graceMinutes: 0, now: soon() });
  assert.deepEqual(r.exportQueued, [{ partnerId: 'acme', poNumber: s.poName, odooPurchaseOrderId: s.poId }]);
  assert.deepEqual(r.partnerErrors.map((e) => e.partnerId), ['ghost']);
  const [job] = await boss.fetch('orders.export');
  assert.deepEqual(job?.data, { odooPurchaseOrderId: s.poId, reason: 'reconcile' });
  const [ex] = await open('reconcile-po-not-sent');
  assert.match(ex!.message, new RegExp(`1 confirmed purchase order\\(s\\) in Odoo were never sent: ${s.poName} \\(acme\\)`));
  const young = await reconcile(deps, { graceMinutes: 60 });
  assert.deepEqual(young.exportQueued, [], 'a PO confirmed within the grace period may still be on its way');
});

test('an acknowledgement and an invoice Odoo does not show are retryable exceptions; once Odoo shows them they close', async () => {
  await storeOrderLife(pool, s.poName, 'acme', '810');
  const r = await reconcile({ ...deps, partners: [acme] }, { graceMinutes: 0, now: soon() });
  assert.deepEqual(r.exportQueued, []);
  assert.deepEqual(r.acksNotInOdoo.map((a) => a.poNumber), [s.poName]);
  assert.deepEqual(r.billsMissing.map((b) => [b.poNumber, b.invoiceNumber]), [[s.poName, 'INV-5501']]);
  assert.deepEqual(await open('reconcile-po-not-sent'), [], 'the PO was sent since: its report is closed');
  const [ackEx] = await open('reconcile-ack-not-in-odoo');
  assert.equal(ackEx?.queue, 'odoo.apply');
  assert.deepEqual(Object.keys(ackEx!.jobData as object).sort(), ['correlationId', 'documentId', 'recheck']);
  assert.equal((await open('reconcile-bill-missing')).length, 1);

  await s.odoo.call('purchase.order', 'action_acknowledge', [s.poId]);
  await s.odoo.create('account.move', { move_type: 'in_invoice', partner_id: s.vendorId, ref: 'INV-5501' });
  const clean = await reconcile({ ...deps, partners: [acme] }, { graceMinutes: 0, now: soon() });
  assert.deepEqual([clean.acksNotInOdoo, clean.billsMissing], [[], []]);
  assert.deepEqual([...(await open('reconcile-ack-not-in-odoo')), ...(await open('reconcile-bill-missing'))], []);
});

test('an overdue acknowledgement puts one to-do on the PO in Odoo, even when Odoo was down at first', async () => {
  const po = await s.odoo.create('purchase.order', { partner_id: s.vendorId, order_line: [] });
  await s.odoo.call('purchase.order', 'button_confirm', [po]);
  const name = String((await s.odoo.read('purchase.order', [po], ['name']))[0]!.name);
  await storeOrderLife(pool, name, 'acme', 'sent', 5);
  s.sim.unreachable();
  const down = await runAcksCheck({ pool, log, odoo: s.odoo });
  assert.equal(down.overdue, 1);
  assert.equal(down.activityFailures, 1);
  s.sim.reachable();
  assert.equal((await runAcksCheck({ pool, log, odoo: s.odoo })).activities, 1);
  assert.equal((await runAcksCheck({ pool, log, odoo: s.odoo })).activities, 0, 'scheduled once');
  const todos = await s.odoo.search_read('mail.activity', [['res_model', '=', 'purchase.order'], ['res_id', '=', po]], ['summary', 'note']);
  assert.equal(todos.length, 1);
  assert.match(String(todos[0]!.summary), /^EDI: no 997 from the supplier \(revision 0\)$/);
  assert.match(String(todos[0]!.note), /no functional acknowledgement \(997\) within 4 hours/);
});
