/**
 * SFTP chaos run: N files dropped over a few seconds into P partner inboxes, picked up by three
 * gateway processes sharing one database, while gateways are killed with SIGKILL (and restarted) and
 * sshd is restarted (its live sessions killed). Ends when the inboxes are empty and every file is
 * stored, then checks the invariants: every file stored exactly once, nothing moved without its
 * committed row, every parse job queued, nothing left in the inboxes. Exit code 1 when one fails.
 *   npx tsx bench/sftp-chaos.ts [files=1000] [partners=10] [kills=3] [sshdRestarts=2]
 */
import { readdirSync } from 'node:fs';
import { startSshd } from '../test/helpers/sshd.ts';
import { benchDatabase } from '../test/helpers/sftp-bench-db.ts';
import { openSftpDb, sftpProfile, invoiceInterchange, dropFile, partnerFolders, spawnWorker, waitUntil, checkInvariants, type WorkerProcess } from '../test/helpers/sftp-env.ts';

const files = Number(process.argv[2] ?? 1000);
const partnerCount = Number(process.argv[3] ?? 10);
const kills = Number(process.argv[4] ?? 3);
const restarts = Number(process.argv[5] ?? 2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const sshd = await startSshd();
const db = await benchDatabase('sftp_chaos');
const env = await openSftpDb(db.url);
const ids = Array.from({ length: partnerCount }, (_, i) => `chaos-${i}`);
const profiles = ids.map((id) => sftpProfile(id, sshd, { concurrency: 4, pollSeconds: 1, minFileAgeSeconds: 0 }));
const folders = ids.map((id) => partnerFolders(sshd.root, id));
const workers: WorkerProcess[] = [0, 1, 2].map(() => spawnWorker(db.url, profiles));
const started = performance.now();
const events: string[] = [];
const at = () => `${((performance.now() - started) / 1000).toFixed(1)}s`;

// drop the files in 10 waves while the faults strike in between
const waves = 10;
const faults: Array<() => Promise<void>> = [];
for (let k = 0; k < kills; k++) {
  faults.push(async () => {
    const i = k % workers.length;
    const victim = workers[i]!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    workers[i] = spawnWorker(db.url, profiles);
    events.push(`${at()} kill -9 gateway ${victim.child.pid}, restarted as ${workers[i]!.child.pid}`);
  });
}
for (let r = 0; r < restarts; r++) {
  faults.push(async () => {
    await sshd.restart();
    events.push(`${at()} sshd restarted (live sessions killed)`);
  });
}
// interleave: kill, restart, kill, restart, kill ...
const order = faults.map((f, i) => ({ f, key: i < kills ? i * 2 : (i - kills) * 2 + 1 })).sort((a, b) => a.key - b.key).map((x) => x.f);
let n = 0;
for (let w = 0; w < waves; w++) {
  const count = Math.floor(files / waves) + (w < files % waves ? 1 : 0);
  for (let i = 0; i < count; i++, n++) dropFile(folders[n % partnerCount]!.inbox, `chaos-${n}.x12`, invoiceInterchange(700_000 + n));
  await sleep(600);
  const fault = order[w];
  if (fault) await fault();
}
events.push(`${at()} all ${n} files dropped`);

let ok = true;
try {
  await waitUntil('the inboxes to empty and every file to be stored', async () => {
    const left = folders.reduce((s, f) => s + readdirSync(f.inbox).length, 0);
    const r = await env.pool.query(`select count(*)::int as n from documents`);
    return left === 0 && r.rows[0].n === files;
  }, 120_000);
} catch (err) {
  ok = false;
  events.push(`${at()} ${(err as Error).message}`);
}
events.push(`${at()} done`);
for (const w of workers) w.child.kill('SIGTERM');
await Promise.all(workers.map((w) => w.exited));

const inv = await checkInvariants(env.pool, folders);
const perFile = await env.pool.query(`select count(distinct remote_path)::int as paths, count(*)::int as docs from documents`);
const jobs = await env.pool.query(`select count(*)::int as n from pgboss.job where name = 'document.parse'`);
const unmoved = await env.pool.query(`select count(*)::int as n from sftp_files where document_id is not null and moved_at is null`);
const result = {
  files, partners: partnerCount, gatewayKills: kills, sshdRestarts: restarts,
  seconds: +((performance.now() - started) / 1000).toFixed(1),
  documents: inv.documents, distinctRemotePaths: perFile.rows[0].paths, parseJobs: jobs.rows[0].n,
  storedTwice: inv.doubles.length, movedWithoutRow: inv.movedWithoutRow, leftInInboxes: inv.leftInInboxes.length, storedNotMoved: unmoved.rows[0].n,
};
ok &&= result.documents === files && result.distinctRemotePaths === files && result.parseJobs === files
  && result.storedTwice === 0 && result.movedWithoutRow === 0 && result.leftInInboxes === 0 && result.storedNotMoved === 0;
console.log(events.join('\n'));
console.log(JSON.stringify({ ...result, ok, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }, null, 2));
await env.close();
await db.close();
await sshd.dispose();
process.exit(ok ? 0 : 1);
