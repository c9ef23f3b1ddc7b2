// POST /cxml against the real Koa server and Postgres: authentication, every status code, replay and
// conflict by payloadID (also under concurrent duplicates), hostile input, test documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { fixture } from './cxml-helpers.ts';

const PROFILES = {
  'gpo.yaml': `id: gpo-test
name: GPO test network
enabled: true
role: network
formats: [cxml]
cxml:
  credentials:
    - { domain: NetworkID, identity: AN01000000001, sharedSecretEnv: CXML_TEST_SECRET, previousSharedSecretEnv: CXML_TEST_PREVIOUS_SECRET }
  supplierIdentities:
    - { domain: DUNS, identity: "123456789" }
  ourIdentity: { domain: NetworkID, identity: AN02000000002 }
unitsOfMeasure: { CA: CS }
`,
  'other.yaml': `id: other-network
name: Another network
enabled: true
role: network
formats: [cxml]
cxml:
  credentials:
    - { domain: NetworkID, identity: AN09000000009, sharedSecretEnv: CXML_OTHER_SECRET }
  supplierIdentities:
    - { domain: DUNS, identity: "999999999" }
`,
};

const dir = mkdtempSync(join(tmpdir(), 'cxml-partners-'));
for (const [name, text] of Object.entries(PROFILES)) writeFileSync(join(dir, name), text);
// secrets are read from the process environment, as in production
Object.assign(process.env, { CXML_TEST_SECRET: 's3cret-current', CXML_TEST_PREVIOUS_SECRET: 's3cret-previous', CXML_OTHER_SECRET: 'other' });
const gw: TestGateway = await startTestGateway({ label: 'cxml-http', env: { PARTNERS_DIR: dir, MAX_BODY_BYTES: String(8 * 1024 * 1024) } });
await gw.ready;
const db = gw.ctx.pool;

const invoice = fixture('invoice-credit-memo.xml').toString();
const asn = fixture('ship-notice-lots.xml').toString();
let seq = 0;
/** The fixture with a fresh payloadID (and other replacements), so each test starts clean. */
function doc(xml: string, replace: Array<[string | RegExp, string]> = []): string {
  let out = xml.replace(/payloadID="[^"]+"/, `payloadID="t${++seq}.${Date.now()}@test"`);
  for (const [a, b] of replace) out = out.replace(a, b);
  return out;
}

async function post(body: string | Uint8Array, contentType = 'text/xml; charset=utf-8'): Promise<{ status: number; text: string; bytes: Buffer }> {
  const res = await fetch(`${gw.baseUrl}/cxml`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, text: bytes.toString(), bytes };
}

function statusOf(xml: string): string | undefined {
  return /<Status code="([0-9]+)"/.exec(xml)?.[1];
}

async function documentsWithPayload(payloadId: string): Promise<Array<{ id: string; state: string; test: boolean; doc_type: string }>> {
  const r = await db.query(`select id, state, test, doc_type from documents where business_keys->>'payloadId' = $1`, [payloadId]);
  return r.rows;
}
const payloadOf = (xml: string): string => /payloadID="([^"]+)"/.exec(xml)![1]!;

test('an authenticated InvoiceDetailRequest is stored with its parse job before 200 OK, as a test document when deploymentMode="test"', async () => {
  const body = doc(invoice);
  const res = await post(body);
  assert.equal(res.status, 200, res.text);
  assert.equal(statusOf(res.text), '200');
  assert.match(res.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE cXML SYSTEM "http:\/\/xml.cxml.org\/schemas\/cXML\/1.2.069\/cXML.dtd">/);
  const [stored] = await documentsWithPayload(payloadOf(body));
  assert.equal(stored?.doc_type, 'InvoiceDetailRequest');
  assert.equal(stored?.test, true);
  const jobs = await db.query(`select data->>'correlationId' as correlation from pgboss.job where name = 'document.parse' and data->>'documentId' = $1`, [stored!.id]);
  assert.equal(jobs.rows.length, 1);
  const events = await db.query(`select d.correlation_id, e.state, e.event, e.detail from document_events e join documents d on d.id = e.document_id where d.id = $1 order by e.id`, [stored!.id]);
  // the first event is the storing one; the gateway's parse job may already have added 'translated' after it
  assert.deepEqual(events.rows.slice(0, 1).map((e) => [e.state, e.event, e.detail.transport, e.detail.size]), [['input_received', 'stored', 'http', Buffer.byteLength(body)]]);
  assert.equal(jobs.rows[0].correlation, events.rows[0].correlation_id);
});

/** The invoice fixture with `lines` lines: over 256 KB it is read on a parse worker thread. */
function invoiceOfLines(lines: number): string {
  const item = /<InvoiceDetailItem [\s\S]*?<\/InvoiceDetailItem>/.exec(invoice)![0];
  return doc(invoice.replace(item, Array.from({ length: lines }, (_, i) => item.replace('invoiceLineNumber="1"', `invoiceLineNumber="${i + 1}"`)).join('\n')));
}

test('a body large enough for a worker thread is stored byte for byte with its hash and job, and replayed byte for byte', async () => {
  const body = invoiceOfLines(400);
  assert.ok(Buffer.byteLength(body) > 256 * 1024);
  const res = await post(body);
  assert.equal(res.status, 200, res.text);
  const stored = await db.query(`select id, raw, sha256 from documents where business_keys->>'payloadId' = $1`, [payloadOf(body)]);
  assert.equal(stored.rows.length, 1);
  assert.ok(Buffer.from(body).equals(stored.rows[0].raw));
  assert.equal(stored.rows[0].sha256, createHash('sha256').update(body).digest('hex'));
  const jobs = await db.query(`select count(*)::int as n from pgboss.job where name = 'document.parse' and data->>'documentId' = $1`, [stored.rows[0].id]);
  assert.equal(jobs.rows[0].n, 1);
  const again = await post(body);
  assert.ok(again.bytes.equals(res.bytes));
  const changed = await post(body.replace('invoiceLineNumber="400"', 'invoiceLineNumber="401"'));
  assert.equal(changed.status, 409, changed.text);
});

test('hostile input in a large body is refused by the worker thread like a small one', async () => {
  const body = invoiceOfLines(400).replace('<InvoiceDetailItem invoiceLineNumber="200"', '<InvoiceDetailItem invoiceLineNumber="&xxe;"');
  const res = await post(body);
  assert.equal(res.status, 400, res.text);
  assert.match(res.text, /entity reference &amp;xxe; is not allowed/);
  assert.equal((await documentsWithPayload(payloadOf(body))).length, 0);
});

test('the previous shared secret is still accepted during rotation', async () => {
  const res = await post(doc(asn, [['s3cret-current', 's3cret-previous']]));
  assert.equal(res.status, 200, res.text);
});

for (const [name, replace, status, reason] of [
  ['a wrong shared secret', [['s3cret-current', 's3cret-currenT']], 401, /SharedSecret is wrong/],
  ['no shared secret', [['<SharedSecret>s3cret-current</SharedSecret>', '']], 401, /no SharedSecret/],
  ['an unknown Sender identity', [['<Identity>AN01000000001</Identity>', '<Identity>AN01000000042</Identity>']], 401, /not one we know/],
  ['another network\'s valid credential speaking for our network\'s supplier', [['<Identity>AN01000000001</Identity><SharedSecret>s3cret-current', '<Identity>AN09000000009</Identity><SharedSecret>other']], 403, /may not send for DUNS:123456789/],
  ['a From identity the network may not speak for', [['<Identity>123456789</Identity>', '<Identity>555555555</Identity>']], 403, /may not send for/],
  ['a To identity that is not us', [['<Identity>AN02000000002</Identity>', '<Identity>AN02000000003</Identity>']], 403, /not to us/],
] as Array<[string, Array<[string, string]>, number, RegExp]>) {
  test(`${name} is refused with ${status}, nothing stored, one audit row`, async () => {
    const body = doc(invoice, replace);
    const res = await post(body);
    assert.equal(res.status, status, res.text);
    assert.equal(statusOf(res.text), String(status));
    assert.match(res.text, reason);
    assert.deepEqual(await documentsWithPayload(payloadOf(body)), []);
    const audit = await db.query('select status, reason from cxml_refusals where payload_id = $1', [payloadOf(body)]);
    assert.equal(audit.rows.length, 1);
    assert.doesNotMatch(JSON.stringify(audit.rows), /s3cret/);
  });
}

test('the same payloadID with the same body, sent five times at once, is stored once and answered with identical bytes', async () => {
  const body = doc(asn);
  const answers = await Promise.all(Array.from({ length: 5 }, () => post(body)));
  for (const a of answers) {
    assert.equal(a.status, 200, a.text);
    assert.deepEqual(a.bytes, answers[0]!.bytes);
  }
  const later = await post(body);
  assert.deepEqual(later.bytes, answers[0]!.bytes);
  assert.equal((await documentsWithPayload(payloadOf(body))).length, 1);
});

test('the same payloadID with a different body gets 409 and is not stored', async () => {
  const body = doc(asn);
  assert.equal((await post(body)).status, 200);
  const changed = body.replace('quantity="2" lineNumber="2"', 'quantity="3" lineNumber="2"');
  const res = await post(changed);
  assert.equal(res.status, 409, res.text);
  assert.match(res.text, /already received with a different body/);
  assert.equal((await documentsWithPayload(payloadOf(body))).length, 1);
});

test('a document whose content cannot be taken gets 406 with the XML path, stored quarantined and not processed', async () => {
  const body = doc(invoice, [['invoiceDate="2026-03-10T09:00:00-05:00"', 'invoiceDate="soon"']]);
  const res = await post(body);
  assert.equal(res.status, 406, res.text);
  assert.match(res.text, /InvoiceDetailRequestHeader\/@invoiceDate: &quot;soon&quot; is not a date/);
  const [stored] = await documentsWithPayload(payloadOf(body));
  assert.equal(stored?.state, 'input_quarantined');
  const jobs = await db.query(`select count(*)::int as n from pgboss.job where name = 'document.parse' and data->>'documentId' = $1`, [stored!.id]);
  assert.equal(jobs.rows[0].n, 0);
  const events = await db.query(`select state, event, detail from document_events where document_id = $1 order by id`, [stored!.id]);
  assert.deepEqual(events.rows.map((e) => [e.state, e.event]), [['input_quarantined', 'stored'], ['input_quarantined', 'cxml-refused']]);
  assert.equal(events.rows[1].detail.errors[0].path, '/cXML/Request/InvoiceDetailRequest/InvoiceDetailRequestHeader/@invoiceDate');
});

test('a request we do not support gets 450 Not Implemented', async () => {
  const body = doc(asn).replace(/<ShipNoticeRequest>[\s\S]*<\/ShipNoticeRequest>/, '<PunchOutSetupRequest operation="create"/>');
  const res = await post(body);
  assert.equal(res.status, 450, res.text);
  assert.match(res.text, /text="Not Implemented"[^>]*>[^<]*PunchOutSetupRequest is not supported/);
});

test('a ProfileRequest is answered with a ProfileResponse listing what we accept', async () => {
  const body = doc(asn).replace(/<ShipNoticeRequest>[\s\S]*<\/ShipNoticeRequest>/, '<ProfileRequest/>');
  const res = await post(body);
  assert.equal(res.status, 200, res.text);
  for (const r of ['ConfirmationRequest', 'ShipNoticeRequest', 'InvoiceDetailRequest', 'StatusUpdateRequest', 'ProfileRequest']) {
    assert.match(res.text, new RegExp(`<Transaction requestName="${r}"><URL>${gw.baseUrl}/cxml</URL>`));
  }
});

test('a StatusUpdateRequest is stored and recorded on the outbound document it reports on', async () => {
  const out = await db.query(`insert into documents (direction, partner_id, format, doc_type, transport, raw, sha256, size, correlation_id, business_keys, state)
    values ('outbound', 'gpo-test', 'cxml', 'OrderRequest', 'cxml-http', '\\x00', 'x', 1, gen_random_uuid(), '{"payloadId":"po-77@gateway"}', 'output_sent') returning id`);
  const body = doc(asn).replace(/<ShipNoticeRequest>[\s\S]*<\/ShipNoticeRequest>/, '<StatusUpdateRequest><DocumentReference payloadID="po-77@gateway"/><Status code="200" text="OK">Forwarded to supplier</Status></StatusUpdateRequest>');
  const res = await post(body);
  assert.equal(res.status, 200, res.text);
  const events = await db.query(`select detail from document_events where document_id = $1 and event = 'cxml-status-update'`, [out.rows[0].id]);
  assert.equal(events.rows[0]?.detail.statusText, 'OK: Forwarded to supplier');
});

test('a large document is parsed on a worker thread and stored', async () => {
  const item = /<ShipNoticeItem quantity="2" lineNumber="2">[\s\S]*?<\/ShipNoticeItem>/.exec(asn)![0];
  const many = Array.from({ length: 2500 }, (_, i) => item.replace('lineNumber="2"', `lineNumber="${i + 2}"`)).join('\n');
  const body = doc(asn).replace(item, many);
  assert.ok(body.length > 256 * 1024);
  const res = await post(body);
  assert.equal(res.status, 200, res.text);
  assert.equal((await documentsWithPayload(payloadOf(body))).length, 1);
});

test('hostile and malformed bodies are refused with 400 and nothing is stored', async () => {
  const cases = [
    doc(invoice).replace('<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.069/InvoiceDetail.dtd">', '<!DOCTYPE cXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
    doc(invoice).replace('<InvoiceDetailHeaderIndicator/>', '<InvoiceDetailHeaderIndicator>'),
    `${doc(invoice)}<cXML/>`,
    doc(invoice).replace('Receivables', 'Receivables &bogus;'),
    '<?xml version="1.0"?><html/>',
  ];
  for (const body of cases) {
    const res = await post(body);
    assert.equal(res.status, 400, body.slice(0, 200));
    assert.equal(statusOf(res.text), '400');
  }
  const stored = await db.query(`select count(*)::int as n from documents where raw::text like '%bogus%' or raw::text like '%passwd%'`);
  assert.equal(stored.rows[0].n, 0);
});

test('a body over the limit gets 413 and a wrong content type 415, both as cXML Responses', async () => {
  const big = await post(Buffer.alloc(9 * 1024 * 1024, 0x20));
  assert.equal(big.status, 413);
  assert.equal(statusOf(big.text), '413');
  const json = await post(doc(invoice), 'application/json');
  assert.equal(json.status, 415);
  assert.equal(statusOf(json.text), '415');
});

test('a database fault on our side answers 500 so the network retries, and the retry succeeds', async () => {
  const body = doc(asn);
  await db.query('alter table cxml_requests rename to cxml_requests_away');
  try {
    const res = await post(body);
    assert.equal(res.status, 500, res.text);
    assert.equal(statusOf(res.text), '500');
  } finally {
    await db.query('alter table cxml_requests_away rename to cxml_requests');
  }
  assert.equal((await documentsWithPayload(payloadOf(body))).length, 0, 'the transaction rolled back');
  assert.equal((await post(body)).status, 200);
});
