import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Order } from '../translators/types.ts';
import { TranslationError } from '../translators/errors.ts';
import { render850 } from '../translators/x12/render850.ts';
import { translate850 } from '../translators/x12/transactions/850.ts';
import { validateTransaction } from '../translators/x12/validator.ts';
import { SPEC_850 } from '../translators/x12/spec/850.ts';
import { assertGolden, assertSchemaValid, fixture, supplierProfile, transactions, translateCorpus } from './x12-translate-helpers.ts';

const ours = { isaQualifier: 'ZZ', isaId: 'EXAMPLEHEALTH', gsId: 'EXAMPLEHEALTH' };
const controlNumbers = { interchange: '905', group: '905', transaction: '1' };
const date = new Date('2026-03-02T14:05:00Z');

const order: Order = {
  type: 'order', partnerId: 'medsurg', poNumber: 'PO-20417', revision: '2', purpose: 'new', orderDate: '2026-03-02', currency: 'USD',
  contractNumber: 'GPO-118', requestedDeliveryDate: '2026-03-05',
  paymentTerms: { discountPercent: '2', discountDays: '10', netDays: '30', description: '2% 10 NET 30' },
  notes: ['Deliver to dock 4 before 10am'],
  buyer: { name: 'Example Health', ids: [{ qualifier: '92', value: 'EXH' }], contact: { name: 'Pat Buyer', phone: '937-555-0100', email: 'pat@example.org' } },
  shipTo: { name: 'Example Hospital', ids: [{ qualifier: '92', value: 'EXH01' }], address: { lines: ['1 Main St', 'Dock 4'], city: 'Dayton', state: 'OH', postalCode: '45402', country: 'US' } },
  lines: [
    { lineNumber: '1', quantity: '12', uom: 'BX', unitPrice: '14.25', itemIds: { vendorPart: 'BD-302995', gtin: '10382650000126', buyerPart: 'EXH-77' }, description: 'Syringe 10 mL Luer-Lok, 100/box' },
    { lineNumber: '2', quantity: '4', uom: 'CA', unitPrice: '38.5', itemIds: { vendorPart: 'MSG2040' }, description: 'Exam glove nitrile M', requestedDeliveryDate: '2026-03-09' },
    { lineNumber: '3', quantity: '2', uom: 'EA', unitPrice: '96', itemIds: { ndc: '00409488820', hibcc: '+H7540J303H1L' } },
  ],
};

for (const version of ['004010', '005010'] as const) {
  test(`render850 ${version} reads back through translate850 as the same order`, () => {
    const profile = supplierProfile({ unitsOfMeasure: { CA: 'CS' } });
    const text = render850(order, { profile, ours, controlNumbers, version, date });
    const [input, ...more] = transactions(text);
    assert.ok(input);
    assert.equal(more.length, 0);
    const spec = SPEC_850.find((s) => s.version === version)!;
    assert.deepEqual(validateTransaction(input.segments, spec, input.delimiters), []);
    const result = translate850(input, profile);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(result.document, order);
    assertSchemaValid(result.document!);
  });
}

test('render850 writes the envelope, delimiters and qualifiers of the profile', () => {
  const profile = supplierProfile({ unitsOfMeasure: { CA: 'CS' } }, { version: '005010', delimiters: { element: '|', component: '>', repetition: '!', segment: '\n', lineBreak: false }, itemIdQualifiers: ['UK', 'VN'], usageIndicator: 'T' });
  const text = render850(order, { profile, ours, controlNumbers, date });
  const lines = text.split('\n');
  assert.equal(lines[0], 'ISA|00|          |00|          |ZZ|EXAMPLEHEALTH  |ZZ|MEDSURGSUP     |260302|1405|!|00501|000000905|0|T|>');
  assert.equal(lines[1], 'GS|PO|EXAMPLEHEALTH|MEDSURGSUP|20260302|1405|905|X|005010');
  assert.equal(lines[2], 'ST|850|0001');
  assert.ok(lines.includes('PO1|1|12|BX|14.25|PE|UK|10382650000126|VN|BD-302995'));
  assert.ok(lines.includes('PO1|2|4|CS|38.5|PE|VN|MSG2040'), 'our CA goes out as their CS');
  assert.ok(lines.includes('REF|CT|GPO-118'));
  const se = lines.find((l) => l.startsWith('SE|'))!;
  assert.equal(se, `SE|${lines.indexOf(se) - 1}|0001`);
  assert.deepEqual(lines.slice(-3), ['GE|1|905', 'IEA|1|000000905', '']);
});

test('4010 sends U in ISA11, and BEG01 follows the purpose (cancel 01, change 05)', () => {
  const profile = supplierProfile();
  const cancel = render850({ ...order, purpose: 'cancel' }, { profile, ours, controlNumbers, date });
  assert.match(cancel, /^ISA\*00\*.{10}\*00\*.{10}\*ZZ\*EXAMPLEHEALTH  \*ZZ\*MEDSURGSUP     \*260302\*1405\*U\*00401\*000000905\*0\*P\*:~\n/);
  assert.match(cancel, /\nBEG\*01\*SA\*PO-20417\*\*20260302~\n/);
  const change = render850({ ...order, purpose: 'change' }, { profile, ours, controlNumbers, date });
  assert.match(change, /\nBEG\*05\*SA\*PO-20417\*\*20260302~\n/);
  const read = translate850(transactions(change)[0]!, profile);
  assert.equal(read.document?.purpose, 'change');
});

test('render850 refuses bad control numbers, invalid orders and ids holding a delimiter; free text is cleaned', () => {
  const profile = supplierProfile();
  assert.throws(() => render850(order, { profile, ours, controlNumbers: { ...controlNumbers, interchange: '1234567890' }, date }), TranslationError);
  assert.throws(() => render850({ ...order, lines: [] }, { profile, ours, controlNumbers, date }), TranslationError);
  assert.throws(() => render850({ ...order, poNumber: 'PO*1' }, { profile, ours, controlNumbers, date }), /delimiter/);
  const text = render850({ ...order, lines: [{ ...order.lines[0]!, description: 'Gauze 4*4 ~ sterile' }] }, { profile, ours, controlNumbers, date });
  assert.match(text, /\nPID\*F\*\*\*\*Gauze 4 4   sterile~\n/);
});

test('850 fixture: UP also gives the GTIN, the line count is checked, golden', () => {
  const profile = supplierProfile({ unitsOfMeasure: { CA: 'CS' } });
  const result = translate850(fixture('850', 'order.edi'), profile);
  assert.equal(result.document?.lines[0]?.uom, 'CA');
  assert.equal(result.document?.lines[0]?.itemIds.gtin, '00003638240107');
  assertSchemaValid(result.document!);
  assertGolden('850/order', result);
});

test('850 with a bad date or no PO number gives errors and no document', () => {
  const input = fixture('850', 'order.edi');
  const segments = input.segments.map((s) => (s.id === 'BEG' ? { ...s, elements: ['BEG', '00', 'SA', '', '', '20261341'] } : s));
  const result = translate850({ ...input, segments }, supplierProfile());
  assert.equal(result.document, undefined);
  assert.deepEqual(result.errors.map((e) => [e.segment, e.element, e.code]), [['BEG', 3, '1'], ['BEG', 5, '8']]);
});

test('every 850 of the corpus translates without throwing into schema-valid orders', (t) => {
  const documents = translateCorpus('850', (input) => translate850(input));
  if (documents === undefined) return t.skip('corpus not present (../shared/corpus)');
  assert.ok(documents > 40, `${documents} orders`);
});
