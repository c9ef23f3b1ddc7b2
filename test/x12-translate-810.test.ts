import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translate810 } from '../translators/x12/transactions/810.ts';
import { assertGolden, assertSchemaValid, fixture, supplierProfile, translateCorpus } from './x12-translate-helpers.ts';

test('810: lines, header and line allowances/charges, taxes, TDS in cents that adds up', () => {
  const result = translate810(fixture('810', 'invoice.edi'), supplierProfile());
  const invoice = result.document!;
  assert.deepEqual(result.warnings, []);
  assert.equal(invoice.totalAmount, '1757.62');
  assert.equal(invoice.shipmentId, 'ASN-77120');
  assert.equal(invoice.remitTo?.ids[0]?.value, 'MSS-REMIT');
  assert.deepEqual(invoice.paymentTerms, { discountPercent: '2', discountDays: '10', netDays: '30', description: '2% 10 NET 30' });
  assert.deepEqual(invoice.lines.map((l) => l.amount), ['171.00', '962.50', '578.00']);
  assert.equal(invoice.lines[2]?.poLineNumber, '3');
  assert.deepEqual(invoice.allowancesCharges, [
    { kind: 'allowance', code: 'C310', description: 'Promotional allowance', amount: '25.00', lineNumber: '2' },
    { kind: 'charge', code: 'D240', description: 'Freight', amount: '18.50' },
  ]);
  assert.deepEqual(invoice.taxes, [{ type: 'ST', amount: '12.5', percent: '6.5', lineNumber: '3' }, { type: 'ST', amount: '40.12', percent: '6.5' }]);
  assertSchemaValid(invoice);
  assertGolden('810/invoice', result);
});

test('810 whose TDS does not add up is translated with a warning at the TDS; a bad GTIN is warned too', () => {
  const result = translate810(fixture('810', 'mismatch.edi'));
  assert.equal(result.document?.totalAmount, '81.50');
  assert.deepEqual(result.warnings.map((w) => [w.code, w.segment, w.position, w.element]), [
    ['GTIN_CHECK_DIGIT', 'IT1', 4, 9],
    ['TOTAL_MISMATCH', 'TDS', 5, 1],
  ]);
  assert.match(result.warnings[1]!.message, /81\.50 differs .* 81\.00/);
  assertGolden('810/mismatch', result);
});

test('810 credit memo (5010, BIG07 CR)', () => {
  const result = translate810(fixture('810', 'credit.edi'));
  assert.equal(result.document?.purpose, 'credit-memo');
  assert.equal(result.document?.totalAmount, '28.50');
  assertSchemaValid(result.document!);
  assertGolden('810/credit', result);
});

test('810 with an unreadable TDS or invoice date is rejected with positions', () => {
  const input = fixture('810', 'credit.edi');
  const segments = input.segments.map((s) => (s.id === 'TDS' ? { ...s, elements: ['TDS', '28.50'] } : s.id === 'BIG' ? { ...s, elements: ['BIG', '20260231', 'CM-4410'] } : s));
  const result = translate810({ ...input, segments });
  assert.equal(result.document, undefined);
  assert.deepEqual(result.errors.map((e) => [e.segment, e.position, e.element, e.code]), [['BIG', 2, 1, '8'], ['TDS', 6, 1, '6']]);
});

test('every 810 of the corpus translates without throwing into schema-valid invoices', (t) => {
  const documents = translateCorpus('810', (input) => translate810(input));
  if (documents === undefined) return t.skip('corpus not present (../shared/corpus)');
  assert.ok(documents >= 18, `${documents} invoices`);
});
