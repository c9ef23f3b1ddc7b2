import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translate856 } from '../translators/x12/transactions/856.ts';
import { assertGolden, assertSchemaValid, fixture, supplierProfile, translateCorpus } from './x12-translate-helpers.ts';

for (const name of ['sopi', 'soi', 'si', 'sotpi', 'nested-lots']) {
  test(`856 ${name}: schema-valid, golden, deterministic`, () => {
    const input = fixture('856', `${name}.edi`);
    const result = translate856(input, supplierProfile());
    assert.deepEqual(result.errors, []);
    assertSchemaValid(result.document!);
    assert.deepEqual(translate856(input, supplierProfile()), result);
    assertGolden(`856/${name}`, result);
  });
}

test('S/O/P/I: one line per PO line summed over packs, lots with expiry, serials, SSCC and weights', () => {
  const notice = translate856(fixture('856', 'sopi.edi')).document!;
  assert.equal(notice.shipmentId, 'ASN-77120');
  assert.deepEqual([notice.shipDate, notice.estimatedDeliveryDate], ['2026-03-03', '2026-03-05']);
  assert.deepEqual(notice.carrier, { code: 'UPSN', name: 'UPS Ground', method: 'M', trackingNumbers: ['BOL-550187', '1Z999AA10123456784'] });
  const [order] = notice.orders;
  assert.equal(order?.poNumber, 'PO-20417');
  const syringes = order!.lines.find((l) => l.lineNumber === '1')!;
  assert.equal(syringes.quantityShipped, '12');
  assert.deepEqual(syringes.lots, [{ lotNumber: '4A1127', expirationDate: '2029-01-31', quantity: '8' }, { lotNumber: '4A1128', expirationDate: '2029-02-28', quantity: '4' }]);
  const sutures = order!.lines.find((l) => l.lineNumber === '3')!;
  assert.deepEqual(sutures.lots, [{ lotNumber: 'SUT2611', expirationDate: '2028-11-30', quantity: '6' }]);
  assert.equal(sutures.itemIds.hibcc, '+H7540J303H1L');
  assert.deepEqual(order!.lines.find((l) => l.lineNumber === '5')!.serialNumbers, ['SN-000731', 'SN-000732']);
  assert.deepEqual(notice.packages.map((p) => [p.sscc, p.weight, p.contents.length]), [['003826500000012342', '9.4', 2], ['003826500000012359', '9.2', 2]]);
});

test('S/O/T/P/I: packs inside a tare name it as parent; the same line in two packs is summed', () => {
  const result = translate856(fixture('856', 'sotpi.edi'));
  const notice = result.document!;
  assert.equal(notice.orders[0]?.lines.find((l) => l.lineNumber === '1')?.quantityShipped, '40');
  assert.deepEqual(notice.packages.map((p) => [p.level, p.parent]), [['tare', undefined], ['pack', '003826500000020019'], ['pack', '003826500000020019'], ['pack', '003826500000020019']]);
  assert.deepEqual(notice.packages[2]?.weight, '11.2');
  assert.deepEqual(result.warnings.map((w) => [w.code, w.segment, w.position]), [['GTIN_CHECK_DIGIT', 'LIN', 26]]);
});

test('S/I with the PRF under the item, BSN 05 is a change; S/O/I with two orders and the PO line in LIN PL', () => {
  const si = translate856(fixture('856', 'si.edi')).document!;
  assert.equal(si.purpose, 'change');
  assert.deepEqual(si.orders.map((o) => [o.poNumber, o.lines.length]), [['PO-20440', 2]]);
  assert.equal(si.orders[0]?.lines[1]?.itemIds.gtin, '05038265000010');
  const soi = translate856(fixture('856', 'soi.edi')).document!;
  assert.deepEqual(soi.orders.map((o) => [o.poNumber, o.lines.map((l) => l.lineNumber)]), [['PO-20417', ['2']], ['PO-20432', ['1']]]);
  assert.deepEqual(soi.packages, []);
});

test('items nested under an item give their lots and quantities to it', () => {
  const line = translate856(fixture('856', 'nested-lots.edi')).document!.orders[0]!.lines[0]!;
  assert.equal(line.quantityShipped, '30');
  assert.deepEqual(line.lots, [{ lotNumber: 'L2207A', expirationDate: '2027-06-30', quantity: '20' }, { lotNumber: 'L2207B', expirationDate: '2027-07-31', quantity: '10' }]);
});

test('a broken hierarchy is an error with the HL position and no document', () => {
  const result = translate856(fixture('856', 'broken.edi'));
  assert.equal(result.document, undefined);
  assert.deepEqual(result.errors.map((e) => [e.segment, e.position, e.code]), [['HL', 7, '7']]);
  assert.match(result.errors[0]!.message, /HL02 "9"/);
});

test('hook lot-in-ref-bt reads REF*BT as the lot for the suppliers that send it there', () => {
  const input = fixture('856', 'ref-bt.edi');
  assert.deepEqual(translate856(input).document!.orders[0]!.lines[0]!.lots, []);
  const hooked = translate856(input, supplierProfile({}, { hooks: ['lot-in-ref-bt'] }));
  assert.deepEqual(hooked.document!.orders[0]!.lines[0]!.lots, [{ lotNumber: 'B55310', expirationDate: '2028-01-31', quantity: '12' }]);
});

test('every 856 of the corpus translates without throwing into schema-valid ship notices', (t) => {
  const documents = translateCorpus('856', (input) => translate856(input));
  if (documents === undefined) return t.skip('corpus not present (../shared/corpus)');
  assert.ok(documents >= 15, `${documents} ship notices`);
});
