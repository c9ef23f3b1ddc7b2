import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translate855 } from '../translators/x12/transactions/855.ts';
import { TranslationError } from '../translators/errors.ts';
import { assertGolden, assertSchemaValid, fixture, supplierProfile, translateCorpus } from './x12-translate-helpers.ts';

test('855 with changes: per-line status from the most severe ACK, quantities, dates and substitutions', () => {
  const result = translate855(fixture('855', 'changes.edi'), supplierProfile({ unitsOfMeasure: { CA: 'CS' } }));
  const ack = result.document!;
  assert.equal(ack.ackType, 'accepted-with-changes');
  assert.equal(ack.ackDate, '2026-03-03');
  assert.equal(ack.supplierOrderNumber, 'SO-88121');
  const byLine = Object.fromEntries(ack.lines.map((l) => [l.lineNumber, l]));
  assert.deepEqual([byLine['1']?.status, byLine['1']?.scheduledDate], ['accepted', '2026-03-04']);
  assert.deepEqual([byLine['2']?.status, byLine['2']?.statusCode, byLine['2']?.quantity, byLine['2']?.uom], ['backordered', 'IB', '40', 'CA']);
  assert.deepEqual([byLine['3']?.status, byLine['3']?.statusCode], ['changed', 'IP']);
  assert.equal(byLine['4']?.itemIds?.vendorPart, 'NEW-100', 'the substitute replaces the item');
  assert.deepEqual([byLine['5']?.status, byLine['5']?.quantity], ['rejected', '0']);
  assertSchemaValid(ack);
  assertGolden('855/changes', result);
});

test('855 rejected (5010): BAK02 RJ and an R2 line', () => {
  const result = translate855(fixture('855', 'rejected.edi'));
  assert.equal(result.document?.ackType, 'rejected');
  assert.equal(result.document?.ackDate, '2026-03-02', 'no BAK09: the interchange date');
  assert.equal(result.document?.lines[0]?.status, 'rejected');
  assertSchemaValid(result.document!);
  assertGolden('855/rejected', result);
});

test('855 with an unknown BAK02 takes the ack type from the lines and warns', () => {
  const input = fixture('855', 'rejected.edi');
  const segments = input.segments.map((s) => (s.id === 'BAK' ? { ...s, elements: ['BAK', '00', 'XX', 'PO-20431', '20260302'] } : s));
  const result = translate855({ ...input, segments });
  assert.equal(result.document?.ackType, 'rejected');
  assert.deepEqual(result.warnings.map((w) => [w.code, w.position, w.element]), [['ACK_TYPE_UNKNOWN', 2, 2]]);
});

test('hook price-in-po1-element-5 moves the price a partner puts in PO105; an unknown hook is refused', () => {
  const input = fixture('855', 'rejected.edi');
  const segments = input.segments.map((s) => (s.id === 'PO1' ? { ...s, elements: ['PO1', '1', '5', 'BX', '', '22.40', 'VN', 'AB-9'] } : s));
  assert.equal(translate855({ ...input, segments }).document?.lines[0]?.unitPrice, undefined);
  const hooked = translate855({ ...input, segments }, supplierProfile({}, { hooks: ['price-in-po1-element-5'] }));
  assert.equal(hooked.document?.lines[0]?.unitPrice, '22.40');
  assert.throws(() => translate855(input, supplierProfile({}, { hooks: ['no-such-hook'] })), TranslationError);
});

test('every 855 of the corpus translates without throwing into schema-valid acks', (t) => {
  const documents = translateCorpus('855', (input) => translate855(input));
  if (documents === undefined) return t.skip('corpus not present (../shared/corpus)');
  assert.ok(documents >= 15, `${documents} acks`);
});
