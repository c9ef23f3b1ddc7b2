/**
 * SFTP inbox throughput: N small 810 interchanges across P partner inboxes on a local OpenSSH server,
 * timed from the drop to every file stored-and-queued (and archived), with this process's CPU and
 * peak RSS. Reference in the same run: the same SFTP work (list, open/fstat/read/close, rename) with
 * no database, at the same concurrency: the floor set by the SFTP round trips.
 *   npx tsx bench/sftp-throughput.ts [files=2000] [partners=10]
 */
import { readdirSync } from 'node:fs';
import { startSshd } from '../test/helpers/sshd.ts';
import { benchDatabase } from '../test/helpers/sftp-bench-db.ts';
import { openSftpDb, sftpProfile, registryOf, invoiceInterchange, dropFile, partnerFolders } from '../test/helpers/sftp-env.ts';
import { startSftpTransport } from '../src/transports/sftp/index.ts';
import { SftpConnections, endpointFromProfile } from '../src/transports/sftp/connection.ts';
import { mapLimit, candidates } from '../src/transports/sftp/poller.ts';
import { joinRemote } from '../src/transports/sftp/ingest-file.ts';
import { createLogger } from '../src/log.ts';

const files = Number(process.argv[2] ?? 2000);
const partnerCount = Number(process.argv[3] ?? 10);
const concurrency = 8;
const sshd = await startSshd();
const db = await benchDatabase('sftp');
const env = await openSftpDb(db.url);
const ids = Array.from({ length: partnerCount }, (_, i) => `bench-${i}`);
const profiles = ids.map((id) => sftpProfile(id, sshd, { concurrency, pollSeconds: 1, minFileAgeSeconds: 0 }));
const folders = ids.map((id) => partnerFolders(sshd.root, id));

function drop(tag: string): void {
  for (let i = 0; i < files; i++) dropFile(folders[i % partnerCount]!.inbox, `${tag}-${i}.x12`, invoiceInterchange(i + (tag === 'gw' ? 500_000 : 0)));
}

// reference: the bare SFTP work per file, no database
drop('ref');
const log = createLogger({ level: 'silent' });
const conns = new SftpConnections({ log, maxConnections: partnerCount });
const refStart = performance.now();
await Promise.all(profiles.map((p) => conns.use(p.id, endpointFromProfile(p), async (s) => {
  const list = candidates(await s.list(p.sftp!.inbox), '*');
  await mapLimit(list, concurrency, async (e) => {
    const path = joinRemote(p.sftp!.inbox, e.name);
    await s.read(path, { size: e.size, mtime: e.mtime });
    await s.rename(path, joinRemote(p.sftp!.archive!, e.name));
  });
})));
const refSeconds = (performance.now() - refStart) / 1000;
await conns.closeAll();

// the gateway's transport
drop('gw');
const cpu0 = process.cpuUsage();
const rss0 = process.resourceUsage().maxRSS;
const t0 = performance.now();
const transport = startSftpTransport({
  pool: env.pool, boss: env.boss, log, partners: registryOf(profiles),
  connection: { maxConnections: partnerCount },
});
for (;;) {
  const r = await env.pool.query(`select count(*)::int as n from documents`);
  if (r.rows[0].n >= files) break;
  await new Promise((res) => setTimeout(res, 20));
}
const done = performance.now();
await transport.stop();
const cpu = process.cpuUsage(cpu0);
const jobs = await env.pool.query(`select count(*)::int as n from pgboss.job where name = 'document.parse'`);
const left = folders.reduce((n, f) => n + readdirSync(f.inbox).length, 0);
const total = (done - t0) / 1000;
// the stability rule needs a second listing one poll interval after the first: the work is from the first store to the last
const span = await env.pool.query(`select extract(epoch from max(created_at) - min(created_at))::float8 as s from documents`);
const working = Number(span.rows[0].s);
console.log(JSON.stringify({
  files, partners: partnerCount, concurrencyPerPartner: concurrency,
  gateway: {
    secondsDropToAllStored: +total.toFixed(2),
    filesPerSecondIncludingStabilityWait: Math.round(files / total),
    filesPerSecondFirstToLastStored: Math.round(files / working),
    cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
    cpuPercentOfOneCore: Math.round(((cpu.user + cpu.system) / 1e6 / total) * 100),
    peakRssMB: Math.round(Math.max(rss0, process.resourceUsage().maxRSS) / 1024),
    parseJobsQueued: jobs.rows[0].n,
    leftInInboxes: left,
  },
  reference: { bareSftpSeconds: +refSeconds.toFixed(2), bareSftpFilesPerSecond: Math.round(files / refSeconds) },
}, null, 2));
await env.close();
await db.close();
await sshd.dispose();
