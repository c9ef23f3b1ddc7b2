// The long fuzz run of the X12 engine: npx tsx bench/x12-fuzz.ts [runs] [seed]
// Prints the seed (to replay a failure with FUZZ_SEED) and inputs/s.
import fc from 'fast-check';
import { runEngine, x12Inputs } from '../test/x12-fuzz-inputs.ts';

const runs = Number(process.argv[2] ?? 20000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
console.log(`seed ${seed}, ${runs} runs`);
const t0 = performance.now();
fc.assert(fc.property(x12Inputs(), (input) => {
  runEngine(input);
  if (Object.keys(Object.prototype).length > 0) throw new Error('Object.prototype polluted');
}), { numRuns: runs, seed });
const seconds = (performance.now() - t0) / 1000;
console.log(`${runs} inputs in ${seconds.toFixed(1)} s (${(runs / seconds).toFixed(0)}/s), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
