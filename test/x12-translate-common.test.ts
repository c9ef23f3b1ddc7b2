import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDecimal, compareDecimal, impliedDecimal, minimalDecimal, multiplyDecimal, normalizeDecimal, roundDecimal, subtractDecimal } from '../translators/common/decimal.ts';
import { x12Date } from '../translators/common/dates.ts';
import { isValidGtin, toGtin14 } from '../translators/common/gtin.ts';
import { itemIdsFromQualified, qualifiedFromItemIds } from '../translators/common/item-ids.ts';
import { uomFromPartner, uomToPartner } from '../translators/common/uom.ts';
import { TranslationError } from '../translators/errors.ts';
import { supplierProfile } from './x12-translate-helpers.ts';

test('decimal arithmetic is exact on strings', () => {
  assert.equal(addDecimal('0.1', '0.2'), '0.3');
  assert.equal(subtractDecimal('10', '10.01'), '-0.01');
  assert.equal(multiplyDecimal('6', '96.333'), '577.998');
  assert.equal(compareDecimal('1.50', '1.5'), 0);
  assert.equal(compareDecimal('-2', '1'), -1);
  assert.equal(normalizeDecimal('+007.50'), '7.50');
  assert.equal(normalizeDecimal('.5'), '0.5');
  assert.equal(minimalDecimal('14.50'), '14.5');
  assert.equal(minimalDecimal('100'), '100');
  assert.throws(() => addDecimal('1e5', '1'), TranslationError);
});

test('rounding is half away from zero to two places', () => {
  assert.equal(roundDecimal('2.345'), '2.35');
  assert.equal(roundDecimal('2.344'), '2.34');
  assert.equal(roundDecimal('-2.345'), '-2.35');
  assert.equal(roundDecimal('7'), '7.00');
  assert.equal(roundDecimal('0.005'), '0.01');
});

test('implied decimals (N2) become decimal strings', () => {
  assert.equal(impliedDecimal('842', 2), '8.42');
  assert.equal(impliedDecimal('5', 2), '0.05');
  assert.equal(impliedDecimal('-1250', 2), '-12.50');
  assert.equal(impliedDecimal('12.5', 2), undefined);
});

test('X12 dates: CCYYMMDD, YYMMDD with a century window, and impossible dates refused', () => {
  assert.equal(x12Date('20260302'), '2026-03-02');
  assert.equal(x12Date('260302'), '2026-03-02');
  assert.equal(x12Date('991231'), '1999-12-31');
  assert.equal(x12Date('20240229'), '2024-02-29');
  assert.equal(x12Date('20250229'), undefined);
  assert.equal(x12Date('2026-03-02'), undefined);
  assert.equal(x12Date('20261301'), undefined);
});

test('GTIN check digits for GTIN-8, UPC-12, EAN-13 and GTIN-14', () => {
  assert.ok(isValidGtin('96385074'));
  assert.ok(isValidGtin('003638240107'));
  assert.ok(isValidGtin('5038265000010'));
  assert.ok(isValidGtin('10382650000126'));
  assert.ok(!isValidGtin('10382650000127'));
  assert.ok(!isValidGtin('1038265000012'));
  assert.equal(toGtin14('003638240107'), '00003638240107');
});

test('item id precedence: the better qualifier wins whatever the order; UP and EN also fill gtin', () => {
  const { itemIds, problems } = itemIdsFromQualified([
    { qualifier: 'VC', value: 'CAT-1' }, { qualifier: 'UP', value: '003638240107' },
    { qualifier: 'VN', value: 'BD-302995' }, { qualifier: 'UK', value: '10382650000126' }, { qualifier: 'CB', value: 'X1' },
  ]);
  assert.deepEqual(itemIds, { vendorPart: 'BD-302995', upc: '003638240107', gtin: '10382650000126', 'x12:CB': 'X1' });
  assert.deepEqual(problems, []);
  const upcOnly = itemIdsFromQualified([{ qualifier: 'UP', value: '003638240107' }]).itemIds;
  assert.equal(upcOnly.gtin, '00003638240107');
});

test('a bad GTIN check digit is reported and a non-numeric one never becomes gtin', () => {
  const bad = itemIdsFromQualified([{ qualifier: 'UK', value: '10382650000127' }]);
  assert.equal(bad.problems[0]?.code, 'GTIN_CHECK_DIGIT');
  const junk = itemIdsFromQualified([{ qualifier: 'UK', value: 'ABC' }]);
  assert.equal(junk.problems[0]?.code, 'GTIN_FORMAT');
  assert.equal(junk.itemIds.gtin, undefined);
});

test('outbound ids follow the profile qualifier order and skip absent ones', () => {
  const ids = { vendorPart: 'BD-302995', gtin: '10382650000126', ndc: '00409488820', buyerPart: 'EXH-77' };
  assert.deepEqual(qualifiedFromItemIds(ids, ['UK', 'VN', 'HI', 'N4']).map((q) => q.qualifier), ['UK', 'VN', 'N4']);
  assert.deepEqual(qualifiedFromItemIds(ids, ['BP']), [{ qualifier: 'BP', value: 'EXH-77' }]);
});

test('units of measure map ours → theirs outbound and back inbound', () => {
  const profile = supplierProfile({ unitsOfMeasure: { CA: 'CS', EA: 'EA' } });
  assert.equal(uomToPartner('CA', profile), 'CS');
  assert.equal(uomFromPartner('CS', profile), 'CA');
  assert.equal(uomFromPartner('BX', profile), 'BX');
  assert.equal(uomToPartner('BX'), 'BX');
});
