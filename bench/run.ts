/**
 * `npm run bench` runs every benchmark, one after another, each in its own process (so peak RSS is its
 * own); `npm run bench -- x12-read api-orders` runs the named ones. Each script prints its figures.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

// modules the benchmarks share, not benchmarks themselves
const SHARED = new Set(['run.ts', 'load.ts', 'scratch-database.ts', 'cxml-invoice.ts']);
const all = readdirSync('bench').filter((f) => f.endsWith('.ts') && !SHARED.has(f)).map((f) => f.slice(0, -3)).sort();
const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('--'));
const wanted = firstOption === -1 ? args : args.slice(0, firstOption);
const options = firstOption === -1 ? [] : args.slice(firstOption);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n=== bench/${name}.ts ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`, ...options], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
