/**
 * What the SFTP tests, the worker process and the benchmarks share: a migrated database with the job
 * queue, partner profiles pointing at a test sshd's temporary tree, small valid X12 interchanges, and
 * the invariant check run after every scenario.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { PartnerProfile, SftpProfile } from '../../translators/profile.ts';
import { createPool } from '../../src/db/pool.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createBoss } from '../../src/pipeline/boss.ts';
import { createQueues } from '../../src/pipeline/queues.ts';
import { createLogger, type Logger } from '../../src/log.ts';

export interface SftpDb { pool: pg.Pool; boss: PgBoss; log: Logger; close(): Promise<void> }

export async function openSftpDb(url: string, options: { migrate?: boolean; logLevel?: string } = {}): Promise<SftpDb> {
  const log = createLogger({ level: options.logLevel ?? process.env.LOG_LEVEL ?? 'silent' });
  const pool = createPool(url, { max: 12 });
  if (options.migrate !== false) await migrate(pool);
  const boss = createBoss({ connectionString: url, schema: 'pgboss', log, max: 4 });
  await boss.start();
  if (options.migrate !== false) await createQueues(boss);
  return {
    pool,
    boss,
    log,
    close: async () => {
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
      await pool.end();
    },
  };
}

export interface PartnerFolders { inbox: string; archive: string; outbox: string }

export function partnerFolders(root: string, partnerId: string): PartnerFolders {
  const f = { inbox: join(root, partnerId, 'inbox'), archive: join(root, partnerId, 'archive'), outbox: join(root, partnerId, 'outbox') };
  for (const d of Object.values(f)) mkdirSync(d, { recursive: true });
  return f;
}

export function sftpProfile(id: string, server: { port: number; root: string; hostKeySha256: string; userKeyFile: string; user: string }, sftp: Partial<SftpProfile> = {}): PartnerProfile {
  const folders = partnerFolders(server.root, id);
  return {
    id,
    name: `Test supplier ${id}`,
    enabled: true,
    formats: ['x12'],
    x12: { isaQualifier: 'ZZ', isaId: id.toUpperCase().slice(0, 15), gsId: id.toUpperCase().slice(0, 15) },
    sftp: {
      host: '127.0.0.1',
      port: server.port,
      username: server.user,
      privateKeyFile: server.userKeyFile,
      hostKeySha256: server.hostKeySha256,
      inbox: folders.inbox,
      archive: folders.archive,
      outbox: folders.outbox,
      pollSeconds: 1,
      minFileAgeSeconds: 0,
      quarantineMinutes: 60,
      concurrency: 4,
      ...sftp,
    },
  };
}

export function registryOf(profiles: PartnerProfile[]): { all(): PartnerProfile[] } {
  return { all: () => profiles };
}

/** A small, complete 810 interchange; `control` makes each one distinct. */
export function invoiceInterchange(control: number, sender = 'SUPPLIER', lines = 1): string {
  const isa13 = String(control).padStart(9, '0');
  const items = Array.from({ length: lines }, (_, i) => `IT1*${i + 1}*12*BX*14.25**VP*AB-${1000 + i}`);
  const pad = (s: string, n: number) => s.padEnd(n, ' ');
  const segs = [
    `ISA*00*${pad('', 10)}*00*${pad('', 10)}*ZZ*${pad(sender, 15)}*ZZ*${pad('EDIGATEWAY', 15)}*260302*1200*U*00401*${isa13}*0*P*>`,
    `GS*IN*${sender}*EDIGATEWAY*20260302*1200*${control}*X*004010`,
    'ST*810*0001',
    `BIG*20260302*INV-${control}**PO-${control}`,
    ...items,
    'TDS*17100',
    `CTT*${lines}`,
    `SE*${lines + 6}*0001`,
    `GE*1*${control}`,
    `IEA*1*${isa13}`,
  ];
  return `${segs.join('~\n')}~\n`;
}

/** Writes a file into a folder the sshd serves, with its mtime `ageSeconds` in the past. */
export function dropFile(dir: string, name: string, content: string | Buffer, ageSeconds = 5): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  const t = new Date(Date.now() - ageSeconds * 1000);
  utimesSync(path, t, t);
  return path;
}

export interface InvariantReport {
  documents: number;
  /** remote paths stored more than once */
  doubles: string[];
  /** sftp_files rows moved without a committed document */
  movedWithoutRow: number;
  /** files left in the inboxes */
  leftInInboxes: string[];
  /** temporary upload names left in outboxes */
  temporaryFiles: string[];
}

/** The invariants of the SFTP transport after a scenario. */
export async function checkInvariants(pool: pg.Pool, folders: PartnerFolders[]): Promise<InvariantReport> {
  const docs = await pool.query<{ n: string }>(`select count(*) as n from documents where transport = 'sftp'`);
  const doubles = await pool.query<{ remote_path: string }>(
    `select f.remote_path from sftp_files f join documents d on d.id = f.document_id
      where f.outcome = 'stored' group by f.partner_id, f.remote_path having count(*) > 1`);
  const moved = await pool.query<{ n: string }>(`select count(*) as n from sftp_files where moved_at is not null and moved_to <> 'absent' and document_id is null`);
  const left: string[] = [];
  const temps: string[] = [];
  for (const f of folders) {
    left.push(...readdirSync(f.inbox).map((n) => join(f.inbox, n)));
    temps.push(...readdirSync(f.outbox).filter((n) => n.endsWith('.part')).map((n) => join(f.outbox, n)));
  }
  return {
    documents: Number(docs.rows[0]?.n),
    doubles: doubles.rows.map((r) => r.remote_path),
    movedWithoutRow: Number(moved.rows[0]?.n),
    leftInInboxes: left,
    temporaryFiles: temps,
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  polls: Array<{ pid: number; partnerId: string; startedAt: number; endedAt: number; report: Record<string, number> }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** Starts test/helpers/sftp-worker-process.ts with the given profiles and settings. */
export function spawnWorker(url: string, profiles: PartnerProfile[], env: Record<string, string> = {}): WorkerProcess {
  const dir = mkdtempSync(join(tmpdir(), 'sftp-worker-'));
  const file = join(dir, 'profiles.json');
  writeFileSync(file, JSON.stringify(profiles));
  const script = fileURLToPath(new URL('./sftp-worker-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, DATABASE_URL: url, SFTP_PROFILES: file, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const polls: WorkerProcess['polls'] = [];
  let err = '';
  let buffered = '';
  child.stdout?.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        const msg = JSON.parse(line);
        if (msg.event === 'poll') polls.push(msg);
        else if (process.env.SFTP_WORKER_LOG) appendFileSync(process.env.SFTP_WORKER_LOG, `${child.pid} ${line}\n`);
      } catch {
        // not ours
      }
    }
  });
  child.stderr?.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-8000); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => {
    rmSync(dir, { recursive: true, force: true });
    resolve({ code, signal });
  }));
  return { child, polls, exited, stderr: () => err };
}

/** Waits until `check` holds, looking every 100 ms; fails with `what` after `limitMs`. */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, limitMs = 60_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
