/**
 * What the parse job does with real-world files: test interchanges, duplicates at the byte, envelope
 * and business level, rejections with their exact codes and a negative 997, files that are not X12,
 * unknown senders, and reprocessing that doubles nothing. No Odoo here: apply jobs simply wait.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { memoryLogger, startTestGateway, waitFor, type TestGateway } from './helpers/gateway.ts';
import { interchange } from './helpers/x12.ts';
import type { Component } from '../src/gateway.ts';
import { ingestDocument } from '../src/pipeline/ingest.ts';
import { replayDocument } from '../src/pipeline/replay.ts';
import { findDocuments, getDocument, getDocumentWithRaw } from '../src/store/documents.ts';
import { handleDeliver } from '../src/pipeline/deliver.ts';
import type { DeliverJob } from '../src/pipeline/queues.ts';
import { listExceptions } from '../src/store/exceptions.ts';

let gw: TestGateway;
const sent: Array<{ name: string; bytes: Buffer }> = [];
const capture: Component = {
  name: 'captured-sftp',
  start: async (ctx) => { ctx.outbound.sftp = { deliver: async (_p, f) => { sent.push({ name: f.name, bytes: f.bytes }); return {}; } }; },
  stop: async () => undefined,
};

before(async () => {
  process.env.PIPELINE_TEST_PW = 'x';
  gw = await startTestGateway({ label: 'pipeline_parse', components: [capture], env: { PARTNERS_DIR: 'test/fixtures/partners' } });
  await gw.ready;
});

const ack855 = (isa13: string, po: string, usage: 'P' | 'T' = 'P', extra: string[] = []) => interchange({
  sender: 'MEDSURGSUP', isa13, functionalId: 'PR', usage,
  sets: [{ id: '855', segments: [`BAK*00*AC*${po}*20261123`, 'PO1*1*10*EA*5**VN*AB-1', 'ACK*IA*10*EA*068*20261201', ...extra, 'CTT*1'] }],
});

async function processed(raw: Buffer, partnerId: string | null = 'medsurg-supply'): Promise<string> {
  const { documentId } = await ingestDocument(gw.ctx, { partnerId, format: 'x12', transport: 'sftp', raw });
  await waitFor(async () => (await getDocument(gw.ctx.pool, documentId))?.state !== 'input_received' || undefined, 'parse');
  return documentId;
}

async function acksFor(fileId: string) {
  return waitFor(async () => {
    const acks = (await findDocuments(gw.ctx.pool, { parentId: fileId })).filter((d) => d.direction === 'outbound');
    return acks.length > 0 && acks.every((a) => a.state === 'output_sent') ? acks : undefined;
  }, 'the acknowledgement to be sent');
}

test('a test interchange (ISA15=T) is translated and acknowledged, marked test, and never queued for Odoo', async () => {
  const id = await processed(ack855('000000701', 'PO-T-1', 'T'));
  const [child] = (await findDocuments(gw.ctx.pool, { parentId: id })).filter((d) => d.direction === 'inbound');
  assert.equal(child!.state, 'input_test');
  assert.equal(child!.test, true);
  const jobs = await gw.ctx.pool.query(`select count(*)::int as n from pgboss.job where name = 'odoo.apply' and data->>'documentId' = $1`, [child!.id]);
  assert.equal(jobs.rows[0].n, 0);
  const [ack] = await acksFor(id);
  assert.equal(ack!.docType, '997');
  assert.match(ack!.test ? 'test' : 'prod', /test/, 'our 997 to a test interchange is a test interchange too');
});

test('an accepted 855 becomes an order-ack queued for Odoo, with its lineage and a 997 sent back', async () => {
  const id = await processed(ack855('000000702', 'PO-A-1'));
  const [child] = (await findDocuments(gw.ctx.pool, { parentId: id })).filter((d) => d.direction === 'inbound');
  assert.equal(child!.docType, 'order-ack');
  assert.equal(child!.state, 'input_translated');
  assert.deepEqual([child!.interchangeControl, child!.groupControl, child!.transactionControl], ['000000702', '702', '0001']);
  assert.equal(child!.businessKeys.poNumber, 'PO-A-1');
  const [ack] = await acksFor(id);
  assert.match(sent.find((f) => f.name === ack!.source.fileName)!.bytes.toString(), /AK1\*PR\*702~[\s\S]*AK5\*A~[\s\S]*AK9\*A\*1\*1\*1~/);
});

test('a 997 travels in its delivery job: the first attempt sends exactly the stored bytes; a retry after it finds it sent and sends nothing', async () => {
  const id = await processed(ack855('000000709', 'PO-A-9'));
  const [ack] = await acksFor(id);
  const job = await gw.ctx.pool.query(`select data from pgboss.job where name = 'delivery.send' and data->>'documentId' = $1`, [ack!.id]);
  const data = job.rows[0].data as DeliverJob;
  const stored = await getDocumentWithRaw(gw.ctx.pool, ack!.id);
  assert.deepEqual(Buffer.from(data.bytes!, 'base64'), stored!.raw, 'the job carries the bytes stored');
  assert.deepEqual(sent.filter((f) => f.name === data.fileName).map((f) => f.bytes), [stored!.raw]);
  // the same job run again (its first run delivered, then the process died before pg-boss heard of it)
  const { log } = memoryLogger();
  await handleDeliver(gw.ctx, { data, jobId: 'again', attempt: 2, signal: new AbortController().signal, log });
  assert.equal(sent.filter((f) => f.name === data.fileName).length, 1, 'not sent twice');
  const events = await gw.ctx.pool.query(`select count(*)::int as n from document_events where document_id = $1 and event = 'delivered'`, [ack!.id]);
  assert.equal(events.rows[0].n, 1);
});

test('a transaction with a bad code is rejected with its AK3/AK4 codes, a rejecting 997 and an exception naming the position', async () => {
  const bad = interchange({ sender: 'MEDSURGSUP', isa13: '000000703', functionalId: 'PR', sets: [{ id: '855', segments: ['BAK*00*AC*PO-B-1*20261399', 'PO1*1*10*EA*5**VN*AB-1', 'CTT*1'] }] });
  const id = await processed(bad);
  assert.equal((await getDocument(gw.ctx.pool, id))!.state, 'input_rejected');
  const [ex] = await listExceptions(gw.ctx.pool, { documentId: id });
  assert.equal(ex!.reasonCode, 'x12-rejected');
  assert.match(ex!.message, /BAK at 2 element 4 code 8/);
  const [ack] = await acksFor(id);
  const text = sent.find((f) => f.name === ack!.source.fileName)!.bytes.toString();
  assert.match(text, /AK3\*BAK\*2\*\*8~/);
  assert.match(text, /AK4\*4\*\*8\*20261399~/);
  assert.match(text, /AK5\*R\*5~/);
});

test('the same interchange control number from the same sender is a duplicate: linked, not processed again', async () => {
  const first = await processed(ack855('000000704', 'PO-D-1'));
  const second = await processed(ack855('000000704', 'PO-D-2')); // other bytes, same ISA13
  const dup = (await getDocument(gw.ctx.pool, second))!;
  assert.equal(dup.state, 'input_duplicate');
  assert.equal(dup.duplicateOf, first);
  assert.equal((await findDocuments(gw.ctx.pool, { parentId: second })).length, 0, 'nothing translated from it');
  const [ex] = await listExceptions(gw.ctx.pool, { documentId: second });
  assert.equal(ex!.reasonCode, 'duplicate-interchange');
});

test('a file that is not X12 is rejected with an exception; nothing is acknowledged', async () => {
  const id = await processed(Buffer.from('Dear supplier, please find attached our invoice.\n'));
  assert.equal((await getDocument(gw.ctx.pool, id))!.state, 'input_rejected');
  const [ex] = await listExceptions(gw.ctx.pool, { documentId: id });
  assert.equal(ex!.reasonCode, 'not-x12');
  assert.equal((await findDocuments(gw.ctx.pool, { parentId: id })).length, 0);
});

test('a file from an unknown sender translates with generic defaults, is flagged, and is not applied', async () => {
  const raw = interchange({ sender: 'STRANGERCO', isa13: '000000705', functionalId: 'PR', sets: [{ id: '855', segments: ['BAK*00*AC*PO-U-1*20261123', 'PO1*1*10*EA*5**VN*AB-1', 'CTT*1'] }] });
  const id = await processed(raw, null);
  const [child] = (await findDocuments(gw.ctx.pool, { parentId: id })).filter((d) => d.direction === 'inbound');
  assert.equal(child!.docType, 'order-ack');
  assert.equal(child!.state, 'input_recorded', 'kept, never applied to Odoo');
  const reasons = (await listExceptions(gw.ctx.pool, { documentId: id })).map((e) => e.reasonCode);
  assert.ok(reasons.includes('unknown-partner'));
});

test('processing a file again (replay) doubles no child, no acknowledgement and no job', async () => {
  const id = await processed(ack855('000000706', 'PO-R-1'));
  await acksFor(id);
  const before = await findDocuments(gw.ctx.pool, { parentId: id });
  await replayDocument(gw.ctx, id, 'test');
  await waitFor(async () => (await getDocument(gw.ctx.pool, id))?.state === 'input_translated' || undefined, 'the replay');
  const after = await findDocuments(gw.ctx.pool, { parentId: id });
  assert.deepEqual(after.map((d) => d.id).sort(), before.map((d) => d.id).sort());
  const jobs = await gw.ctx.pool.query(`select count(*)::int as n from pgboss.job where name = 'odoo.apply' and data->>'documentId' = any($1)`, [before.map((d) => d.id)]);
  assert.equal(jobs.rows[0].n, 1, 'one apply job for the one order-ack');
});

test('a large file is translated on a worker thread with the same result: every set a child, one 997 for all', async () => {
  const sets = Array.from({ length: 3000 }, (_, i) => ({ id: '855', segments: [`BAK*00*AC*PO-L-${i}*20261123`, 'PO1*1*10*EA*5**VN*AB-1', 'ACK*IA*10*EA*068*20261201', 'CTT*1'] }));
  const raw = interchange({ sender: 'MEDSURGSUP', isa13: '000000707', functionalId: 'PR', sets });
  assert.ok(raw.length > 256 * 1024, 'large enough for the worker');
  const id = await processed(raw);
  assert.equal((await getDocument(gw.ctx.pool, id))!.state, 'input_translated');
  const children = await gw.ctx.pool.query(`select count(*)::int as n from documents where parent_id = $1 and doc_type = 'order-ack'`, [id]);
  assert.equal(children.rows[0].n, 3000);
  const [ack] = await acksFor(id);
  assert.match(sent.find((f) => f.name === ack!.source.fileName)!.bytes.toString(), /AK9\*A\*3000\*3000\*3000~/);
});
