import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway, waitFor } from './helpers/gateway.ts';
import { testDatabase } from './helpers/db.ts';
import { startFaultProxy } from './helpers/fault-proxy.ts';
import { ingestDocument } from '../src/pipeline/ingest.ts';
import { getDocument } from '../src/store/documents.ts';
import { listExceptions } from '../src/store/exceptions.ts';
import { retryException, resolveExceptionBy } from '../src/pipeline/exception-actions.ts';
import { GatewayError } from '../src/errors.ts';
import { POLICIES } from '../src/pipeline/queues.ts';
import type { Handlers } from '../src/pipeline/workers.ts';
import { functionalAckInterchange } from './helpers/x12.ts';

let next = 100;
const x12 = (marker?: string) => functionalAckInterchange(String(next++).padStart(9, '0'), { marker });

test('health, readiness and metrics answer; unknown routes are problem+json with the request id', async () => {
  const gw = await startTestGateway({ label: 'gw_health' });
  await gw.ready;
  const health = await fetch(`${gw.baseUrl}/healthz`);
  assert.equal(health.status, 200);
  const ready = await fetch(`${gw.baseUrl}/readyz`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { status: 'ready', database: true, queue: true });
  await ingestDocument(gw.ctx, { partnerId: 'medsurg-supply', format: 'x12', transport: 'cli', raw: x12() });
  const metrics = await (await fetch(`${gw.baseUrl}/metrics`)).text();
  assert.match(metrics, /edi_documents\{partner="medsurg-supply",type="(interchange|functional-ack)",state="input_(received|translated|recorded)"\} 1/);
  assert.match(metrics, /edi_queue_depth\{queue="document.parse"\} \d+/);
  assert.match(metrics, /edi_job_failures\{queue="odoo.apply"\} 0/);
  const missing = await fetch(`${gw.baseUrl}/nope`, { headers: { 'x-request-id': 'req-123' } });
  assert.equal(missing.status, 404);
  assert.match(missing.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(missing.headers.get('x-request-id'), 'req-123');
  const body = await missing.json();
  assert.equal(body.requestId, 'req-123');
  assert.equal(body.stack, undefined);
  const hostileId = await fetch(`${gw.baseUrl}/healthz`, { headers: { 'x-request-id': 'a'.repeat(500) } });
  assert.notEqual(hostileId.headers.get('x-request-id'), 'a'.repeat(500), 'an overlong request id is replaced');
});

test('the gateway starts while Postgres is unreachable and begins work once it answers', async () => {
  const url = new URL(await testDatabase('gw_late_pg'));
  const proxy = await startFaultProxy({ host: url.hostname, port: Number(url.port || 5432) });
  proxy.setMode('refuse');
  const viaProxy = new URL(url);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  const gw = await startTestGateway({ label: 'gw_late_pg', databaseUrl: viaProxy.toString() });
  try {
    assert.equal((await fetch(`${gw.baseUrl}/healthz`)).status, 200, 'alive without a database');
    const notReady = await fetch(`${gw.baseUrl}/readyz`);
    assert.equal(notReady.status, 503);
    assert.equal((await notReady.json()).database, false);
    proxy.setMode('pass');
    await waitFor(async () => (await fetch(`${gw.baseUrl}/readyz`)).status === 200, 'readiness after Postgres came up', 60_000);
    const { documentId } = await ingestDocument(gw.ctx, { partnerId: 'medsurg-supply', format: 'x12', transport: 'cli', raw: x12() });
    await waitFor(async () => (await getDocument(gw.ctx.pool, documentId))?.state === 'input_translated', 'the document to be translated');
  } finally {
    await gw.stop();
    await proxy.close();
  }
});

test('stop lets an in-flight job finish before the queue and database close', async () => {
  let started = false;
  let finished = false;
  const handlers: Handlers = {
    'document.parse': async () => {
      started = true;
      await new Promise((r) => setTimeout(r, 1500));
      finished = true;
    },
  };
  const gw = await startTestGateway({ label: 'gw_stop', handlers });
  await gw.ready;
  const { documentId } = await ingestDocument(gw.ctx, { partnerId: 'medsurg-supply', format: 'x12', transport: 'cli', raw: x12() });
  await waitFor(() => started, 'the job to start');
  const pool = gw.ctx.pool;
  const url = gw.config.databaseUrl!;
  await gw.stop();
  assert.equal(finished, true, 'the in-flight job ran to its end');
  assert.equal((await fetch(`${gw.baseUrl}/healthz`).catch(() => undefined)), undefined, 'HTTP is closed');
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const job = await c.query(`select state from pgboss.job where name = 'document.parse' and data->>'documentId' = $1`, [documentId]);
  await c.end();
  assert.equal(job.rows[0].state, 'completed');
  void pool;
});

test('a job failing for good opens an exception; an operator retries it and resolves another', async () => {
  let fail = true;
  const handlers: Handlers = {
    'document.parse': async () => {
      if (fail) throw new GatewayError('bad-input', 'the file says nothing useful');
    },
  };
  const gw = await startTestGateway({ label: 'gw_exceptions', handlers });
  await gw.ready;
  const { documentId } = await ingestDocument(gw.ctx, { partnerId: 'medsurg-supply', format: 'x12', transport: 'cli', raw: x12() });
  const [ex] = await waitFor(async () => {
    const list = await listExceptions(gw.ctx.pool, { state: 'open', documentId });
    return list.length ? list : undefined;
  }, 'an exception');
  assert.equal(ex!.reasonCode, 'bad-input');
  assert.equal(ex!.queue, 'document.parse');
  assert.equal(ex!.message, 'the file says nothing useful');
  assert.equal((await getDocument(gw.ctx.pool, documentId))?.state, 'input_failed');
  fail = false;
  const { exception } = await retryException({ pool: gw.ctx.pool, boss: gw.ctx.boss }, ex!.id, 'operator-1');
  assert.equal(exception.state, 'resolved');
  assert.match(exception.resolution!, /retried as job/);
  await waitFor(async () => (await getDocument(gw.ctx.pool, documentId))?.state === 'input_received' || undefined, 'the document back in input_received', 2000).catch(() => undefined);
  await assert.rejects(retryException({ pool: gw.ctx.pool, boss: gw.ctx.boss }, ex!.id, 'operator-1'), /already resolved/);
  await assert.rejects(resolveExceptionBy(gw.ctx.pool, '999999', 'op', 'x'), /no exception/);
});

test('a job that keeps failing with a retryable error is retried, then parked as an exception', async () => {
  let attempts = 0;
  const handlers: Handlers = {
    'document.parse': async () => {
      attempts++;
      throw new GatewayError('odoo-down', 'Odoo did not answer', { retryable: true });
    },
  };
  const policies = { ...POLICIES, 'document.parse': { retryLimit: 2, retryDelay: 1, retryBackoff: false, expireInSeconds: 30 } };
  const gw = await startTestGateway({ label: 'gw_dead_letter', handlers, policies });
  await gw.ready;
  const { documentId } = await ingestDocument(gw.ctx, { partnerId: 'medsurg-supply', format: 'x12', transport: 'cli', raw: x12() });
  const [ex] = await waitFor(async () => {
    const list = await listExceptions(gw.ctx.pool, { state: 'open', documentId });
    return list.length ? list : undefined;
  }, 'the dead-lettered job to open an exception', 60_000);
  assert.equal(ex!.reasonCode, 'retries-exhausted');
  assert.equal(attempts, 3, 'first run and two retries');
  assert.equal(ex!.attempts, 3);
  assert.deepEqual((ex!.jobData as { documentId: string }).documentId, documentId);
});

test('logs are JSON with the document ids, and never carry a payload or a secret', async () => {
  const gw = await startTestGateway({ label: 'gw_logs', env: { ODOO_URL: 'http://127.0.0.1:9', ODOO_DB: 'x', ODOO_API_KEY: 'odoo-key-5f2a9c1e' } });
  await gw.ready;
  const marker = 'PAYLOAD-MARKER-7731';
  const { documentId, correlationId } = await ingestDocument(gw.ctx, { partnerId: 'medsurg-supply', format: 'x12', transport: 'cli', raw: x12(marker) });
  await waitFor(async () => (await getDocument(gw.ctx.pool, documentId))?.state === 'input_translated', 'translation');
  const text = JSON.stringify(gw.logs);
  assert.ok(!text.includes(marker), 'no payload in logs');
  assert.ok(!text.includes('odoo-key-5f2a9c1e'), 'no secret in logs');
  const mine = gw.logs.filter((l) => l.documentId === documentId);
  assert.ok(mine.length >= 2, 'stored and parsed are logged');
  assert.ok(mine.every((l) => l.correlationId === correlationId && l.partnerId !== undefined || l.correlationId === correlationId));
  assert.ok(mine.some((l) => l.msg === 'document stored' && l.partnerId === 'medsurg-supply'));
});
