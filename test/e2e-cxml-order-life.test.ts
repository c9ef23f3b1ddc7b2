/**
 * The whole life of one purchase order through cXML, against the Odoo 19 simulator: the PO goes out as
 * an OrderRequest to the network (whose Response is its acknowledgement of receipt), and the network
 * posts ConfirmationRequest, ShipNoticeRequest and InvoiceDetailRequest to POST /cxml. Replays and a
 * second invoice with the same number never create a second bill.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway, waitFor, type TestGateway } from './helpers/gateway.ts';
import { startScenario } from './odoo-sim/scenario.ts';
import { queueExport } from '../src/pipeline/poll-orders.ts';
import { findDocuments } from '../src/store/documents.ts';
import { listExceptions } from '../src/store/exceptions.ts';
import { cxmlHttpComponent } from '../src/transports/cxml-http-component.ts';
import { renderResponse, translateCxml } from '../translators/cxml/index.ts';
import type { Order } from '../translators/types.ts';

const partnersDir = mkdtempSync(join(tmpdir(), 'e2e-cxml-partners-'));
process.env.E2E_NET_SECRET = 's3cret';
process.env.E2E_NET_OUT_SECRET = 'our-secret';

const header = (payloadId: string) => `<?xml version="1.0" encoding="UTF-8"?>
<cXML payloadID="${payloadId}" timestamp="2026-11-23T09:00:00-05:00" version="1.2.069">
  <Header>
    <From><Credential domain="DUNS"><Identity>123456789</Identity></Credential></From>
    <To><Credential domain="NetworkID"><Identity>AN02000000002</Identity></Credential></To>
    <Sender><Credential domain="NetworkID"><Identity>AN01000000001</Identity><SharedSecret>s3cret</SharedSecret></Credential><UserAgent>Supplier 1.0</UserAgent></Sender>
  </Header>
  <Request deploymentMode="production">`;
const footer = '</Request></cXML>';

/** A confirmation of `po`; `orderPayloadId` is the OrderRequest it answers (one the gateway never sent: the current revision). */
function confirmation(po: string, lines: string[], orderPayloadId = 'x@y', payloadId = 'conf-1@supplier.example'): string {
  return `${header(payloadId)}<ConfirmationRequest>
    <ConfirmationHeader type="detail" noticeDate="2026-11-23T09:00:00-05:00" confirmID="SO-7701" operation="new"/>
    <OrderReference orderID="${po}"><DocumentReference payloadID="${orderPayloadId}"/></OrderReference>
    ${lines.map((l, i) => `<ConfirmationItem lineNumber="${l}" quantity="${i === 0 ? 10 : 5}"><UnitOfMeasure>EA</UnitOfMeasure>
      <ConfirmationStatus type="accept" quantity="${i === 0 ? 10 : 5}" deliveryDate="2026-12-03T00:00:00-05:00"><UnitOfMeasure>EA</UnitOfMeasure></ConfirmationStatus></ConfirmationItem>`).join('')}
  </ConfirmationRequest>${footer}`;
}

function shipNotice(po: string, lines: string[]): string {
  return `${header('asn-1@supplier.example')}<ShipNoticeRequest>
    <ShipNoticeHeader shipmentID="SHP-C-1" operation="new" noticeDate="2026-11-24T09:00:00-05:00" shipmentDate="2026-11-24T08:00:00-05:00" deliveryDate="2026-11-26T12:00:00-05:00"/>
    <ShipControl><CarrierIdentifier domain="SCAC">UPSN</CarrierIdentifier><ShipmentIdentifier>1Z999AA10123456784</ShipmentIdentifier></ShipControl>
    <ShipNoticePortion>
      <OrderReference orderID="${po}"><DocumentReference payloadID="x@y"/></OrderReference>
      <ShipNoticeItem quantity="10" lineNumber="${lines[0]}"><ItemID><SupplierPartID>V-SKU-1001</SupplierPartID></ItemID><UnitOfMeasure>EA</UnitOfMeasure>
        <Batch expirationDate="2028-12-31T00:00:00-05:00" batchQuantity="10"><SupplierBatchID>LOT-C1</SupplierBatchID></Batch></ShipNoticeItem>
      <ShipNoticeItem quantity="5" lineNumber="${lines[1]}"><ItemID><SupplierPartID>V-SKU-2002</SupplierPartID></ItemID><UnitOfMeasure>EA</UnitOfMeasure></ShipNoticeItem>
    </ShipNoticePortion>
  </ShipNoticeRequest>${footer}`;
}

function invoice(payloadId: string, po: string, lines: string[]): string {
  const item = (line: string, n: number, qty: number, price: string, part: string, amount: string) => `<InvoiceDetailItem invoiceLineNumber="${n}" quantity="${qty}">
      <UnitOfMeasure>EA</UnitOfMeasure><UnitPrice><Money currency="USD">${price}</Money></UnitPrice>
      <InvoiceDetailItemReference lineNumber="${line}"><ItemID><SupplierPartID>${part}</SupplierPartID></ItemID></InvoiceDetailItemReference>
      <SubtotalAmount><Money currency="USD">${amount}</Money></SubtotalAmount></InvoiceDetailItem>`;
  return `${header(payloadId)}<InvoiceDetailRequest>
    <InvoiceDetailRequestHeader invoiceID="INV-C-1" purpose="standard" operation="new" invoiceDate="2026-11-25T00:00:00-05:00">
      <InvoiceDetailHeaderIndicator/><InvoiceDetailLineIndicator/></InvoiceDetailRequestHeader>
    <InvoiceDetailOrder>
      <InvoiceDetailOrderInfo><OrderReference orderID="${po}"><DocumentReference payloadID="x@y"/></OrderReference></InvoiceDetailOrderInfo>
      ${item(lines[0]!, 1, 10, '5.00', 'V-SKU-1001', '50.00')}${item(lines[1]!, 2, 5, '12.00', 'V-SKU-2002', '60.00')}
    </InvoiceDetailOrder>
    <InvoiceDetailSummary><SubtotalAmount><Money currency="USD">110.00</Money></SubtotalAmount>
      <Tax><Money currency="USD">0.00</Money><Description xml:lang="en">none</Description></Tax>
      <NetAmount><Money currency="USD">110.00</Money></NetAmount></InvoiceDetailSummary>
  </InvoiceDetailRequest>${footer}`;
}

async function post(gw: TestGateway, body: string): Promise<{ status: number; text: string }> {
  const r = await fetch(`${gw.baseUrl}/cxml`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body });
  return { status: r.status, text: await r.text() };
}

async function appliedAll(gw: TestGateway, docType: string, count = 1): Promise<void> {
  await waitFor(async () => {
    const docs = await findDocuments(gw.ctx.pool, { docType });
    return docs.length >= count && docs.every((d) => d.state.startsWith('input_applied')) || undefined;
  }, `${docType} applied to Odoo`, 30_000);
}

test('the whole order life through cXML against Odoo 19', { timeout: 120_000 }, async () => {
  const s = await startScenario(19);
  after(() => s.sim.close());
  const received: string[] = [];
  const network: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(renderResponse({ code: 200, payloadId: `resp-${received.length}@network.example`, timestamp: '2026-11-23T09:00:00+00:00' }));
    });
  });
  await new Promise<void>((r) => network.listen(0, '127.0.0.1', r));
  after(() => network.close());
  const port = (network.address() as { port: number }).port;
  writeFileSync(join(partnersDir, 'net.yaml'), `id: gpo-net
name: GPO Network
enabled: true
role: network
formats: [cxml]
cxml:
  credentials: [{ domain: NetworkID, identity: AN01000000001, sharedSecretEnv: E2E_NET_SECRET }]
  supplierIdentities: [{ domain: DUNS, identity: "123456789" }]
  ourIdentity: { domain: NetworkID, identity: AN02000000002 }
  orderUrl: http://127.0.0.1:${port}/orders
  outboundSharedSecretEnv: E2E_NET_OUT_SECRET
odoo: { vendorRef: ACME-001, sendOrdersConfirmedFrom: '2026-01-01' }
`);
  const gw = await startTestGateway({
    label: 'e2e_cxml', components: [cxmlHttpComponent()],
    env: { PARTNERS_DIR: partnersDir, ODOO_URL: s.sim.url, ODOO_DB: 'edi_sim', ODOO_USERNAME: 'admin', ODOO_API_KEY: 'sim-api-key' },
  });
  await gw.ready;

  // the PO goes out as an OrderRequest; the network's Response acknowledges its receipt
  await queueExport(gw.ctx, s.poId, 'webhook');
  const [request] = await waitFor(async () => {
    const docs = await findDocuments(gw.ctx.pool, { docType: 'OrderRequest' });
    return docs.length === 1 && docs[0]!.state === 'output_acknowledged' ? docs : undefined;
  }, 'the OrderRequest to be delivered and acknowledged by its Response');
  assert.equal(received.length, 1);
  assert.match(received[0]!, /<SharedSecret>our-secret<\/SharedSecret>/, 'our secret goes on the wire');
  const order = translateCxml(received[0]!).documents[0] as Order;
  assert.equal(order.poNumber, s.poName);
  const lines = order.lines.map((l) => l.lineNumber);
  const responses = await findDocuments(gw.ctx.pool, { parentId: request!.id });
  assert.deepEqual(responses.map((d) => d.docType), ['Response'], 'the Response is kept as a child of the request');

  const ack = await post(gw, confirmation(s.poName, lines));
  assert.equal(ack.status, 200, ack.text);
  await appliedAll(gw, 'order-ack');
  assert.equal((await s.odoo.read('purchase.order', [s.poId], ['partner_ref']))[0]!.partner_ref, 'SO-7701');

  assert.equal((await post(gw, shipNotice(s.poName, lines))).status, 200);
  await appliedAll(gw, 'ship-notice');
  const [receipt] = await s.odoo.search_read('stock.picking', [['purchase_id', '=', s.poId]], ['state']);
  await s.odoo.call('stock.picking', 'button_validate', [receipt!.id], { context: { skip_backorder: true } });

  const first = await post(gw, invoice('inv-1@supplier.example', s.poName, lines));
  assert.equal(first.status, 200, first.text);
  await appliedAll(gw, 'invoice');
  const bills = async () => s.odoo.search_read('account.move', [['move_type', '=', 'in_invoice'], ['ref', '=', 'INV-C-1']], ['state']);
  assert.equal((await bills()).length, 1);

  // the network retries the same request: the same answer, byte for byte, and nothing processed again
  const retried = await post(gw, invoice('inv-1@supplier.example', s.poName, lines));
  assert.equal(retried.text, first.text);
  // the same invoice number under a new payloadID: a duplicate invoice, never a second bill
  assert.equal((await post(gw, invoice('inv-2@supplier.example', s.poName, lines))).status, 200);
  await appliedAll(gw, 'invoice', 2);
  assert.equal((await bills()).length, 1, 'still one bill');
  const open = await listExceptions(gw.ctx.pool, { state: 'open' });
  assert.ok(open.some((e) => e.reasonCode === 'duplicate-invoice'), `a duplicate-invoice exception: ${open.map((e) => e.reasonCode).join(', ')}`);

  // the buyer moves a date: revision 1 goes out as an update; a confirmation naming the first
  // OrderRequest's payloadID, arriving after that, is kept on revision 0 and acknowledges nothing new
  await s.odoo.write('purchase.order.line', [Number(lines[0])], { date_planned: '2026-12-20 10:00:00' });
  await queueExport(gw.ctx, s.poId, 'cursor');
  await waitFor(() => received.length === 2 || undefined, 'revision 1 to reach the network');
  assert.match(received.at(-1)!, /type="update"/);
  const late = await post(gw, confirmation(s.poName, lines, request!.businessKeys.payloadId, 'conf-late@supplier.example'));
  assert.equal(late.status, 200, late.text);
  await appliedAll(gw, 'order-ack', 2);
  const expectations = await gw.ctx.pool.query(`select revision, state, outcome from ack_expectations where kind = 'order' order by id`);
  assert.deepEqual(expectations.rows.map((r) => [r.revision, r.state, r.outcome]), [['0', 'received', 'accepted'], ['1', 'waiting', null]], 'revision 1 still waits for its own');
  assert.equal((await s.odoo.read('purchase.order.line', [Number(lines[0])], ['date_planned']))[0]!.date_planned, '2026-12-20 10:00:00', 'the old confirmation moved no date back');
});
