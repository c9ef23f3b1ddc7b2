// The OpenAPI document is the contract: every documented operation answers with a documented status
// and a body valid against its schema, every route of the API router is documented, and every
// route except the document itself refuses requests without a key (401) or without its scope (403).
// Also: the api-keys CLI creates a key that works once and is never printed again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { apiRouter } from '../src/http/api.ts';
import { openException } from '../src/store/exceptions.ts';
import { insertDocument } from '../src/store/documents.ts';
import { startScenario } from './odoo-sim/scenario.ts';
import { apiKeysCommand } from '../src/cli/api-keys.ts';
import { parseArgs } from '../src/cli/args.ts';
import { loadConfig } from '../src/config.ts';
import { createApiKey } from '../src/http/api-keys.ts';
import { createKeys, storeDocument, storeOrderLife } from './fixtures/api/order-life.ts';

type Operation = { operationId: string; security?: unknown[]; 'x-required-scope'?: string; responses: Record<string, { content?: Record<string, { schema: object }> }>; requestBody?: unknown };
const spec = JSON.parse(readFileSync(new URL('../src/http/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, Operation>> };
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
ajv.addSchema(spec, 'openapi');

const gw: TestGateway = await startTestGateway({ label: 'api_contract' });
await gw.ready;
const keys = await createKeys(gw.ctx.pool, 'medsurg-supply');
await storeOrderLife(gw.ctx.pool, 'PO-C-1', 'medsurg-supply', '856');
const doc = await storeDocument(gw.ctx.pool, 'inbound', 'interchange', 'medsurg-supply');
const toRetry = await openException(gw.ctx.pool, { documentId: doc, partnerId: 'medsurg-supply', queue: 'document.parse', jobData: { documentId: doc, correlationId: '00000000-0000-4000-8000-000000000002' }, reasonCode: 'test-contract', message: 'x' });
const toResolve = await openException(gw.ctx.pool, { partnerId: 'medsurg-supply', reasonCode: 'test-contract-resolve', message: 'y' });
// an acknowledged price to approve: the supplier's 855 and its exception, its PO in an Odoo simulator
const odooSim = await startScenario(19);
after(() => odooSim.sim.close());
await odooSim.odoo.write('res.partner', [odooSim.vendorId], { ref: 'MEDSURG' });
gw.ctx.odoo = odooSim.odoo;
const ackLine = { lineNumber: String(odooSim.lineIds[0]), status: 'changed', unitPrice: '5.5' };
const { document: ackDoc } = await insertDocument(gw.ctx.pool, { direction: 'inbound', partnerId: 'medsurg-supply', format: 'json', docType: 'order-ack', transport: 'sftp',
  raw: Buffer.from('{}'), state: 'input_applied_with_exceptions', businessKeys: { poNumber: odooSim.poName },
  canonical: { type: 'order-ack', poNumber: odooSim.poName, ackType: 'accepted-with-changes', ackDate: '2026-11-23', lines: [ackLine] } });
const toApprove = await openException(gw.ctx.pool, { documentId: ackDoc.id, partnerId: 'medsurg-supply', reasonCode: 'price-changed', message: 'price 5.5 acknowledged, 5 ordered', detail: { detail: ackLine } });

/** A request that must succeed for each documented operation, by operationId. */
const EXAMPLES: Record<string, { path: string; body?: unknown }> = {
  getOpenApi: { path: '/api/v1/openapi.json' },
  listOrders: { path: '/api/v1/orders?limit=5&state=partially-shipped' },
  getOrder: { path: '/api/v1/orders/PO-C-1' },
  listExceptions: { path: '/api/v1/exceptions?state=open' },
  retryException: { path: `/api/v1/exceptions/${toRetry.id}/retry` },
  resolveException: { path: `/api/v1/exceptions/${toResolve.id}/resolve`, body: { note: 'handled' } },
  approveException: { path: `/api/v1/exceptions/${toApprove.id}/approve` },
};

const operations = Object.entries(spec.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));

async function call(method: string, path: string, key?: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${gw.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

test('every route of the API router is documented, and every documented operation has an example here', () => {
  const routes = apiRouter(gw.ctx).stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${String(layer.path).replace(/:([A-Za-z]+)/g, '{$1}')}`));
  const documented = operations.map((o) => `${o.method} ${o.path}`);
  assert.deepEqual([...routes].sort(), [...documented].sort());
  assert.deepEqual(Object.keys(EXAMPLES).sort(), operations.map((o) => o.op.operationId).sort());
});

test('every operation but the document itself answers 401 without a key, 401 with a bad one, 403 without its scope', async () => {
  for (const { path, method, op } of operations) {
    const example = EXAMPLES[op.operationId]!;
    const isPublic = Array.isArray(op.security) && op.security.length === 0;
    const anonymous = await call(method, example.path, undefined, example.body);
    if (isPublic) {
      assert.equal(anonymous.status, 200, `${method} ${path} is public`);
      continue;
    }
    assert.equal(anonymous.status, 401, `${method} ${path} without a key`);
    assert.ok(op.responses['401'], `${method} ${path} documents 401`);
    assert.equal((await call(method, example.path, 'edi_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', example.body)).status, 401);
    const scope = op['x-required-scope'];
    assert.ok(scope, `${method} ${path} names its scope`);
    const other = (await createApiKey(gw.ctx.pool, { name: 'other-scope', scopes: [scope === 'orders:read' ? 'exceptions:write' : 'orders:read'] })).key;
    assert.equal((await call(method, example.path, other, example.body)).status, 403, `${method} ${path} without ${scope}`);
  }
});

test('every operation answers its example with a documented status and a body valid against the documented schema', async () => {
  for (const { path, method, op } of operations) {
    const example = EXAMPLES[op.operationId]!;
    const res = await call(method, example.path, keys.admin, example.body);
    const documented = op.responses[String(res.status)];
    assert.ok(documented, `${method} ${path} answered ${res.status}, which is not documented`);
    assert.equal(res.status, 200, `${method} ${path}: ${await res.clone().text()}`);
    const [type, media] = Object.entries(documented.content ?? {})[0]!;
    assert.match(res.headers.get('content-type') ?? '', new RegExp(`^${type.replace('+', '\\+')}`));
    const schema = media.schema as { $ref?: string };
    const validate = schema.$ref ? ajv.getSchema(`openapi${schema.$ref}`)! : ajv.compile(schema);
    const body = await res.json();
    assert.ok(validate(body), `${method} ${path}: ${ajv.errorsText(validate.errors)}`);
  }
});

test('errors are documented problem+json bodies', async () => {
  const res = await call('GET', '/api/v1/orders/PO-MISSING', keys.buyer);
  assert.equal(res.status, 404);
  const validate = ajv.getSchema('openapi#/components/schemas/Problem')!;
  assert.ok(validate(await res.json()), ajv.errorsText(validate.errors));
});

test('api-keys CLI: create prints the key once, list never shows it, revoke stops it', async () => {
  const config = loadConfig({ DATABASE_URL: gw.config.databaseUrl!, PARTNERS_DIR: 'partners' });
  const printed: unknown[] = [];
  const out = { json: (v: unknown) => printed.push(v), text: (v: string) => printed.push(v), error: (v: string) => printed.push(v) };
  assert.equal(await apiKeysCommand(config, parseArgs(['api-keys', 'create', '--name', 'cli-buyer', '--scope', 'orders:read', '--partner', 'medsurg-supply']), out), 0);
  const created = printed.pop() as { id: string; key: string; scopes: string[]; partnerId: string };
  assert.match(created.key, /^edi_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  assert.deepEqual([created.scopes, created.partnerId], [['orders:read'], 'medsurg-supply']);
  assert.equal((await call('GET', '/api/v1/orders/PO-C-1', created.key)).status, 200);
  await apiKeysCommand(config, parseArgs(['api-keys', 'list']), out);
  // the secret is everything after edi_<16 hex>_ (base64url: it may itself hold '_')
  const secret = created.key.slice('edi_'.length + 16 + 1);
  assert.ok(!JSON.stringify(printed.pop()).includes(secret), 'list shows no secret');
  assert.equal(await apiKeysCommand(config, parseArgs(['api-keys', 'revoke', created.id]), out), 0);
  await assert.rejects(apiKeysCommand(config, parseArgs(['api-keys', 'create', '--name', 'x', '--scope', 'orders:write']), out), /scopes must be some of orders:read, exceptions:write, admin; unknown: orders:write/);
  await assert.rejects(apiKeysCommand(config, parseArgs(['api-keys', 'create', '--name', 'x', '--scope', 'orders:read', '--partner', 'nobody']), out), /no partner profile "nobody"/);
  await assert.rejects(apiKeysCommand(config, parseArgs(['api-keys', 'revoke', '424242']), out), /no API key 424242/);
});
