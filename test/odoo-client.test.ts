// The Odoo client against the simulator: version detection, error mapping, timeouts and retry classification.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../src/errors.ts';
import { createOdooClient } from '../src/odoo/client.ts';
import { startOdooSim, type OdooSim } from './odoo-sim/server.ts';

const KEY = 'sim-api-key';
async function withSim(version: 18 | 19, fn: (sim: OdooSim) => Promise<void>) {
  const sim = await startOdooSim({ version, apiKey: KEY });
  try { await fn(sim); } finally { await sim.close(); }
}
const client = (sim: OdooSim, extra: { apiKey?: string; timeoutMs?: number } = {}) =>
  createOdooClient({ url: sim.url, db: 'edi_sim', username: 'admin', apiKey: extra.apiKey ?? KEY, timeoutMs: extra.timeoutMs ?? 5000 });
const isCode = (code: string, retryable: boolean) => (e: unknown) => e instanceof GatewayError && e.code === code && e.retryable === retryable && !e.message.includes(KEY);

for (const version of [18, 19] as const) {
  test(`Odoo ${version}: the client picks ${version === 18 ? 'JSON-RPC' : 'JSON-2'} and gives the same results either way`, () => withSim(version, async (sim) => {
    const odoo = client(sim);
    assert.deepEqual(await odoo.serverVersion(), { major: version, serie: `${version}.0`, protocol: version === 18 ? 'jsonrpc' : 'json2' });
    const id = await odoo.create('res.partner', { name: 'ACME', ref: 'A-1' });
    assert.equal(typeof id, 'number');
    assert.equal(await odoo.write('res.partner', [id], { city: 'Dayton' }), true);
    assert.deepEqual(await odoo.search_read('res.partner', [['ref', '=', 'A-1']], ['name', 'city']), [{ id, name: 'ACME', city: 'Dayton' }]);
    const msg = await odoo.messagePost('res.partner', id, { body: 'hello' });
    assert.equal(typeof msg, 'number');
    assert.deepEqual(await odoo.call('ir.model.data', 'check_object_reference', null, { module: 'x', xml_id: 'y' }).catch((e) => e.code), 'odoo-bad-request');
    assert.ok(sim.calls.every((c) => c.protocol === (version === 18 ? 'jsonrpc' : 'json2')));
  }));

  test(`Odoo ${version}: Odoo's errors become GatewayErrors, retryable only when transient`, () => withSim(version, async (sim) => {
    const odoo = client(sim);
    await assert.rejects(client(sim, { apiKey: 'wrong' }).read('res.partner', [1], ['name']), isCode('odoo-auth', false));
    await assert.rejects(odoo.search_read('x_no.model', [], ['name']), isCode('odoo-not-found', false));
    await assert.rejects(odoo.call('res.partner', 'no_such_method', [1]), isCode('odoo-not-found', false));
    await assert.rejects(odoo.call('purchase.order', '_create_picking', [1]), isCode('odoo-access', false));
    await assert.rejects(odoo.write('purchase.order', [999999], { partner_ref: 'X' }), isCode('odoo-missing', false));
    await assert.rejects(odoo.create('purchase.order', { origin: 'no vendor' }), isCode('odoo-validation', false));
    await assert.rejects(odoo.search_read('res.partner', [['name', 'like like', 'A']], ['name']), isCode('odoo-bad-request', false));
    await assert.rejects(odoo.search_read('res.partner', [], ['x_nope']), isCode('odoo-bad-request', false));
    sim.failWithStatus(503);
    await assert.rejects(odoo.read('res.partner', [1], ['name']), isCode('odoo-unavailable', true));
  }));

  test(`Odoo ${version}: unreachable, dropped and slow answers are retryable`, () => withSim(version, async (sim) => {
    const odoo = client(sim, { timeoutMs: 200 });
    await odoo.serverVersion();
    sim.unreachable();
    await assert.rejects(odoo.read('res.partner', [1], ['name']), isCode('odoo-unreachable', true));
    sim.reachable();
    sim.dropResponseAfterCommit({ model: 'res.partner', method: 'create' });
    await assert.rejects(odoo.create('res.partner', { name: 'Lost' }), isCode('odoo-unreachable', true));
    assert.equal((await odoo.search_read('res.partner', [['name', '=', 'Lost']], ['id'])).length, 1, 'the call was applied');
    sim.delay(1000, { method: 'read' });
    await assert.rejects(odoo.read('res.partner', [1], ['name']), isCode('odoo-timeout', true));
  }));
}
