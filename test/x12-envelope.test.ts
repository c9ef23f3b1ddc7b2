// The X12 envelope reader: delimiters, control numbers, counts, truncation, junk; every TA1/AK9/AK5 code
// produced by a fixture that should produce it, and the completeness check the SFTP poller relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspectX12, translateX12, walkX12, interchangeCompleteness, acknowledgeX12 } from '../translators/x12/index.ts';
import { TranslationError } from '../translators/errors.ts';

const BASE = readFileSync(new URL('./fixtures/x12/envelope/855-two-sets.edi', import.meta.url), 'utf8');
const ours = { isaQualifier: 'ZZ', isaId: 'EXAMPLEHEALTH', gsId: 'EXAMPLEHLTH' };

/** Every code found, prefixed by level: I (TA1), G (AK9), T (AK5), S (AK3), E (AK4). */
function codes(raw: string): string[] {
  const out: string[] = [];
  for (const interchange of inspectX12(raw).interchanges) {
    out.push(...interchange.errors.map((e) => `I${e.code}`));
    for (const group of interchange.groups) {
      out.push(...group.errors.map((e) => `G${e.code}`));
      for (const t of group.transactions) {
        out.push(...t.setErrors.map((e) => `T${e.code}`));
        out.push(...t.errors.map((e) => `${e.element === undefined ? 'S' : 'E'}${e.code}`));
      }
    }
  }
  return out;
}

const cases: Array<[string, (s: string) => string, string]> = [
  ['001 IEA02 differs from ISA13', (s) => s.replace('IEA*1*000000905', 'IEA*1*000000906'), 'I001'],
  ['005 invalid sender qualifier', (s) => s.replace('*ZZ*MEDSURGSUP', '*WX*MEDSURGSUP'), 'I005'],
  ['006 blank sender id', (s) => s.replace('MEDSURGSUP     *', '               *'), 'I006'],
  ['007 invalid receiver qualifier', (s) => s.replace('*ZZ*EXAMPLEHEALTH', '*YZ*EXAMPLEHEALTH'), 'I007'],
  ['008 blank receiver id', (s) => s.replace('EXAMPLEHEALTH  *', '               *'), 'I008'],
  ['010 invalid authorization qualifier', (s) => s.replace('ISA*00*', 'ISA*99*'), 'I010'],
  ['014 invalid interchange date', (s) => s.replace('*260302*1015*U', '*261302*1015*U'), 'I014'],
  ['015 invalid interchange time', (s) => s.replace('*260302*1015*U', '*260302*2515*U'), 'I015'],
  ['017 invalid version', (s) => s.replace('*00401*', '*00040*'), 'I017'],
  ['018 invalid control number', (s) => s.replaceAll('000000905', '0000009X5'), 'I018'],
  ['019 invalid acknowledgment requested', (s) => s.replace('*0*P*>', '*2*P*>'), 'I019'],
  ['020 invalid test indicator', (s) => s.replace('*0*P*>', '*0*X*>'), 'I020'],
  ['021 IEA01 count wrong', (s) => s.replace('IEA*1*', 'IEA*2*'), 'I021'],
  ['022 ST outside a group', (s) => s.replace(/GS\*[^~]*~\n/, '').replace('GE*2*77~\n', ''), 'I022'],
  ['023 truncated before IEA', (s) => s.slice(0, s.indexOf('IEA')), 'I023'],
  ['024 stray segment between groups', (s) => s.replace('GE*2*77~\n', 'GE*2*77~\nXYZ*1~\n'), 'I024'],
  ['025 duplicate interchange', (s) => s + s, 'I025'],
  ['027 component separator equals element separator', (s) => s.replace('*P*>~', '*P**~'), 'I027'],
  ['AK9 3 group trailer missing', (s) => s.replace('GE*2*77~\n', ''), 'G3'],
  ['AK9 4 GE02 differs from GS06', (s) => s.replace('GE*2*77', 'GE*2*78'), 'G4'],
  ['AK9 5 GE01 count wrong', (s) => s.replace('GE*2*77', 'GE*3*77'), 'G5'],
  ['AK9 6 GS06 not numeric', (s) => s.replace('*1015*77*X', '*1015*7A*X').replace('GE*2*77', 'GE*2*7A'), 'G6'],
  ['AK9 19 duplicate group control number', (s) => s.replace('ST*855*0002~', 'GE*1*77~\nGS*PR*MEDSURGSUP*EXAMPLEHLTH*20260302*1015*77*X*004010~\nST*855*0002~').replace('GE*2*77', 'GE*1*77').replace('IEA*1*', 'IEA*2*'), 'G19'],
  ['AK5 1 transaction set not supported', (s) => s.replace('ST*855*0002', 'ST*940*0002'), 'T1'],
  ['AK5 2 SE missing', (s) => s.replace('SE*6*0001~\n', ''), 'T2'],
  ['AK5 3 SE02 differs from ST02', (s) => s.replace('SE*6*0001', 'SE*6*0009'), 'T3'],
  ['AK5 4 SE01 count wrong', (s) => s.replace('SE*6*0001', 'SE*7*0001'), 'T4'],
  ['AK5 5 segment in error', (s) => s.replace('ACK*IA*12*BX', 'ACK*IA*12*BXX'), 'T5'],
  ['AK5 6 invalid transaction set id', (s) => s.replace('ST*855*0002', 'ST*85X*0002'), 'T6'],
  ['AK5 7 invalid control number', (s) => s.replace('ST*855*0002', 'ST*855*02').replace('SE*6*0002', 'SE*6*02'), 'T7'],
  ['AK5 23 duplicate ST02', (s) => s.replace('ST*855*0002', 'ST*855*0001').replace('SE*6*0002', 'SE*6*0001'), 'T23'],
];

test('the base fixture is sound: no codes, nothing rejected, a 997 accepting both sets', () => {
  assert.deepEqual(codes(BASE), []);
  assert.deepEqual(translateX12(BASE).rejected, []);
});

for (const [name, mutate, expected] of cases) {
  test(`envelope code ${name}`, () => {
    const found = codes(mutate(BASE));
    assert.ok(found.includes(expected), `expected ${expected} in ${found.join(' ')}`);
  });
}

test('an unreadable ISA (alphanumeric separator or terminator) rejects the interchange with 026 / 004', () => {
  const [bad026] = inspectX12(BASE.replace('ISA*', 'ISAA')).interchanges;
  assert.equal(bad026?.errors[0]?.code, '026');
  const [bad004] = inspectX12(BASE.replace('*P*>~', '*P*>A')).interchanges;
  assert.equal(bad004?.errors[0]?.code, '004');
  assert.equal(bad004?.accepted, false);
});

test('a rejected interchange gets a TA1 R with its first note code and no 997', () => {
  let n = 0;
  const acks = acknowledgeX12(BASE.replace('IEA*1*000000905', 'IEA*1*000000906'), { ours, controlNumbers: () => String(++n).padStart(9, '0'), now: new Date('2026-03-02T10:20:00Z') });
  assert.equal(acks.length, 1);
  assert.match(acks[0]!, /^TA1\*000000905\*260302\*1015\*R\*001~$/m);
  assert.doesNotMatch(acks[0]!, /ST\*997/);
});

test('non-X12 input throws TranslationError not-x12; empty input too', () => {
  for (const input of ['hello world', '', '   \n', new Uint8Array([0xc9, 0xe2, 0xc1])]) {
    assert.throws(() => translateX12(input), (e: unknown) => e instanceof TranslationError && e.code === 'not-x12');
  }
});

test('prose before the ISA is reported, the interchange still read', () => {
  const result = translateX12(`This file was exported by hand.\n${BASE}`);
  assert.equal(result.rejected.length, 1);
  assert.equal(result.rejected[0]!.errors[0]!.code, '024');
  assert.deepEqual(codes(`Some prose\n${BASE}`), []);
});

test('BOM, CRLF, indentation, a space after terminators and a Ctrl-Z at the end are tolerated', () => {
  const variants = [
    `\ufeff${BASE}`,
    BASE.replaceAll('\n', '\r\n'),
    BASE.replaceAll('\n', '\n\t  '),
    BASE.replaceAll('~\n', '~ '),
    `${BASE}\x1a`,
  ];
  for (const variant of variants) assert.deepEqual(codes(variant), [], JSON.stringify(variant.slice(0, 20)));
  assert.deepEqual(codes(new TextEncoder().encode(`\ufeff${BASE}`) as unknown as string), []);
});

test('delimiters come from the ISA: other element separators, ISA16 and terminators', () => {
  const swap = (s: string, element: string, component: string, terminator: string) =>
    [...s.replace('*P*>~', '*P*\u0001~')].map((c) => (c === '*' ? element : c === '~' ? terminator : c === '\u0001' ? component : c)).join('');
  for (const [element, component, terminator] of [['|', '^', '~'], ['\x7f', ':', '\x15'], ['~', '`', '*'], ['+', ':', "'"]] as const) {
    const raw = swap(BASE.replaceAll('\n', ''), element, component, terminator);
    const [interchange] = inspectX12(raw).interchanges;
    assert.deepEqual(interchange?.delimiters, { element, component, segment: terminator });
    assert.deepEqual(codes(raw), []);
  }
});

test('5010 reads the ISA11 repetition separator; 4010 has none', () => {
  const raw = BASE.replace('*U*00401*', '*^*00501*').replace('*004010~', '*005010~');
  assert.equal(inspectX12(raw).interchanges[0]?.delimiters?.repetition, '^');
  assert.equal(inspectX12(BASE).interchanges[0]?.delimiters?.repetition, undefined);
});

test('an ISA that is not fixed width is read by its separators, with a warning', () => {
  const raw = BASE.replace('MEDSURGSUP     ', 'MEDSURGSUP');
  const [interchange] = inspectX12(raw).interchanges;
  assert.equal(interchange?.accepted, true);
  assert.equal(interchange?.info?.senderId, 'MEDSURGSUP');
  assert.ok(interchange?.warnings.some((w) => w.code === 'isa-not-fixed-width'));
});

test('control numbers stay raw strings; a numerically equal IEA02 is only a warning', () => {
  const raw = BASE.replace('IEA*1*000000905', 'IEA*1*905');
  const [interchange] = inspectX12(raw).interchanges;
  assert.equal(interchange?.info?.controlNumber, '000000905');
  assert.equal(interchange?.accepted, true);
  assert.ok(interchange?.warnings.some((w) => w.code === 'control-number-padding'));
});

test('several interchanges in one file are each handled on their own', () => {
  const second = BASE.replaceAll('000000905', '000000906').replace('IEA*1*000000906', 'IEA*1*000000907');
  const { interchanges } = inspectX12(BASE + second);
  assert.deepEqual(interchanges.map((i) => [i.info?.controlNumber, i.accepted]), [['000000905', true], ['000000906', false]]);
});

test('characters outside the X12 sets are AK4 code 6', () => {
  assert.ok(codes(BASE.replace('VN*AB-1002', 'VN*AB\u00001002')).includes('E6'));
  assert.ok(codes(BASE.replace('VN*AB-1002', 'VN*AB\u20ac1002')).includes('E6'));
});

test('walkX12 yields one transaction at a time, before the interchange verdict', () => {
  const kinds = [...walkX12(BASE)].map((o) => o.type);
  assert.deepEqual(kinds, ['transaction', 'transaction', 'interchange']);
});

test('interchangeCompleteness: complete only with IEA, IEA02 = ISA13 and matching counts', () => {
  assert.deepEqual(interchangeCompleteness(BASE), { complete: true });
  assert.deepEqual(interchangeCompleteness(new TextEncoder().encode(BASE)), { complete: true });
  for (const partial of [BASE.slice(0, 50), BASE.slice(0, BASE.indexOf('GE*')), BASE.slice(0, BASE.indexOf('IEA')), BASE.slice(0, -8),
    BASE.replace('IEA*1*000000905', 'IEA*1*000000906'), BASE.replace('GE*2*77', 'GE*3*77'), 'not x12 at all', '']) {
    const result = interchangeCompleteness(partial);
    assert.equal(result.complete, false, JSON.stringify(partial.slice(-30)));
    assert.ok(!result.complete && result.reason.length > 0);
  }
});
