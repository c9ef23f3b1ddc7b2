// Fuzzing the cXML reader and translators (bounded run): mutated real documents — bytes dropped,
// inserted or replaced, elements repeated, markup injected — must translate or be refused with a
// TranslationError carrying a cXML status, nothing else, and leave Object.prototype clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { translateCxml } from '../translators/cxml/index.ts';
import { TranslationError } from '../translators/errors.ts';
import { fixture } from './cxml-helpers.ts';

const seeds = [fixture('ship-notice-lots.xml').toString('utf8'), fixture('invoice-credit-memo.xml').toString('utf8')];
const injections = ['<!DOCTYPE x [<!ENTITY a "b">]>', '&a;', '<![CDATA[x]]>', '</cXML>', '<cXML>', '\u0000', '&#0;', '<?xml version="1.0"?>', '<a b="1" b="2"/>', '"', '<', '>', '&amp;', '\uFEFF', '<__proto__ x="1"/>', 'constructor'];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...injections), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
);

function mutate(text: string, steps: Array<{ kind: 'drop' | 'insert' | 'repeat'; at: number; length?: number; text?: string }>): string {
  let out = text;
  for (const m of steps) {
    const at = m.at % (out.length + 1);
    if (m.kind === 'drop') out = out.slice(0, at) + out.slice(at + m.length!);
    else if (m.kind === 'insert') out = out.slice(0, at) + m.text! + out.slice(at);
    else out = out.slice(0, at) + out.slice(at, at + m.length!) + out.slice(at);
  }
  return out;
}

test('cXML: only TranslationError (with a cXML status) comes out of mutated documents', () => {
  fc.assert(fc.property(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, steps) => {
    const input = mutate(seed, steps);
    try {
      const result = translateCxml(input);
      for (const r of result.rejected) for (const e of r.errors) assert.match(e.code, /^\d{3}$/);
    } catch (err) {
      assert.ok(err instanceof TranslationError, `unexpected ${(err as Error)?.name}: ${(err as Error)?.message}`);
      assert.match(err.code, /^\d{3}$/, 'the refusal carries a cXML status code');
    }
    assert.deepEqual(Object.keys(Object.prototype), []);
  }), { numRuns: 300, seed: Number(process.env.FUZZ_SEED ?? 20261123) });
});
