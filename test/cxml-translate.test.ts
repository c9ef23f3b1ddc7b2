// The pure cXML translators: every corpus file translates or is rejected with its cXML status, our
// fixtures give the canonical documents receiving and AP need, hostile inputs are refused before any
// parsing, and what we render validates against the cXML DTDs with xmllint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { TranslationError } from '../translators/errors.ts';
import type { Invoice, Order, ShipNotice } from '../translators/types.ts';
import type { PartnerProfile } from '../translators/profile.ts';
import { readCxml, renderOrderRequest, renderProfileResponse, renderResponse, translateCxml, withSharedSecret } from '../translators/cxml/index.ts';
import { corpusDir, fixture, xmllintValidate } from './cxml-helpers.ts';

const SCHEMAS = new URL('../schemas/', import.meta.url);
const ajv = new Ajv({ allErrors: true, strict: false });
for (const f of readdirSync(SCHEMAS).filter((n) => n.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(readFileSync(new URL(f, SCHEMAS), 'utf8')));
const schemaOf: Record<string, string> = {
  order: 'order', 'order-ack': 'order-ack', 'ship-notice': 'ship-notice', invoice: 'invoice', 'functional-ack': 'functional-ack',
};
function assertValid(doc: { type: string }): void {
  const validate = ajv.getSchema(`https://edi-gateway.local/schemas/${schemaOf[doc.type]}.schema.json`)!;
  assert.ok(validate(doc), `${doc.type} against its schema: ${JSON.stringify(validate.errors)}`);
}

const profile: PartnerProfile = {
  id: 'gpo-network', name: 'GPO network', enabled: true, role: 'network', formats: ['cxml'],
  cxml: {
    credentials: [{ domain: 'NetworkID', identity: 'AN01000000001' }],
    supplierIdentities: [{ domain: 'DUNS', identity: '123456789' }],
    ourIdentity: { domain: 'NetworkID', identity: 'AN02000000002' },
  },
  unitsOfMeasure: { CA: 'CS' },
};

test('every corpus cXML file translates into schema-valid documents or is rejected with a cXML status', { skip: !corpusDir() && 'corpus not found at ../shared/corpus' }, () => {
  const root = join(corpusDir()!, 'cxml');
  let translated = 0;
  for (const folder of readdirSync(root)) {
    for (const name of readdirSync(join(root, folder))) {
      const file = join(folder, name);
      let result;
      try {
        result = translateCxml(readFileSync(join(root, folder, name)));
      } catch (err) {
        assert.ok(err instanceof TranslationError, `${file}: only TranslationError may come out`);
        assert.equal(err.code, '400', `${file}: unreadable XML is a 400`);
        assert.match(name, /MALFORMED/, `${file} is rejected as unreadable: ${err.message}`);
        continue;
      }
      for (const doc of result.documents) assertValid(doc);
      for (const r of result.rejected) for (const e of r.errors) assert.match(e.code, /^4[0-9]{2}$/, `${file}: ${e.message}`);
      if (folder === 'other' && !/StatusUpdate/.test(name)) assert.equal(result.rejected[0]?.errors[0]?.code, '450', `${file} is not supported`);
      if (/placeholders/.test(name)) assert.match(result.rejected[0]!.errors.map((e) => e.message).join(), /invoice_date/);
      translated += result.documents.length;
    }
  }
  assert.ok(translated >= 20, `translated ${translated} corpus documents`);
});

test('a ShipNoticeRequest gives one line per PO line with quantities summed across packs, lots with expiry, serials and packs', () => {
  const { documents } = translateCxml(fixture('ship-notice-lots.xml'), { profile });
  const notice = documents[0] as ShipNotice;
  assertValid(notice);
  assert.equal(notice.shipmentId, 'SHP-000481');
  assert.equal(notice.shipDate, '2026-03-04');
  assert.deepEqual(notice.carrier, { trackingNumbers: ['1Z999AA10123456784'], code: 'UPSN', name: 'UPS' });
  const [line1, line2] = notice.orders[0]!.lines;
  assert.equal(line1!.quantityShipped, '12');
  assert.equal(line1!.uom, 'CA', 'CS is mapped back to our CA through unitsOfMeasure');
  assert.deepEqual(line1!.itemIds, { vendorPart: 'AB-1002', buyerPart: 'EXH-77', manufacturerPart: '0012345', gtin: '10012345000017' });
  assert.deepEqual(line1!.lots.map((l) => [l.lotNumber, l.expirationDate, l.quantity]), [['LOT-A1', '2028-01-31', '5'], ['LOT-A2', '2028-02-29', '3'], ['LOT-A2', '2028-02-29', '4']]);
  assert.deepEqual(line2!.serialNumbers, ['SN-0001', 'SN-0002']);
  assert.deepEqual(notice.packages.map((p) => [p.sscc, p.parent, p.contents[0]!.quantity]), [['000123456700000017', '000123456700000093', '8'], ['000123456700000024', '000123456700000093', '4']]);
  assert.equal(notice.packages[0]!.weight, '12.5');
});

test('ShipNoticeHeader@operation: update replaces the notice, delete withdraws it; anything else is an error at its path', () => {
  const xml = fixture('ship-notice-lots.xml').toString();
  const withOperation = (op: string) => translateCxml(xml.replace(/operation="new"/, `operation="${op}"`), { profile });
  assert.equal((translateCxml(xml, { profile }).documents[0] as ShipNotice).purpose, 'new');
  assert.equal((withOperation('update').documents[0] as ShipNotice).purpose, 'change');
  assert.equal((withOperation('delete').documents[0] as ShipNotice).purpose, 'cancel');
  const { documents, rejected } = withOperation('constructor');
  assert.equal(documents.length, 0);
  assert.deepEqual(rejected[0]!.errors.map((e) => [e.code, e.path]), [['406', '/cXML/Request/ShipNoticeRequest/ShipNoticeHeader/@operation']]);
});

test('a line-level credit memo keeps negative amounts, line taxes, terms and remit-to, and is marked test', () => {
  const { documents } = translateCxml(fixture('invoice-credit-memo.xml'), { profile });
  const inv = documents[0] as Invoice;
  assertValid(inv);
  assert.equal(inv.purpose, 'credit-memo');
  assert.equal(inv.test, true);
  assert.equal(inv.totalAmount, '-30.21');
  assert.deepEqual(inv.lines[0], { lineNumber: '1', poLineNumber: '1', itemIds: { vendorPart: 'AB-1002' }, quantity: '-2', uom: 'CA', unitPrice: '14.25', amount: '-28.50', description: 'Syringe 10 mL, 100/box (damaged)' });
  assert.deepEqual(inv.taxes, [{ lineNumber: '1', amount: '-1.71', type: 'sales', percent: '6' }]);
  assert.deepEqual(inv.paymentTerms, { discountPercent: '2', discountDays: '10', netDays: '30' });
  assert.equal(inv.remitTo?.ids[0]?.value, 'RT-1');
});

test('values stay exactly as sent: leading zeros, no number coercion, one repeated element still a list', () => {
  const xml = fixture('invoice-credit-memo.xml').toString().replace('<SupplierPartID>AB-1002', '<SupplierPartID>000123').replace('invoiceID="CM-5521"', 'invoiceID="1e5"');
  const inv = translateCxml(xml).documents[0] as Invoice;
  assert.equal(inv.lines[0]!.itemIds.vendorPart, '000123');
  assert.equal(inv.invoiceNumber, '1e5');
  assert.equal(inv.lines.length, 1);
});

test('content problems are reported together with their XML path and status 406', () => {
  const xml = fixture('invoice-credit-memo.xml').toString().replace('invoiceDate="2026-03-10T09:00:00-05:00"', 'invoiceDate="yesterday"').replace('<Money currency="USD">14.25</Money>', '<Money currency="USD">14,25</Money>');
  const { documents, rejected } = translateCxml(xml);
  assert.equal(documents.length, 0);
  assert.deepEqual(rejected[0]!.errors.map((e) => [e.code, e.path]), [
    ['406', '/cXML/Request/InvoiceDetailRequest/InvoiceDetailRequestHeader/@invoiceDate'],
    ['406', '/cXML/Request/InvoiceDetailRequest/InvoiceDetailOrder[1]/InvoiceDetailItem[1]/UnitPrice/Money'],
  ]);
});

const ENVELOPE = (inner: string, prolog = '<?xml version="1.0" encoding="UTF-8"?>\n'): string =>
  `${prolog}<cXML payloadID="p1" timestamp="2026-03-04T09:15:00-05:00"><Header><From><Credential domain="D"><Identity>A</Identity></Credential></From><To><Credential domain="D"><Identity>B</Identity></Credential></To><Sender><Credential domain="D"><Identity>A</Identity><SharedSecret>x</SharedSecret></Credential><UserAgent>u</UserAgent></Sender></Header><Request>${inner}</Request></cXML>`;

const HOSTILE: Array<[string, string | Buffer, RegExp]> = [
  ['internal DTD subset', ENVELOPE('<ProfileRequest/>', '<?xml version="1.0"?>\n<!DOCTYPE cXML [<!ELEMENT cXML ANY>]>\n'), /internal subset/],
  ['billion laughs', '<?xml version="1.0"?><!DOCTYPE cXML [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><cXML>&b;</cXML>', /internal subset/],
  ['external entity', '<?xml version="1.0"?><!DOCTYPE cXML SYSTEM "x.dtd"><!ENTITY e SYSTEM "file:///etc/passwd"><cXML>&e;</cXML>', /markup declaration/],
  ['undeclared entity reference', ENVELOPE('<ProfileRequest>&xxe;</ProfileRequest>'), /entity reference &xxe;/],
  ['bare ampersand', ENVELOPE('<ProfileRequest>a & b</ProfileRequest>'), /bare "&"/],
  ['repeated DOCTYPE', ENVELOPE('<ProfileRequest/>', '<!DOCTYPE cXML SYSTEM "a.dtd">\n<!DOCTYPE cXML SYSTEM "b.dtd">\n'), /more than one DOCTYPE/],
  ['DOCTYPE for another root', ENVELOPE('<ProfileRequest/>', '<!DOCTYPE html SYSTEM "a.dtd">\n'), /not cXML/],
  ['deep nesting', ENVELOPE(`${'<a>'.repeat(100)}${'</a>'.repeat(100)}`), /nested deeper/],
  ['NUL character', ENVELOPE('<ProfileRequest>\u0001</ProfileRequest>'), /invalid XML character U\+0001/],
  ['character reference to an invalid character', ENVELOPE('<ProfileRequest>&#0;</ProfileRequest>'), /not an XML character/],
  ['unclosed element the parser would tolerate', ENVELOPE('<ProfileRequest><a></ProfileRequest>'), /malformed XML/],
  ['two roots', `${ENVELOPE('<ProfileRequest/>')}<cXML payloadID="p2" timestamp="t"/>`, /second root/],
  ['root other than cXML', '<?xml version="1.0"?><Invoice/>', /root element is <Invoice>/],
  ['declared UTF-8, sent Latin-1', Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-8"?><cXML payloadID="p" timestamp="t"><Response><Status code="200" text="caf'), Buffer.from([0xe9]), Buffer.from('"/></Response></cXML>')]), /not valid UTF-8/],
  ['declared ISO-8859-1 after a UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><cXML/>')]), /byte-order mark/],
  ['UTF-16', Buffer.from('\ufeff<cXML/>', 'utf16le'), /UTF-16/],
  ['unsupported encoding', '<?xml version="1.0" encoding="EBCDIC-US"?><cXML/>', /not accepted/],
  ['empty body', Buffer.alloc(0), /empty/],
  ['text after the root', `${ENVELOPE('<ProfileRequest/>')}trailing`, /outside the root/],
];

for (const [name, input, message] of HOSTILE) {
  test(`hostile input is refused with 400 before parsing: ${name}`, () => {
    assert.throws(() => readCxml(typeof input === 'string' ? Buffer.from(input) : input), (err: unknown) => {
      assert.ok(err instanceof TranslationError);
      assert.equal(err.code, '400');
      assert.match(err.message, message);
      return true;
    });
  });
}

test('deploymentMode="test" marks the canonical document as a test document', () => {
  const doc = readCxml(fixture('invoice-credit-memo.xml'));
  assert.equal(doc.deploymentMode, 'test');
  assert.equal(doc.sender[0]!.sharedSecret, 's3cret-current');
  assert.equal(doc.dtd, 'http://xml.cxml.org/schemas/cXML/1.2.069/InvoiceDetail.dtd');
});

test('the reader keeps values exactly as sent: every element an array, text-only elements as strings, text pieces joined', () => {
  const doc = readCxml(Buffer.from(`<cXML payloadID="p1" timestamp="2026-03-10T09:00:00-05:00"><Header/><Request><X a="007">  <Y/><Y> 0012 </Y><Y b="2"/><Y b="3">u</Y>mid<![CDATA[c&d]]><!-- note --><Z>&amp;&#65;&lt;</Z> tail </X></Request></cXML>`));
  assert.equal(doc.name, 'X');
  assert.deepEqual(doc.body, {
    Y: ['', ' 0012 ', { '@b': '2' }, { '@b': '3', '#text': 'u' }],
    Z: ['&A<'],
    '#text': '  midc&d tail ',
    '@a': '007',
  });
});

const order: Order = {
  type: 'order', poNumber: 'PO-20417', revision: '2', purpose: 'change', orderDate: '2026-03-02', currency: 'USD', contractNumber: 'GPO-118',
  requestedDeliveryDate: '2026-03-05',
  buyer: { name: 'Example Health', ids: [{ qualifier: '92', value: 'EXH' }] },
  shipTo: { name: 'Example Hospital & Clinic', ids: [{ qualifier: '92', value: 'EXH01' }], address: { lines: ['1 Main St'], city: 'Dayton', state: 'OH', postalCode: '45402', country: 'US' } },
  paymentTerms: { netDays: '30' },
  lines: [
    { lineNumber: '1', quantity: '12', uom: 'CA', unitPrice: '14.25', itemIds: { vendorPart: 'AB-1002', gtin: '10012345000017', buyerPart: 'EXH-77' }, description: 'Syringe 10 mL, 100/box' },
    { lineNumber: '2', quantity: '3', uom: 'EA', unitPrice: '0.10', itemIds: { vendorPart: 'GZ-4', manufacturerPart: 'M<4>' } },
  ],
};
const renderOptions = { profile, payloadId: 'po-20417-v2@gateway.example', timestamp: '2026-03-02T14:00:00-05:00' };

test('an OrderRequest renders valid against the cXML DTD and reads back to the same order', (t) => {
  const xml = renderOrderRequest(order, renderOptions);
  const lint = xmllintValidate(xml, 'cXML.dtd');
  if (lint === undefined) t.diagnostic('xmllint not installed: DTD validation skipped (apt-get install -y libxml2-utils)');
  else assert.equal(lint, '', lint);
  assert.match(xml, /type="update" orderVersion="2"/);
  assert.match(xml, /<Extrinsic name="ContractNumber">GPO-118<\/Extrinsic><\/OrderRequestHeader>/);
  assert.match(xml, /<UnitOfMeasure>CS<\/UnitOfMeasure>/);
  assert.doesNotMatch(xml, /SharedSecret/);
  const back = translateCxml(xml, { profile }).documents[0] as Order;
  assertValid(back);
  assert.deepEqual(
    { po: back.poNumber, rev: back.revision, purpose: back.purpose, date: back.orderDate, contract: back.contractNumber, lines: back.lines.map((l) => [l.lineNumber, l.quantity, l.uom, l.unitPrice, l.itemIds]) },
    {
      po: 'PO-20417', rev: '2', purpose: 'change', date: '2026-03-02', contract: 'GPO-118',
      lines: [['1', '12', 'CA', '14.25', { vendorPart: 'AB-1002', buyerPart: 'EXH-77', gtin: '10012345000017' }], ['2', '3', 'EA', '0.10', { vendorPart: 'GZ-4', manufacturerPart: 'M<4>' }]],
    },
  );
  assert.equal(back.shipTo?.name, 'Example Hospital & Clinic');
});

test('a cancel renders type="delete"; a network that expects MasterAgreementIDInfo gets the contract on every ItemOut', () => {
  const xml = renderOrderRequest({ ...order, purpose: 'cancel' }, { ...renderOptions, profile: { ...profile, cxml: { ...profile.cxml!, contractIn: 'masterAgreementIDInfo' } } });
  assert.match(xml, /type="delete"/);
  assert.equal(xml.match(/<MasterAgreementIDInfo agreementID="GPO-118"\/>/g)?.length, 2);
  assert.doesNotMatch(xml, /ContractNumber/);
  const lint = xmllintValidate(xml, 'cXML.dtd');
  if (lint !== undefined) assert.equal(lint, '', lint);
});

test('rendering is deterministic (same order, same payloadID, same bytes) and the secret is added only on the wire', () => {
  const a = renderOrderRequest(order, renderOptions);
  assert.equal(renderOrderRequest(order, renderOptions), a);
  const wire = withSharedSecret(a, 'p&ss');
  assert.match(wire, /<Sender><Credential domain="NetworkID"><Identity>AN02000000002<\/Identity><SharedSecret>p&amp;ss<\/SharedSecret><\/Credential>/);
  assert.equal(readCxml(wire).sender[0]!.sharedSecret, 'p&ss');
});

test('an order the OrderRequest cannot carry is refused with every reason', () => {
  assert.throws(() => renderOrderRequest({ ...order, lines: [{ lineNumber: '1', quantity: '1', uom: 'EA', itemIds: {} }] }, renderOptions), /no vendorPart.*no unitPrice/);
});

test('our Response and ProfileResponse validate against the cXML DTD and read back as a FunctionalAck', () => {
  const ok = renderResponse({ code: 200, payloadId: 'r1@gw', timestamp: '2026-03-02T14:00:00-05:00', inner: renderProfileResponse({ url: 'https://gw.example/cxml', effectiveDate: '2026-03-02T14:00:00-05:00' }) });
  const bad = renderResponse({ code: 406, detail: 'invoiceDate "yesterday" is not a date', payloadId: 'r2@gw', timestamp: '2026-03-02T14:00:00-05:00' });
  for (const xml of [ok, bad]) {
    const lint = xmllintValidate(xml, 'cXML.dtd');
    if (lint !== undefined) assert.equal(lint, '', lint);
  }
  assert.match(ok, /<Transaction requestName="InvoiceDetailRequest"><URL>https:\/\/gw.example\/cxml<\/URL><\/Transaction>/);
  const ack = translateCxml(bad).documents[0]!;
  assertValid(ack);
  assert.deepEqual({ ...ack }, { type: 'functional-ack', ackFormat: 'cxml-response', groupStatus: 'rejected', statusCode: '406', statusText: 'Not Acceptable: invoiceDate "yesterday" is not a date', transactions: [], errors: ['Not Acceptable: invoiceDate "yesterday" is not a date'] });
});

test('the fixtures themselves are valid cXML (so the translator is tested on conformant input)', (t) => {
  for (const [name, dtd] of [['ship-notice-lots.xml', 'Fulfill.dtd'], ['invoice-credit-memo.xml', 'InvoiceDetail.dtd']] as const) {
    const lint = xmllintValidate(fixture(name).toString(), dtd);
    if (lint === undefined) return t.skip('xmllint not installed');
    assert.equal(lint, '', `${name}: ${lint}`);
  }
  assert.ok(existsSync(new URL('./fixtures/cxml/ship-notice-lots.xml', import.meta.url)));
});
