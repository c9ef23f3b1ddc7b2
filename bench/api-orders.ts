/**
 * GET /api/v1/orders/{poNumber} with 1,000,000 stored documents (200,000 orders, each with its 850,
 * 997, 855, 856 and 810, their audit events, acknowledgements, shipment and invoice), served by the
 * real app (createApp, API-key auth) on 127.0.0.1, loaded by wrk (bench/load.ts) in a second process, random
 * PO numbers. Reference in the same run: a bare Koa route doing one indexed query on the same table.
 *
 *   npx tsx bench/api-orders.ts [--orders 200000] [--seconds 10] [--connections 10]
 *
 * Uses DATABASE_URL's server (a scratch database is made and dropped), or an embedded PostgreSQL.
 * Goal: ≥ 2,000 requests/s with p99 under 20 ms.
 */
import { scratchDatabase } from './scratch-database.ts';
import { runLoad, type LoadResult } from './load.ts';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import Router from '@koa/router';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { createPool } from '../src/db/pool.ts';
import { migrate } from '../src/db/migrate.ts';
import { createApp } from '../src/http/app.ts';
import { createApiKey } from '../src/http/api-keys.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { createRegistry } from '../src/partners/registry.ts';
import type { AppContext } from '../src/context.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function seed(pool: pg.Pool, orders: number): Promise<void> {
  const t = Date.now();
  // document i belongs to order ceil(i/5); its kind is (i-1) % 5: 850 out, 997, 855, 856, 810 in
  await pool.query(`
    insert into documents (direction, partner_id, format, doc_type, transport, raw, sha256, size, correlation_id, business_keys,
                           interchange_control, group_control, transaction_control, state, created_at)
    select case when k = 0 then 'outbound' else 'inbound' end, 'medsurg-supply', 'x12', (array['850','997','855','856','810'])[k + 1], 'sftp',
           convert_to('doc ' || i, 'UTF8'), md5(i::text) || md5((i * 7)::text), 8, md5(o::text)::uuid,
           case when k = 1 then '{}'::jsonb else jsonb_build_object('poNumber', 'PO-' || o) end,
           lpad(i::text, 9, '0'), o::text, '0001',
           (array['output_acknowledged','input_applied','input_applied','input_applied','input_applied'])[k + 1], now() - interval '30 days' + i * interval '1 second'
      from (select i, (i - 1) / 5 + 1 as o, (i - 1) % 5 as k from generate_series(1, $1::int * 5) i) g`, [orders]);
  await pool.query(`insert into document_events (document_id, state, event, at) select id, state, 'stored', created_at from documents`);
  await pool.query(`
    insert into orders (partner_id, po_number, revision, state, odoo_po_id, outbound_document_id, lines, sent_at, ack_type, acknowledged_at, ack_document_id)
    select 'medsurg-supply', 'PO-' || o, '0', 'invoiced', o, (o - 1) * 5 + 1, '[{"lineNumber":"1","quantity":"10","uom":"EA"}]', now(), 'accepted', now(), (o - 1) * 5 + 3
      from generate_series(1, $1::int) o`, [orders]);
  await pool.query(`
    insert into ack_expectations (partner_id, po_number, revision, outbound_document_id, kind, format, group_control, transaction_control, hours, sent_at, due_at,
                                  state, received_at, received_document_id, outcome)
    select 'medsurg-supply', 'PO-' || o, '0', (o - 1) * 5 + 1, kind, 'x12', o::text, '0001', 4, now(), now() + interval '4 hours', 'received', now(),
           (o - 1) * 5 + case when kind = 'functional' then 2 else 3 end, 'accepted'
      from generate_series(1, $1::int) o, unnest(array['functional', 'order']) kind`, [orders]);
  await pool.query(`
    insert into order_shipments (partner_id, po_number, shipment_id, document_id, ship_date, lines)
    select 'medsurg-supply', 'PO-' || o, 'SH-' || o, (o - 1) * 5 + 4, current_date, '[{"lineNumber":"1","quantityShipped":"10","uom":"EA","lots":[]}]'
      from generate_series(1, $1::int) o`, [orders]);
  await pool.query(`
    insert into order_invoices (partner_id, po_number, invoice_number, document_id, invoice_date, currency, total_amount)
    select 'medsurg-supply', 'PO-' || o, 'INV-' || o, (o - 1) * 5 + 5, current_date, 'USD', '126.50' from generate_series(1, $1::int) o`, [orders]);
  await pool.query('analyze');
  console.log(`seeded ${orders * 5} documents, ${orders} orders in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

function listen(app: Koa): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
    server.keepAliveTimeout = 10_000;
  });
}

function print(name: string, r: LoadResult): void {
  console.log(`${name.padEnd(34)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms   (${r.requests} requests, ${r.errors} errors, ${r.non2xx} non-2xx)`);
}

async function main(): Promise<void> {
  const orders = arg('orders', 200_000);
  const seconds = arg('seconds', 10);
  const connections = arg('connections', 10);
  const scratch = await scratchDatabase('bench_api');
  const url = new URL(scratch.url);
  const pool = createPool(url.toString(), { max: 10 });
  try {
    await migrate(pool);
    await seed(pool, orders);
    const { key } = await createApiKey(pool, { name: 'bench', scopes: ['orders:read'] });
    const config = loadConfig({ DATABASE_URL: url.toString(), PARTNERS_DIR: 'partners' });
    const ctx = {
      config, pool, boss: new PgBoss({ connectionString: url.toString() }), log: createLogger({ level: 'silent' }), partners: createRegistry([]),
      wake: () => undefined, ready: () => true, outbound: {},
    } as unknown as AppContext;
    const gateway = await listen(createApp(ctx));

    const bare = new Koa();
    const router = new Router();
    router.get('/ref/:id', async (c) => {
      c.body = (await pool.query('select id, state, doc_type from documents where id = $1', [c.params.id])).rows[0];
    });
    bare.use(router.routes());
    const reference = await listen(bare);

    const check = await fetch(`${gateway.url}/api/v1/orders/PO-1`, { headers: { authorization: `Bearer ${key}` } });
    const sample = await check.json() as { timeline?: unknown[] };
    if (check.status !== 200 || sample.timeline?.length !== 5) throw new Error(`unexpected answer ${check.status}: ${JSON.stringify(sample).slice(0, 200)}`);
    const plan = (await pool.query(`explain select id from documents where business_keys ? 'poNumber' and business_keys->>'poNumber' = 'PO-1' and partner_id = 'medsurg-supply'`)).rows.map((r) => r['QUERY PLAN']).join(' | ');
    console.log(`timeline plan: ${plan}`);

    console.log(`\n${seconds} s each, ${connections} connections, wrk in a second process, random keys over ${orders} orders / ${orders * 5} documents`);
    const auth = { authorization: `Bearer ${key}` };
    await runLoad({ url: gateway.url, path: { template: '/api/v1/orders/PO-{n}', count: orders }, seconds: 2, connections, headers: auth }); // warm-up
    const api = await runLoad({ url: gateway.url, path: { template: '/api/v1/orders/PO-{n}', count: orders }, seconds, connections, headers: auth });
    print('GET /api/v1/orders/{poNumber}', api);
    await runLoad({ url: reference.url, path: { template: '/ref/{n}', count: orders * 5 }, seconds: 2, connections });
    const ref = await runLoad({ url: reference.url, path: { template: '/ref/{n}', count: orders * 5 }, seconds, connections });
    print('bare Koa, one indexed query', ref);
    console.log(`ratio API / bare: ${(api.rps / ref.rps).toFixed(2)}   goal: >= 2000 req/s, p99 < 20 ms: ${api.rps >= 2000 && api.p99 < 20 ? 'met' : 'NOT met'}`);
    console.log(`peak RSS of the server process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
    gateway.server.close();
    reference.server.close();
  } finally {
    await pool.end();
    await scratch.drop();
  }
}

await main();
