import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { testDatabase } from './helpers/db.ts';
import { memoryLogger } from './helpers/gateway.ts';
import { createPool } from '../src/db/pool.ts';
import { migrate } from '../src/db/migrate.ts';
import { ingestDocument } from '../src/pipeline/ingest.ts';
import { createQueues } from '../src/pipeline/queues.ts';
import { getDocument, getDocumentWithRaw, getDocumentWithParent, listEvents, setDocumentState, insertDocument } from '../src/store/documents.ts';
import { nextControlNumber } from '../src/store/control-numbers.ts';

let url: string;
let pool: pg.Pool;
let boss: PgBoss;
const { log } = memoryLogger();

before(async () => {
  url = await testDatabase('store');
  pool = createPool(url);
  await migrate(pool);
  boss = new PgBoss({ connectionString: url, schema: 'pgboss', supervise: false, schedule: false });
  boss.on('error', () => undefined);
  await boss.start();
  await createQueues(boss);
});
after(async () => {
  await boss.stop({ graceful: false, wait: true });
  await pool.end();
});

const raw = Buffer.from('ISA*00*          *00*          *ZZ*MEDSURGSUP     *ZZ*EDIGATEWAY     *261123*0730*U*00401*000000123*0*P*>~');

test('migrations run twice and from two processes at once, each applied exactly once', async () => {
  const other = createPool(url, { max: 2 });
  const third = createPool(url, { max: 2 });
  const results = await Promise.all([migrate(other), migrate(third), migrate(pool)]);
  assert.deepEqual(results.flat(), [], 'everything was already applied in before()');
  const rows = await pool.query('select version, count(*)::int as n from schema_migrations group by version');
  assert.ok(rows.rowCount! >= 3);
  for (const r of rows.rows) assert.equal(r.n, 1);
  await other.end();
  await third.end();
});

test('concurrent first migrations on an empty database serialise on the advisory lock', async () => {
  const fresh = await testDatabase('store_concurrent');
  const a = createPool(fresh, { max: 2 });
  const b = createPool(fresh, { max: 2 });
  const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
  assert.ok(ra.length + rb.length > 0);
  assert.equal(ra.length === 0 || rb.length === 0, true, 'one process applied everything, the other found it done');
  await a.end();
  await b.end();
});

test('a stored document and its parse job commit together', async () => {
  const result = await ingestDocument({ pool, boss, log }, { partnerId: 'medsurg-supply', format: 'x12', transport: 'cli', raw: Buffer.concat([raw, Buffer.from('A')]) });
  assert.equal(result.created, true);
  const doc = await getDocument(pool, result.documentId);
  assert.equal(doc?.state, 'input_received');
  assert.equal(doc?.docType, 'interchange');
  const jobs = await pool.query(`select data from pgboss.job where name = 'document.parse' and data->>'documentId' = $1`, [result.documentId]);
  assert.equal(jobs.rowCount, 1);
  assert.equal(jobs.rows[0].data.correlationId, result.correlationId);
});

test('when its parse job cannot be queued, the document is not stored either', async () => {
  // a pg-boss whose schema has no document.parse queue inserts no job for it
  const queueless = new PgBoss({ connectionString: url, schema: 'pgboss_without_queues', supervise: false, schedule: false });
  queueless.on('error', () => undefined);
  await queueless.start();
  try {
    const bytes = Buffer.concat([raw, Buffer.from('atomicity')]);
    await assert.rejects(ingestDocument({ pool, boss: queueless, log }, { partnerId: 'medsurg-supply', format: 'x12', transport: 'cli', raw: bytes }), /null value in column "event"/);
    const found = await pool.query(`select count(*)::int as n from documents where raw = $1`, [bytes]);
    assert.equal(found.rows[0].n, 0, 'no document without its job');
  } finally {
    await queueless.stop({ graceful: false, wait: true });
  }
});

test('the same bytes from the same partner are stored once; another partner stores its own', async () => {
  const bytes = Buffer.concat([raw, Buffer.from('dup')]);
  const first = await ingestDocument({ pool, boss, log }, { partnerId: 'medsurg-supply', format: 'x12', transport: 'sftp', raw: bytes });
  const second = await ingestDocument({ pool, boss, log }, { partnerId: 'medsurg-supply', format: 'x12', transport: 'sftp', raw: bytes });
  assert.equal(second.created, false);
  assert.equal(second.documentId, first.documentId);
  const third = await ingestDocument({ pool, boss, log }, { partnerId: 'other-partner', format: 'x12', transport: 'sftp', raw: bytes });
  assert.equal(third.created, true);
  const jobs = await pool.query(`select count(*)::int as n from pgboss.job where name = 'document.parse' and data->>'documentId' = $1`, [first.documentId]);
  assert.equal(jobs.rows[0].n, 1, 'the duplicate queued no second job');
});

test('raw bytes are append-only: update, delete and truncate are refused by the database', async () => {
  const { document } = await insertDocument(pool, { direction: 'inbound', partnerId: 'p', format: 'x12', docType: 'interchange', transport: 'cli', raw: Buffer.from('ISA-append-only'), state: 'input_received' });
  await assert.rejects(pool.query(`update documents set raw = 'x'::bytea where id = $1`, [document.id]), /append-only/);
  await assert.rejects(pool.query(`update documents set sha256 = 'x' where id = $1`, [document.id]), /append-only/);
  await assert.rejects(pool.query('delete from documents where id = $1', [document.id]), /append-only/);
  await assert.rejects(pool.query('truncate documents cascade'), /append-only|truncate/);
  await assert.rejects(pool.query('delete from document_events where document_id = $1', [document.id]), /append-only/);
  const after = await getDocument(pool, document.id);
  assert.equal(after?.sha256, document.sha256);
});

test('every state change is an audit event in order', async () => {
  const { document } = await insertDocument(pool, { direction: 'inbound', partnerId: 'p', format: 'x12', docType: 'interchange', transport: 'cli', raw: Buffer.from('ISA-audit'), state: 'input_received' });
  await setDocumentState(pool, document.id, 'input_parsed', { reason: 'parsed' });
  await setDocumentState(pool, document.id, 'input_translated', { reason: 'translated', detail: { documents: 2 } });
  const events = await listEvents(pool, document.id);
  assert.deepEqual(events.map((e) => [e.event, e.state]), [['stored', 'input_received'], ['parsed', 'input_parsed'], ['translated', 'input_translated']]);
  assert.equal((await getDocument(pool, document.id))?.state, 'input_translated');
});

test('control numbers are 9-digit strings, per scope, never reused even across rolled-back transactions', async () => {
  assert.equal(await nextControlNumber(pool, 'medsurg-supply/isa'), '000000001');
  const client = await pool.connect();
  await client.query('begin');
  assert.equal(await nextControlNumber(client, 'medsurg-supply/isa'), '000000002');
  await client.query('rollback');
  client.release();
  const n = await Promise.all(Array.from({ length: 20 }, () => nextControlNumber(pool, 'medsurg-supply/isa')));
  assert.equal(new Set(n).size, 20);
  assert.ok(n.every((x) => /^\d{9}$/.test(x)));
  assert.equal(await nextControlNumber(pool, 'other/isa'), '000000001');
});

test('stored bytes read back exactly, small ones with their row and large ones on their own (every byte value, both sides of 256 KiB)', async () => {
  for (const size of [1_000, 256 * 1024, 256 * 1024 + 1, 3_000_000]) {
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 7 + size) & 0xff;
    const { document: parent } = await insertDocument(pool, { direction: 'inbound', partnerId: 'medsurg-supply', format: 'x12', docType: '810', transport: 'cli', raw: bytes, state: 'input_translated' });
    const read = await getDocumentWithRaw(pool, parent.id);
    assert.equal(read!.raw.length, size);
    assert.ok(read!.raw.equals(bytes), `${size} bytes read back as stored`);
    const { document: child } = await insertDocument(pool, {
      direction: 'inbound', partnerId: 'medsurg-supply', format: 'json', docType: 'invoice', transport: 'cli', raw: Buffer.from('{}'),
      state: 'input_translated', parentId: parent.id, childKey: 'x', canonicalJson: '{"type":"invoice"}',
    });
    const withParent = await getDocumentWithParent(pool, child.id);
    assert.ok(withParent!.parentRaw!.equals(bytes), `the invoice's original file of ${size} bytes comes with it`);
    assert.deepEqual(withParent!.document.canonical, { type: 'invoice' }, 'canonical given as JSON text is stored as that JSON');
  }
});
