// The buyer status API and the operator API on the real gateway: what a buyer sees of an order,
// paging and filters, API keys (hashed, revocable, scoped, restricted to a partner), exceptions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { openException } from '../src/store/exceptions.ts';
import { runAcksCheck } from '../src/acks/check.ts';
import { createKeys, storeDocument, storeOrderLife, type Keys } from './fixtures/api/order-life.ts';

// started at the top level: the helper stops it after every test of the file
const gw: TestGateway = await startTestGateway({ label: 'api_orders' });
await gw.ready;
const keys: Keys = await createKeys(gw.ctx.pool, 'medsurg-supply');
await storeOrderLife(gw.ctx.pool, 'PO-LIFE', 'medsurg-supply', '810');
await storeOrderLife(gw.ctx.pool, 'PO-ACKED', 'medsurg-supply', '855');
await storeOrderLife(gw.ctx.pool, 'PO-LATE', 'medsurg-supply', 'sent', 6);
await storeOrderLife(gw.ctx.pool, 'PO-GPO', 'gpo-network', '997');
await runAcksCheck({ pool: gw.ctx.pool, log: gw.ctx.log });

async function get(path: string, key?: string): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${gw.baseUrl}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: res.status, body: await res.json(), headers: res.headers };
}
async function post(path: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${gw.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

test('a buyer sees an order\'s state, each acknowledgement with its time, the shipment, the invoice and the timeline of its documents', async () => {
  const { status, body } = await get('/api/v1/orders/PO-LIFE', keys.buyer);
  assert.equal(status, 200);
  assert.equal(body.state, 'invoiced');
  assert.equal(body.partnerId, 'medsurg-supply');
  assert.equal(body.supplierOrderNumber, 'SO-ACME-7781');
  assert.deepEqual(body.acknowledgements.map((a: any) => [a.kind, a.state, a.outcome, a.late]), [['functional', 'received', 'accepted', false], ['order', 'received', 'accepted', false]]);
  for (const a of body.acknowledgements) assert.ok(Date.parse(a.receivedAt) >= Date.parse(a.sentAt));
  assert.deepEqual(body.shipments.map((s: any) => [s.shipmentId, s.carrier.trackingNumbers[0], s.lines.length]), [['SH-9001', '1Z999AA10123456784', 2]]);
  assert.deepEqual(body.invoices.map((i: any) => [i.invoiceNumber, i.totalAmount, i.currency]), [['INV-5501', '126.5', 'USD']]);
  assert.deepEqual(body.timeline.map((d: any) => [d.direction, d.docType]), [['outbound', '850'], ['inbound', '997'], ['inbound', '855'], ['inbound', '856'], ['inbound', '810']]);
  assert.ok(body.timeline.every((d: any) => d.events.length >= 1 && d.events[0].event === 'stored'));
  assert.ok(body.timeline[0].events.some((e: any) => e.state === 'output_acknowledged'), 'the 997 shows on the 850');
  assert.deepEqual(body.exceptions, []);
});

test('an overdue order shows its open exception, is found by overdue=true and counted in /metrics', async () => {
  const { body } = await get('/api/v1/orders/PO-LATE', keys.buyer);
  assert.equal(body.overdue, true);
  assert.deepEqual(body.acknowledgements.map((a: any) => a.state), ['overdue', 'waiting']);
  assert.deepEqual(body.exceptions.map((x: any) => x.reasonCode), ['functional-ack-overdue']);
  const overdue = await get('/api/v1/orders?overdue=true', keys.buyer);
  assert.deepEqual(overdue.body.items.map((o: any) => o.poNumber), ['PO-LATE']);
  const metrics = await (await fetch(`${gw.baseUrl}/metrics`)).text();
  assert.match(metrics, /^edi_acks_overdue\{partner="medsurg-supply",kind="functional"\} 1$/m);
});

test('orders are listed newest first, paged by cursor, filtered by state, partner and time', async () => {
  const first = await get('/api/v1/orders?limit=3', keys.buyer);
  assert.equal(first.status, 200);
  assert.deepEqual(first.body.items.map((o: any) => o.poNumber), ['PO-GPO', 'PO-LATE', 'PO-ACKED']);
  const second = await get(`/api/v1/orders?limit=3&cursor=${first.body.nextCursor}`, keys.buyer);
  assert.deepEqual(second.body.items.map((o: any) => o.poNumber), ['PO-LIFE']);
  assert.equal(second.body.nextCursor, undefined);
  assert.deepEqual((await get('/api/v1/orders?state=acknowledged', keys.buyer)).body.items.map((o: any) => o.poNumber), ['PO-ACKED']);
  assert.deepEqual((await get('/api/v1/orders?partner=gpo-network', keys.buyer)).body.items.map((o: any) => o.poNumber), ['PO-GPO']);
  assert.deepEqual((await get(`/api/v1/orders?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, keys.buyer)).body.items, []);
  for (const bad of ['state=lost', 'overdue=yes', 'since=yesterday', 'limit=0', 'limit=201', 'cursor=abc', 'state=sent&state=queued']) {
    const r = await get(`/api/v1/orders?${bad}`, keys.buyer);
    assert.equal(r.status, 400, bad);
    assert.equal(r.headers.get('content-type'), 'application/problem+json');
  }
});

test('API keys: 401 without one, with a malformed, wrong or revoked one; 403 without the scope; stored only as a hash', async () => {
  const missing = await get('/api/v1/orders/PO-LIFE');
  assert.equal(missing.status, 401);
  assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/);
  assert.equal((await get('/api/v1/orders/PO-LIFE', 'not-a-key')).status, 401);
  const wrongSecret = keys.buyer.slice(0, -4) + (keys.buyer.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assert.equal((await get('/api/v1/orders/PO-LIFE', wrongSecret)).status, 401);
  assert.equal((await get('/api/v1/orders/PO-LIFE', keys.revoked)).status, 401);
  const noScope = await get('/api/v1/orders/PO-LIFE', keys.operator);
  assert.equal(noScope.status, 403);
  assert.equal(noScope.body.title, 'insufficient-scope');
  assert.equal((await get('/api/v1/exceptions', keys.buyer)).status, 403);
  assert.equal((await get('/api/v1/orders/PO-LIFE', keys.admin)).status, 200, 'admin holds every scope');
  const stored = await gw.ctx.pool.query('select prefix, key_hash from api_keys');
  for (const key of Object.values(keys)) {
    assert.ok(stored.rows.every((r) => r.key_hash !== key && !key.endsWith(r.key_hash)), 'the key itself is nowhere');
  }
  assert.ok(stored.rows.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash)));
});

test('a supplier\'s key sees only its own orders and exceptions', async () => {
  assert.equal((await get('/api/v1/orders/PO-LIFE', keys.supplier)).status, 200);
  const other = await get('/api/v1/orders/PO-GPO', keys.supplier);
  assert.equal(other.status, 404, 'another partner\'s order does not exist for this key');
  assert.equal((await get('/api/v1/orders?partner=gpo-network', keys.supplier)).status, 403);
  const list = await get('/api/v1/orders', keys.supplier);
  assert.ok(list.body.items.length > 0 && list.body.items.every((o: any) => o.partnerId === 'medsurg-supply'));
  const foreign = await openException(gw.ctx.pool, { partnerId: 'gpo-network', reasonCode: 'test-foreign', message: 'not yours' });
  assert.equal((await post(`/api/v1/exceptions/${foreign.id}/resolve`, keys.supplier, { note: 'x' })).status, 404);
  const exceptions = await get('/api/v1/exceptions', keys.supplier);
  assert.ok(exceptions.body.items.every((x: any) => x.partnerId === 'medsurg-supply'));
});

test('operators list, resolve and retry exceptions; what cannot be done is a 4xx problem', async () => {
  const docId = await storeDocument(gw.ctx.pool, 'inbound', 'interchange', 'medsurg-supply');
  const retryable = await openException(gw.ctx.pool, { documentId: docId, partnerId: 'medsurg-supply', queue: 'document.parse', jobData: { documentId: docId, correlationId: '00000000-0000-4000-8000-000000000001' },
    reasonCode: 'test-parse-failed', message: 'parse failed' });
  const businessOnly = await openException(gw.ctx.pool, { partnerId: 'medsurg-supply', reasonCode: 'test-business', message: 'look at it' });
  const listed = await get('/api/v1/exceptions?state=open', keys.operator);
  assert.equal(listed.status, 200);
  assert.ok(listed.body.items.some((x: any) => x.id === retryable.id));

  const retried = await post(`/api/v1/exceptions/${retryable.id}/retry`, keys.operator);
  assert.equal(retried.status, 200);
  assert.match(retried.body.jobId, /^[0-9a-f-]{36}$/);
  assert.equal(retried.body.exception.state, 'resolved');
  assert.match(retried.body.exception.resolvedBy, /^api-key:operator#\d+$/);
  assert.equal((await post(`/api/v1/exceptions/${retryable.id}/retry`, keys.operator)).status, 409, 'already resolved');
  assert.equal((await post(`/api/v1/exceptions/${businessOnly.id}/retry`, keys.operator)).status, 409, 'no job to retry');

  assert.equal((await post(`/api/v1/exceptions/${businessOnly.id}/resolve`, keys.operator, { note: '' })).status, 400);
  const res = await fetch(`${gw.baseUrl}/api/v1/exceptions/${businessOnly.id}/resolve`, { method: 'POST', headers: { authorization: `Bearer ${keys.operator}`, 'content-type': 'text/plain' }, body: 'x' });
  assert.equal(res.status, 415);
  const bad = await fetch(`${gw.baseUrl}/api/v1/exceptions/${businessOnly.id}/resolve`, { method: 'POST', headers: { authorization: `Bearer ${keys.operator}`, 'content-type': 'application/json' }, body: '{' });
  assert.equal(bad.status, 400);
  const resolved = await post(`/api/v1/exceptions/${businessOnly.id}/resolve`, keys.operator, { note: 'called the supplier' });
  assert.equal(resolved.status, 200);
  assert.equal(resolved.body.resolution, 'called the supplier');
  assert.equal((await post(`/api/v1/exceptions/${businessOnly.id}/resolve`, keys.operator, { note: 'again' })).status, 409);
  assert.equal((await post('/api/v1/exceptions/999999999/resolve', keys.operator, { note: 'x' })).status, 404);
  assert.equal((await post('/api/v1/exceptions/abc/retry', keys.operator)).status, 404);
});

test('an order number not on file is 404; an overlong one is 400', async () => {
  assert.equal((await get('/api/v1/orders/PO-NOPE', keys.buyer)).status, 404);
  assert.equal((await get(`/api/v1/orders/${'X'.repeat(65)}`, keys.buyer)).status, 400);
});
