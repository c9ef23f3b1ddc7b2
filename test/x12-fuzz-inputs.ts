// Input generators for fuzzing the X12 engine, shared by test/x12-fuzz.test.ts and bench/x12-fuzz.ts.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { acknowledgeX12, interchangeCompleteness, translateX12 } from '../translators/x12/index.ts';
import { TranslationError } from '../translators/errors.ts';

const BASE = readFileSync(new URL('./fixtures/x12/envelope/855-two-sets.edi', import.meta.url), 'utf8');
const ALPHABET = ['*', '~', '>', ':', '^', '\n', '\r', ' ', 'ISA', 'GS', 'ST', 'SE', 'GE', 'IEA', 'HL', '0', '9', 'A', '\u0000', '\u20ac', '__proto__', 'constructor'];

/** The fixture with bytes replaced, deleted, inserted or sliced. */
const mutated = fc.array(fc.tuple(fc.nat(BASE.length), fc.nat(8), fc.constantFrom(...ALPHABET)), { maxLength: 6 }).map((edits) => {
  let text = BASE;
  for (const [at, remove, insert] of edits) text = text.slice(0, at) + insert + text.slice(at + remove);
  return text;
});

const element = fc.stringMatching(/^[A-Z0-9 .-]{0,6}$/);
const segment = fc.tuple(fc.constantFrom('BAK', 'PO1', 'ACK', 'CTT', 'N1', 'REF', 'DTM', 'HL', 'ZZZ', 'ST', 'SE'), fc.array(element, { maxLength: 8 }))
  .map(([id, elements]) => [id, ...elements].join('*'));
/** Interchanges built from the grammar: ISA, groups of transaction sets of random segments, trailers with random counts. */
const generated = fc.tuple(fc.array(fc.array(fc.array(segment, { maxLength: 8 }), { maxLength: 3 }), { maxLength: 3 }), fc.nat(3), fc.constantFrom('00401', '00501'))
  .map(([groups, iea01, version]) => {
    const isa = `ISA*00*          *00*          *ZZ*MEDSURGSUP     *ZZ*EXAMPLEHEALTH  *260302*1015*${version === '00501' ? '^' : 'U'}*${version}*000000905*1*P*>~`;
    const body = groups.map((sets, g) => [`GS*PR*A*B*20260302*1015*${g + 1}*X*${version}0`, ...sets.map((segs, s) => [`ST*855*${s + 1000}`, ...segs, `SE*${segs.length + 2}*${s + 1000}`].join('~')), `GE*${sets.length}*${g + 1}`].join('~')).join('~');
    return `${isa}${body}${body ? '~' : ''}IEA*${iea01}*000000905~`;
  });

export function x12Inputs(): fc.Arbitrary<string> {
  return fc.oneof(mutated, generated);
}

/** translate, acknowledge and completeness; anything thrown but TranslationError fails. */
export function runEngine(input: string): void {
  let n = 0;
  try {
    interchangeCompleteness(input);
    translateX12(input);
    acknowledgeX12(input, { ours: { isaQualifier: 'ZZ', isaId: 'US', gsId: 'US' }, controlNumbers: () => String(++n).padStart(9, '0'), now: new Date(0) });
  } catch (error) {
    if (!(error instanceof TranslationError)) throw error;
  }
}
