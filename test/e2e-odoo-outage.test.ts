/**
 * Odoo unreachable for a while: the 855 that arrives meanwhile waits (its apply job retries with
 * backoff, nothing is lost or failed), and is applied once Odoo answers again. (Responses lost after
 * Odoo committed are covered per apply function in odoo-apply.test.ts.)
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway, waitFor } from './helpers/gateway.ts';
import { interchange } from './helpers/x12.ts';
import { startScenario } from './odoo-sim/scenario.ts';
import { ingestDocument } from '../src/pipeline/ingest.ts';
import { findDocuments } from '../src/store/documents.ts';
import { listExceptions } from '../src/store/exceptions.ts';
import { POLICIES } from '../src/pipeline/queues.ts';

const partnersDir = mkdtempSync(join(tmpdir(), 'outage-partners-'));
writeFileSync(join(partnersDir, 'acme.yaml'), `id: acme
name: ACME Supplies Inc.
enabled: true
formats: [x12]
x12: { isaQualifier: ZZ, isaId: ACMESUP, gsId: ACMESUP }
odoo: { vendorRef: ACME-001, sendOrdersConfirmedFrom: '2026-01-01' }
`);

test('while Odoo is unreachable a document waits and retries, then is applied once Odoo is back', { timeout: 120_000 }, async () => {
  const s = await startScenario(19);
  after(() => s.sim.close());
  const policies = { ...POLICIES, 'odoo.apply': { retryLimit: 30, retryDelay: 1, retryBackoff: false, expireInSeconds: 60 } };
  const gw = await startTestGateway({ label: 'odoo_outage', policies,
    env: { PARTNERS_DIR: partnersDir, ODOO_URL: s.sim.url, ODOO_DB: 'edi_sim', ODOO_USERNAME: 'admin', ODOO_API_KEY: 'sim-api-key', ODOO_TIMEOUT_MS: '1000' } });
  await gw.ready;
  const [line1, line2] = s.lineIds;
  s.sim.unreachable();
  const { documentId } = await ingestDocument(gw.ctx, { partnerId: 'acme', format: 'x12', transport: 'sftp', raw: interchange({ sender: 'ACMESUP', isa13: '000000901', functionalId: 'PR', sets: [{ id: '855', segments: [
    `BAK*00*AC*${s.poName}*20261123****SO-9901`, `PO1*${line1}*10*EA*5**VN*V-SKU-1001`, 'ACK*IA*10*EA*068*20261203',
    `PO1*${line2}*5*EA*12**VN*V-SKU-2002`, 'ACK*IA*5*EA*068*20261203', 'CTT*2'] }] }) });
  const child = await waitFor(async () => (await findDocuments(gw.ctx.pool, { parentId: documentId, docType: 'order-ack' }))[0], 'the order-ack');
  // retried a few times while Odoo is away: still waiting, no exception
  await waitFor(async () => {
    const r = await gw.ctx.pool.query(`select max(retry_count)::int as n from pgboss.job where name = 'odoo.apply' and data->>'documentId' = $1`, [child.id]);
    return (r.rows[0]?.n ?? 0) >= 2 || undefined;
  }, 'two retries of the apply job', 30_000);
  assert.equal((await findDocuments(gw.ctx.pool, { parentId: documentId, docType: 'order-ack' }))[0]!.state, 'input_translated');
  assert.deepEqual((await listExceptions(gw.ctx.pool, { documentId: child.id })).map((e) => e.reasonCode), []);

  s.sim.reachable();
  await waitFor(async () => (await findDocuments(gw.ctx.pool, { parentId: documentId, docType: 'order-ack' }))[0]!.state === 'input_applied' || undefined, 'the acknowledgement to be applied', 60_000);
  assert.equal((await s.odoo.read('purchase.order', [s.poId], ['partner_ref']))[0]!.partner_ref, 'SO-9901');
});
