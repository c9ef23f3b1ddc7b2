// Runs every test file with node's test runner. When DATABASE_URL is unset, starts one embedded
// PostgreSQL for the whole run (each test file still makes its own database) and stops it afterwards.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
const files = findTests('test').filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
let embedded: { url: string; stop(): Promise<void> } | undefined;
if (!process.env.DATABASE_URL) {
  const { startEmbeddedPostgres } = await import('../src/db/embedded.ts');
  embedded = await startEmbeddedPostgres({ dataDir: '.data/test-pg', database: 'test' });
  process.env.DATABASE_URL = embedded.url;
  console.log(`# DATABASE_URL unset: started embedded PostgreSQL at ${embedded.url}`);
}
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=180000', ...files], {
  stdio: 'inherit',
  env: process.env,
});
// stopped from outside: the tests first, then the embedded server this run started
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => child.kill(signal));
const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
if (embedded) await embedded.stop();
process.exit(code);
