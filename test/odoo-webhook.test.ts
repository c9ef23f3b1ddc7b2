/** POST /odoo/webhook: the Odoo automation rule's call queues the export of the purchase order at once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway } from './helpers/gateway.ts';

const gw = await startTestGateway({ label: 'odoo_webhook', env: { ODOO_WEBHOOK_TOKEN: 'hook-token-1' } });
await gw.ready;
const hook = (body: unknown, headers: Record<string, string> = {}, query = '') => fetch(`${gw.baseUrl}/odoo/webhook${query}`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body),
});
const exports = async (poId: number) => (await gw.ctx.pool.query(`select count(*)::int as n from pgboss.job where name = 'orders.export' and data->>'odooPurchaseOrderId' = $1`, [String(poId)])).rows[0].n as number;

test('without the token, or with a wrong one, the webhook answers 401 and queues nothing', async () => {
  assert.equal((await hook({ _id: 41 })).status, 401);
  assert.equal((await hook({ _id: 41 }, { authorization: 'Bearer nope' })).status, 401);
  assert.equal((await hook({ _id: 41 }, {}, '?token=nope')).status, 401);
  assert.equal(await exports(41), 0);
});

test('Odoo\'s webhook payload with the token in the URL queues one export; a second call while it waits is folded into it', async () => {
  const first = await hook({ _action: 'Send Webhook Notification(#3)', _id: 42, _model: 'purchase.order', id: 42, state: 'purchase' }, {}, '?token=hook-token-1');
  assert.equal(first.status, 202);
  assert.deepEqual(await first.json(), { queued: [42] });
  assert.equal((await hook({ ids: [42, 43] }, { authorization: 'Bearer hook-token-1' })).status, 202);
  assert.ok(await exports(42) >= 1);
  assert.ok(await exports(43) >= 1);
});

test('a wrong body is refused with a problem+json naming what is wrong', async () => {
  const auth = { authorization: 'Bearer hook-token-1' };
  assert.equal((await hook('{"_id": ', auth)).status, 400);
  assert.equal((await hook({ _model: 'sale.order', _id: 1 }, auth)).status, 422);
  assert.equal((await hook({ _id: 'x' }, auth)).status, 422);
  const wrongType = await fetch(`${gw.baseUrl}/odoo/webhook`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: '42' });
  assert.equal(wrongType.status, 415);
  assert.match(wrongType.headers.get('content-type') ?? '', /problem\+json/);
});
