// Validation codes (AK3/IK3, AK4/IK4), the 997/999/TA1 we send (compared whole against golden files),
// and inbound 997/999/TA1 read into FunctionalAck documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { validateTransaction } from '../translators/x12/validator.ts';
import { composite, el, seg } from '../translators/x12/spec/build.ts';
import { loop } from '../translators/x12/spec/dictionary.ts';
import type { TransactionSpec } from '../translators/x12/spec/types.ts';
import type { Delimiters, Segment } from '../translators/x12/segments.ts';
import { acknowledgeX12, translateX12 } from '../translators/x12/index.ts';
import type { PartnerProfile } from '../translators/profile.ts';

const delimiters: Delimiters = { element: '*', component: ':', repetition: '^', segment: '~' };
const spec: TransactionSpec = {
  id: '900', version: '005010', functionalId: 'ZZ',
  body: [
    seg('AAA', 'M', 1, [
      el('AAA01', 'M', 'ID', 2, 2, { codes: ['XX', 'YY'] }), el('AAA02', 'O', 'N2', 1, 5), el('AAA03', 'O', 'DT', 8, 8), el('AAA04', 'O', 'TM', 4, 6),
      el('AAA05', 'O', 'R', 1, 6), composite('AAA06', 'O', [el('C1', 'M', 'AN', 1, 3), el('C2', 'O', 'AN', 1, 3)]),
      el('AAA07', 'X', 'AN', 1, 10), el('AAA08', 'X', 'AN', 1, 10), el('AAA09', 'O', 'AN', 1, 10, { repeat: 2 }),
    ], [{ kind: 'P', elements: [7, 8] }]),
    seg('BBB', 'O', 2, [el('BBB01', 'X', 'AN', 2, 4), el('BBB02', 'X', 'AN', 1, 4)], [{ kind: 'E', elements: [1, 2] }]),
    loop('LLL', 'O', 2, [seg('LLL', 'M', 1, [el('LLL01', 'M', 'AN', 1, 5)]), seg('MMM', 'O', 1, [])]),
    seg('ZZZ', 'M', 1, [el('ZZZ01', 'O', 'AN', 1, 2)]),
  ],
};

function segments(body: string): Segment[] {
  const all = ['ST*900*0001', ...body.split('~').filter(Boolean), 'SE*0*0001'];
  let offset = 0;
  return all.map((text) => {
    const elements = text.split('*');
    const segment = { id: elements[0]!, elements, offset };
    offset += text.length + 1;
    return segment;
  });
}

const codesOf = (body: string) => validateTransaction(segments(body), spec, delimiters).map((e) => `${e.element === undefined ? 'S' : 'E'}${e.code}@${e.segment}:${e.position}${e.element ? `.${e.element}` : ''}${e.component ? `.${e.component}` : ''}`);

test('a valid body has no errors, loops repeat through their trigger', () => {
  assert.deepEqual(codesOf('AAA*XX*12*20260302*1015*1.5*a:b*x*y*r1^r2~BBB*ab~LLL*1~MMM~LLL*2~ZZZ'), []);
});

const cases: Array<[string, string, string]> = [
  ['AK3 1 unrecognized segment id', 'AAA*XX~abc*1~ZZZ', 'S1@abc:3'],
  ['AK3 2 unexpected segment', 'AAA*XX~MMM~ZZZ', 'S2@MMM:3'],
  ['AK3 3 mandatory segment missing', 'BBB*ab~ZZZ', 'S3@AAA:2'],
  ['AK3 3 mandatory segment missing at the end', 'AAA*XX', 'S3@ZZZ:3'],
  ['AK3 4 loop over maximum', 'AAA*XX~LLL*1~LLL*2~LLL*3~ZZZ', 'S4@LLL:5'],
  ['AK3 5 segment over maximum use', 'AAA*XX~BBB*ab~BBB*ab~BBB*ab~ZZZ', 'S5@BBB:5'],
  ['AK3 6 segment not in the set', 'AAA*XX~QQQ*1~ZZZ', 'S6@QQQ:3'],
  ['AK3 7 segment out of sequence', 'AAA*XX~BBB*ab~AAA*XX~ZZZ', 'S7@AAA:4'],
  ['AK4 1 mandatory element missing', 'AAA*~ZZZ', 'E1@AAA:2.1'],
  ['AK4 1 mandatory component missing', 'AAA*XX*****:b~ZZZ', 'E1@AAA:2.6.1'],
  ['AK4 2 paired element missing', 'AAA*XX*******x~ZZZ', 'E2@AAA:2.7'],
  ['AK4 3 too many elements', 'AAA*XX~ZZZ*a*b', 'E3@ZZZ:3.2'],
  ['AK4 4 too short', 'AAA*XX~BBB*a~ZZZ', 'E4@BBB:3.1'],
  ['AK4 5 too long', 'AAA*XX*123456~ZZZ', 'E5@AAA:2.2'],
  ['AK4 6 invalid character (numeric)', 'AAA*XX*1.5~ZZZ', 'E6@AAA:2.2'],
  ['AK4 7 invalid code value', 'AAA*ZZ~ZZZ', 'E7@AAA:2.1'],
  ['AK4 8 invalid date', 'AAA*XX**20260231~ZZZ', 'E8@AAA:2.3'],
  ['AK4 9 invalid time', 'AAA*XX***2560~ZZZ', 'E9@AAA:2.4'],
  ['AK4 10 exclusion violated', 'AAA*XX~BBB*ab*c~ZZZ', 'E10@BBB:3.2'],
  ['AK4 12 too many repetitions', 'AAA*XX********a^b^c~ZZZ', 'E12@AAA:2.9'],
  ['AK4 13 too many components', 'AAA*XX*****a:b:c~ZZZ', 'E13@AAA:2.6.3'],
];

for (const [name, body, expected] of cases) {
  test(`validator ${name}`, () => {
    const found = codesOf(body);
    assert.ok(found.includes(expected), `expected ${expected} in ${found.join(' ')}`);
  });
}

const BASE = readFileSync(new URL('./fixtures/x12/envelope/855-two-sets.edi', import.meta.url), 'utf8');
const ours = { isaQualifier: 'ZZ', isaId: 'EXAMPLEHEALTH', gsId: 'EXAMPLEHLTH' };
const now = new Date('2026-03-02T10:20:00Z');
const update = process.env.UPDATE_GOLDEN === '1';

function golden(name: string, actual: string): void {
  const url = new URL(`./golden/x12/acks/${name}`, import.meta.url);
  if (update) writeFileSync(url, actual);
  assert.equal(actual, readFileSync(url, 'utf8'));
}

function acks(raw: string, extra: { profile?: PartnerProfile; use999?: boolean } = {}): string[] {
  let n = 100;
  return acknowledgeX12(raw, { ours, controlNumbers: () => String(++n).padStart(9, '0'), now, ...extra });
}

const BROKEN = BASE.replace('ACK*IA*12*BX', 'ACK*IA*12*BXXX').replace('BAK*00*AC*PO-20418*20260302', 'BAK*00*AC*PO-20418*20260231');

test('997 accepting a group, compared whole', () => golden('997-accepted.edi', acks(BASE).join('')));
test('997 partially accepting with AK3/AK4 codes and copied bad data', () => golden('997-partial.edi', acks(BASE.replace('ACK*IA*12*BX', 'ACK*IA*12*BXXX')).join('')));
test('997 rejecting the whole group', () => golden('997-rejected.edi', acks(BROKEN).join('')));
test('999 with IK3/IK4/IK5 for a 5010 partner profile', () => {
  const profile: PartnerProfile = { id: 'medsurg', name: 'MedSurg', enabled: true, formats: ['x12'], x12: { isaQualifier: 'ZZ', isaId: 'MEDSURGSUP', gsId: 'MEDSURGSUP', functionalAck: '999', version: '005010', delimiters: { lineBreak: false } } };
  golden('999-rejected.edi', acks(BROKEN, { profile }).join(''));
});
test('TA1 when ISA14=1 asks for it, ahead of the 997', () => golden('ta1-accepted-997.edi', acks(BASE.replace('*0*P*>', '*1*P*>')).join('')));
test('TA1 only, when the envelope is broken', () => golden('ta1-rejected.edi', acks(BASE.replace('GE*2*77', 'GE*2*77~\nXYZ')).join('')));
test('no 997 for a 997, a 999 or a TA1-only interchange', () => {
  const ack997 = acks(BASE)[0]!;
  assert.deepEqual(acks(ack997), []);
  assert.deepEqual(acks(acks(BASE, { use999: true })[0]!), []);
  assert.deepEqual(acks(acks(BASE.replace('GE*2*77', 'GE*2*77~\nXYZ'))[0]!), []);
});
test('profile functionalAck none and ta1 never silence the answers', () => {
  const profile: PartnerProfile = { id: 'quiet', name: 'Quiet', enabled: true, formats: ['x12'], x12: { isaQualifier: 'ZZ', isaId: 'MEDSURGSUP', gsId: 'MEDSURGSUP', functionalAck: 'none', ta1: 'never' } };
  assert.deepEqual(acks(BASE.replace('*0*P*>', '*1*P*>'), { profile }), []);
});

test('inbound 997 we produced reads back to what it answers, errors in plain words', () => {
  const [ack] = translateX12(acks(BROKEN.replace('BAK*00*AC*PO-20418*20260231', 'BAK*00*AC*PO-20418*20260302'))[0]!).documents;
  assert.deepEqual(ack, {
    type: 'functional-ack', ackFormat: '997', functionalIdCode: 'PR', groupControlNumber: '77', groupStatus: 'partially-accepted',
    transactions: [
      { transactionSetId: '855', controlNumber: '0001', status: 'rejected', errors: ['segment ACK at position 4, element 3: data element too long ("BXXX")', 'transaction set 0001: one or more segments in error'] },
      { transactionSetId: '855', controlNumber: '0002', status: 'accepted', errors: [] },
    ],
    errors: ['group 77: 2 of 2 transaction sets received, 1 accepted'],
  });
});

test('inbound 999 and TA1 read back', () => {
  const profile: PartnerProfile = { id: 'm', name: 'M', enabled: true, formats: ['x12'], x12: { isaQualifier: 'ZZ', isaId: 'MEDSURGSUP', gsId: 'MEDSURGSUP', functionalAck: '999' } };
  const docs = translateX12(acks(BROKEN, { profile })[0]!).documents;
  assert.equal(docs[0]?.type === 'functional-ack' && docs[0].ackFormat, '999');
  assert.equal(docs[0]?.type === 'functional-ack' && docs[0].groupStatus, 'rejected');
  const ta1 = translateX12(acks(BASE.replace('GE*2*77', 'GE*2*77~\nXYZ'))[0]!).documents[0];
  assert.deepEqual(ta1, { type: 'functional-ack', ackFormat: 'TA1', interchangeControlNumber: '000000905', groupStatus: 'rejected', transactions: [], errors: ['interchange 000000905: invalid interchange content (TA1 R 024)'] });
});
