// Fuzzing the X12 engine (bounded run; the long run is bench/x12-fuzz.ts): mutated fixtures and
// grammar-generated interchanges must translate, acknowledge and check completeness without anything
// but TranslationError coming out, and leave Object.prototype clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { x12Inputs, runEngine } from './x12-fuzz-inputs.ts';

test('X12 engine: only TranslationError comes out of mutated and generated input', () => {
  fc.assert(fc.property(x12Inputs(), (input) => {
    runEngine(input);
    assert.deepEqual(Object.keys(Object.prototype), []);
  }), { numRuns: 400, seed: Number(process.env.FUZZ_SEED ?? 20260302) });
});
