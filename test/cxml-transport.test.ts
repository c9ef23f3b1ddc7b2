// Outbound OrderRequest over HTTPS to a test network endpoint: the secret added on the wire, the
// Response returned as the acknowledgement of receipt, retries only for 5xx and network errors with
// the same bytes, 4xx refused for good.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { cxmlHttpTransport } from '../src/transports/cxml-http.ts';
import { GatewayError } from '../src/errors.ts';
import { renderOrderRequest, renderResponse, translateCxml } from '../translators/cxml/index.ts';
import type { FunctionalAck, Order } from '../translators/types.ts';
import type { PartnerProfile } from '../translators/profile.ts';

const dir = mkdtempSync(join(tmpdir(), 'cxml-tls-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
const cert = readFileSync(join(dir, 'cert.pem'));

/** The network's answers, consumed one per request; every request body is kept. */
const script: Array<{ status: number; code: number }> = [];
const received: string[] = [];
const server = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push(Buffer.concat(chunks).toString());
    const next = script.shift() ?? { status: 200, code: 200 };
    res.writeHead(next.status, { 'content-type': 'text/xml' });
    res.end(renderResponse({ code: next.code, payloadId: `resp-${received.length}@network`, timestamp: '2026-03-02T14:00:01-05:00' }));
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
after(() => server.close());
const port = (server.address() as AddressInfo).port;

process.env.CXML_TRANSPORT_TEST_SECRET = 'our-outbound-secret';
const profile: PartnerProfile = {
  id: 'gpo-network', name: 'GPO', enabled: true, role: 'network', formats: ['cxml'],
  cxml: {
    credentials: [{ domain: 'NetworkID', identity: 'AN01000000001' }], ourIdentity: { domain: 'NetworkID', identity: 'AN02000000002' },
    orderUrl: `https://127.0.0.1:${port}/cxml/orders`, outboundSharedSecretEnv: 'CXML_TRANSPORT_TEST_SECRET', timeoutMs: 2000,
  },
};
const order: Order = {
  type: 'order', poNumber: 'PO-1', orderDate: '2026-03-02', currency: 'USD', billTo: { name: 'Example Health', ids: [] },
  lines: [{ lineNumber: '1', quantity: '2', uom: 'EA', unitPrice: '3.50', itemIds: { vendorPart: 'X-1' } }],
};
const bytes = Buffer.from(renderOrderRequest(order, { profile, payloadId: 'po-1-v1@gateway', timestamp: '2026-03-02T14:00:00-05:00' }));
const file = { documentId: '1', name: 'po-1.xml', bytes };
const transport = cxmlHttpTransport({ ca: cert, baseDelayMs: 1 });

test('round trip: the OrderRequest reaches the network with our secret, and its Response comes back as the receipt', async () => {
  received.length = 0;
  const result = await transport.deliver(profile, file);
  assert.equal(received.length, 1);
  const sent = translateCxml(received[0]!);
  assert.equal((sent.documents[0] as Order).poNumber, 'PO-1');
  assert.match(received[0]!, /<SharedSecret>our-outbound-secret<\/SharedSecret>/);
  assert.doesNotMatch(bytes.toString(), /SharedSecret/, 'the stored bytes never hold the secret');
  const ack = translateCxml(result.response!).documents[0] as FunctionalAck;
  assert.deepEqual([ack.ackFormat, ack.groupStatus, ack.statusCode], ['cxml-response', 'accepted', '200']);
  assert.equal(result.remoteRef, 'resp-1@network');
});

test('5xx answers are retried with the same payloadID until the network takes it', async () => {
  received.length = 0;
  script.push({ status: 503, code: 500 }, { status: 200, code: 560 });
  const result = await transport.deliver(profile, file);
  assert.equal(received.length, 3);
  assert.equal(new Set(received).size, 1, 'the same bytes every time');
  assert.match(received[0]!, /payloadID="po-1-v1@gateway"/);
  assert.ok(result.response);
});

test('a 5xx that does not go away is thrown as retryable for the delivery job', async () => {
  script.push({ status: 500, code: 500 }, { status: 500, code: 500 }, { status: 500, code: 500 });
  await assert.rejects(transport.deliver(profile, file), (err: unknown) => err instanceof GatewayError && err.retryable && err.code === 'cxml-remote-5xx');
});

test('a cXML 4xx (even inside HTTP 200) is a refusal: not retried, not retryable', async () => {
  received.length = 0;
  script.push({ status: 200, code: 406 });
  await assert.rejects(transport.deliver(profile, file), (err: unknown) => err instanceof GatewayError && !err.retryable && /cXML 406/.test(err.message));
  assert.equal(received.length, 1);
});

test('network errors are retryable: nothing listening, and a certificate we do not trust', async () => {
  const closed = { ...profile, cxml: { ...profile.cxml!, orderUrl: 'https://127.0.0.1:1/cxml' } };
  await assert.rejects(transport.deliver(closed, file), (err: unknown) => err instanceof GatewayError && err.retryable && err.code === 'cxml-network');
  await assert.rejects(cxmlHttpTransport({ baseDelayMs: 1, attempts: 1 }).deliver(profile, file), (err: unknown) => err instanceof GatewayError && err.code === 'cxml-network');
});
