// The SFTP transport against a real OpenSSH server: pickup, stability, archive/delete, incomplete,
// empty and non-X12 files, hostile names, host-key pinning, credentials, leases and delivery.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { sshdAvailable, startSshd, freePort, type TestSshd } from './helpers/sshd.ts';
import { testDatabase } from './helpers/db.ts';
import { openSftpDb, sftpProfile, registryOf, invoiceInterchange, dropFile, checkInvariants, partnerFolders, waitUntil, type SftpDb } from './helpers/sftp-env.ts';
import { startSftpTransport, type SftpTransport } from '../src/transports/sftp/index.ts';
import { SftpConnections, backoffMs, endpointFromProfile, hostKeyMatches } from '../src/transports/sftp/connection.ts';
import { ingestFile } from '../src/transports/sftp/ingest-file.ts';
import { observeListing, seenFileFromRow } from '../src/transports/sftp/sql.ts';
import { createInboxLeases } from '../src/transports/sftp/lease.ts';
import { globToRegExp } from '../src/transports/sftp/poller.ts';
import { ta1OnQuarantine } from '../src/transports/sftp/quarantine-ta1.ts';
import { isGatewayError } from '../src/errors.ts';
import type { PartnerProfile } from '../translators/profile.ts';

const skip = sshdAvailable() ? false : 'sshd is not installed (apt-get install -y openssh-server)';
let sshd: TestSshd;
let db: SftpDb;

before(async () => {
  if (skip) return;
  sshd = await startSshd();
  db = await openSftpDb(await testDatabase('sftp_transport'));
});
after(async () => {
  await db?.close();
  await sshd?.dispose();
});

function transportFor(profiles: PartnerProfile[], extra: Partial<Parameters<typeof startSftpTransport>[0]> = {}): SftpTransport {
  // timers never fire in these tests (poll every hour); the test drives each poll with pollNow
  const slow = profiles.map((p) => ({ ...p, sftp: { ...p.sftp!, pollSeconds: 3600 } }));
  const t = startSftpTransport({ pool: db.pool, boss: db.boss, log: db.log, partners: registryOf(slow), connection: { retry: { attempts: 2, baseMs: 10 } }, ...extra });
  return t;
}

async function documentsOf(partnerId: string): Promise<Array<{ id: string; remote_path: string; raw: Buffer; state: string }>> {
  return (await db.pool.query(`select id, remote_path, raw, state from documents where partner_id = $1 and direction = 'inbound' order by id`, [partnerId])).rows;
}

test('a dropped file is stored once with its parse job, then archived', { skip }, async () => {
  const profile = sftpProfile('pickup', sshd);
  const folders = partnerFolders(sshd.root, 'pickup');
  const t = transportFor([profile]);
  try {
    const a = invoiceInterchange(101);
    dropFile(folders.inbox, 'inv-101.x12', a);
    dropFile(folders.inbox, 'inv-102.x12', invoiceInterchange(102));
    const first = await t.pollNow('pickup');
    assert.equal(first?.listed, 2);
    assert.equal(first?.stored ?? 0, 0, 'the first listing only notes the files');
    const second = await t.pollNow('pickup');
    assert.equal(second?.stored, 2);
    const docs = await documentsOf('pickup');
    assert.deepEqual(docs.map((d) => d.remote_path).sort(), [join(folders.inbox, 'inv-101.x12'), join(folders.inbox, 'inv-102.x12')]);
    assert.equal(docs.find((d) => d.remote_path.endsWith('inv-101.x12'))?.raw.toString(), a);
    assert.ok(docs.every((d) => d.state === 'input_received'));
    const jobs = await db.pool.query(`select data->>'documentId' as id from pgboss.job where name = 'document.parse'`);
    assert.deepEqual(jobs.rows.map((r) => r.id).sort(), docs.map((d) => d.id).sort());
    assert.deepEqual(readdirSync(folders.inbox), []);
    assert.deepEqual(readdirSync(folders.archive).sort(), ['inv-101.x12', 'inv-102.x12']);
    // the same name again later is a new file; the same bytes are a duplicate, archived beside the first
    dropFile(folders.inbox, 'inv-101.x12', a);
    await t.pollNow('pickup');
    const third = await t.pollNow('pickup');
    assert.equal(third?.duplicate, 1);
    assert.equal((await documentsOf('pickup')).length, 2);
    assert.equal(readdirSync(folders.archive).length, 3);
    const inv = await checkInvariants(db.pool, [folders]);
    assert.deepEqual(inv.doubles, []);
    assert.equal(inv.movedWithoutRow, 0);
  } finally {
    await t.stop();
  }
});

test('without an archive folder a stored file is deleted', { skip }, async () => {
  const profile = sftpProfile('deleter', sshd, { archive: undefined });
  const folders = partnerFolders(sshd.root, 'deleter');
  const t = transportFor([profile]);
  try {
    dropFile(folders.inbox, 'a.x12', invoiceInterchange(201));
    await t.pollNow('deleter');
    assert.equal((await t.pollNow('deleter'))?.stored, 1);
    assert.deepEqual(readdirSync(folders.inbox), []);
    const rows = await db.pool.query(`select moved_to from sftp_files where partner_id = 'deleter'`);
    assert.deepEqual(rows.rows, [{ moved_to: 'deleted' }]);
  } finally {
    await t.stop();
  }
});

test('a young file waits for the minimum age, and names outside the pattern are left alone', { skip }, async () => {
  const profile = sftpProfile('young', sshd, { minFileAgeSeconds: 3600, filePattern: '*.x12' });
  const folders = partnerFolders(sshd.root, 'young');
  const t = transportFor([profile]);
  try {
    dropFile(folders.inbox, 'fresh.x12', invoiceInterchange(301), 0);
    dropFile(folders.inbox, 'notes.txt', 'hello', 7200);
    dropFile(folders.inbox, 'old.x12', invoiceInterchange(302), 7200);
    await t.pollNow('young');
    const r = await t.pollNow('young');
    assert.equal(r?.listed, 2);
    assert.equal(r?.stored, 1);
    assert.deepEqual(readdirSync(folders.inbox).sort(), ['fresh.x12', 'notes.txt']);
  } finally {
    await t.stop();
  }
});

test('a file a slow writer is still appending to is never stored half', { skip }, async () => {
  const profile = sftpProfile('slow', sshd);
  const folders = partnerFolders(sshd.root, 'slow');
  const t = transportFor([profile]);
  try {
    const full = invoiceInterchange(401);
    const path = join(folders.inbox, 'growing.x12');
    writeFileSync(path, '');
    const step = 7;
    for (let i = 0; i < full.length; i += step) {
      appendFileSync(path, full.slice(i, i + step));
      await t.pollNow('slow');
      // a writer that pauses as long as two listings is what the completeness check is for
      await t.pollNow('slow');
    }
    await t.pollNow('slow');
    await t.pollNow('slow');
    const docs = await documentsOf('slow');
    assert.equal(docs.length, 1);
    assert.equal(docs[0]?.raw.toString(), full);
    assert.equal(docs[0]?.state, 'input_received');
  } finally {
    await t.stop();
  }
});

test('a file replaced between listing and download is not stored from the listing', { skip }, async () => {
  const profile = sftpProfile('replaced', sshd);
  const folders = partnerFolders(sshd.root, 'replaced');
  const connections = new SftpConnections({ log: db.log });
  try {
    const first = invoiceInterchange(501);
    dropFile(folders.inbox, 'r.x12', first, 60);
    const listed = (await db.pool.query(observeListing('replaced', [{ remotePath: join(folders.inbox, 'r.x12'), size: first.length, mtime: Math.floor(Date.now() / 1000) - 60 }]))).rows.map(seenFileFromRow)[0]!;
    // replaced by another file of the same size after the listing
    dropFile(folders.inbox, 'r.x12', invoiceInterchange(502), 30);
    const outcome = await connections.use('replaced', endpointFromProfile(profile), (s) => ingestFile({ pool: db.pool, boss: db.boss, log: db.log }, s, profile, { ...listed, seenBefore: true }));
    assert.equal(outcome, 'changed');
    assert.equal((await documentsOf('replaced')).length, 0);
    const t = transportFor([profile]);
    await t.pollNow('replaced');
    await t.pollNow('replaced');
    await t.stop();
    const docs = await documentsOf('replaced');
    assert.equal(docs.length, 1);
    assert.equal(docs[0]?.raw.toString(), invoiceInterchange(502));
  } finally {
    await connections.closeAll();
  }
});

test('empty, incomplete and non-X12 files are quarantined with an exception and left on the server; a readable ISA gets a TA1 023', { skip }, async () => {
  const profile = sftpProfile('quarantine', sshd, { quarantineMinutes: 0.001 });
  const folders = partnerFolders(sshd.root, 'quarantine');
  const t = transportFor([profile], { onQuarantine: ta1OnQuarantine({ isaQualifier: 'ZZ', isaId: 'EDIGATEWAY', gsId: 'EDIGATEWAY' }, db.boss) });
  try {
    dropFile(folders.inbox, 'empty.x12', '');
    dropFile(folders.inbox, 'cut.x12', invoiceInterchange(601).slice(0, 150));
    dropFile(folders.inbox, 'report.pdf', '%PDF-1.7 not an interchange');
    await t.pollNow('quarantine');
    await new Promise((r) => setTimeout(r, 100)); // the quarantine time is 60 ms here
    const r = await t.pollNow('quarantine');
    assert.equal(r?.quarantined, 3);
    const docs = await documentsOf('quarantine');
    assert.equal(docs.length, 3);
    assert.ok(docs.every((d) => d.state === 'input_quarantined'));
    const ex = await db.pool.query(`select reason_code, message from exceptions where partner_id = 'quarantine' order by reason_code`);
    assert.deepEqual(ex.rows.map((e) => e.reason_code), ['sftp-incomplete-file', 'sftp-incomplete-file', 'sftp-unrecognised-file']);
    const ta1 = await db.pool.query(`select o.raw, o.state, p.remote_path from documents o join documents p on p.id = o.parent_id where o.partner_id = 'quarantine' and o.doc_type = 'TA1'`);
    assert.equal(ta1.rowCount, 1, 'only the interchange with a readable ISA can be answered');
    assert.equal(ta1.rows[0].remote_path, join(folders.inbox, 'cut.x12'));
    assert.match(ta1.rows[0].raw.toString(), /TA1\*000000601\*260302\*1200\*R\*023/);
    const delivery = await db.pool.query(`select data from pgboss.job where name = 'delivery.send'`);
    assert.equal(delivery.rows[0]?.data.transport, 'sftp');
    assert.deepEqual(readdirSync(folders.inbox).sort(), ['cut.x12', 'empty.x12', 'report.pdf']);
    const again = await t.pollNow('quarantine');
    assert.equal(again?.quarantined ?? 0, 0, 'a quarantined file is not taken again');
    assert.equal((await documentsOf('quarantine')).length, 3);
  } finally {
    await t.stop();
  }
});

test('an incomplete X12 file waits in place until it is completed', { skip }, async () => {
  const profile = sftpProfile('incomplete', sshd);
  const folders = partnerFolders(sshd.root, 'incomplete');
  const t = transportFor([profile]);
  try {
    const full = invoiceInterchange(701);
    dropFile(folders.inbox, 'i.x12', full.slice(0, full.indexOf('IEA')), 60);
    await t.pollNow('incomplete');
    assert.equal((await t.pollNow('incomplete'))?.incomplete, 1);
    dropFile(folders.inbox, 'i.x12', full, 30);
    await t.pollNow('incomplete');
    assert.equal((await t.pollNow('incomplete'))?.stored, 1);
    assert.equal((await documentsOf('incomplete'))[0]?.raw.toString(), full);
  } finally {
    await t.stop();
  }
});

test('hostile file names are stored under their remote names and never become local paths; symlinks, folders and FIFOs are skipped', { skip }, async () => {
  const profile = sftpProfile('hostile', sshd);
  const folders = partnerFolders(sshd.root, 'hostile');
  const names = ['$(touch pwned).x12', 'a\nb.x12', 'x..x12', '-rf', '; rm -rf ~ ;', 'ünïcødé 🧾.x12', `${'x'.repeat(240)}.x12`, 'back\\slash', '%2e%2e%2fetc'];
  names.forEach((n, i) => dropFile(folders.inbox, n, invoiceInterchange(800 + i)));
  dropFile(folders.inbox, '..x12', invoiceInterchange(899)); // a dot name: temporary by convention
  symlinkSync('/etc/passwd', join(folders.inbox, 'link.x12'));
  mkdirSync(join(folders.inbox, 'folder.x12'));
  execFileSync('mkfifo', [join(folders.inbox, 'pipe.x12')]);
  const cwdBefore = readdirSync(process.cwd()).sort();
  const t = transportFor([profile]);
  try {
    await t.pollNow('hostile');
    const r = await t.pollNow('hostile');
    assert.equal(r?.stored, names.length);
    const docs = await documentsOf('hostile');
    assert.deepEqual(docs.map((d) => d.remote_path).sort(), names.map((n) => join(folders.inbox, n)).sort());
    assert.deepEqual(readdirSync(folders.inbox).sort(), ['..x12', 'folder.x12', 'link.x12', 'pipe.x12']);
    assert.deepEqual(readdirSync(folders.archive).sort(), [...names].sort());
    assert.deepEqual(readdirSync(process.cwd()).sort(), cwdBefore);
    assert.equal(existsSync('pwned'), false);
  } finally {
    await t.stop();
  }
});

test('a server whose host key is not the pinned one is refused without retrying', { skip }, async () => {
  const wrong = sftpProfile('wrongkey', sshd, { hostKeySha256: 'SHA256:' + 'A'.repeat(43) });
  const connections = new SftpConnections({ log: db.log, retry: { attempts: 5, baseMs: 1 } });
  try {
    await assert.rejects(connections.use('wrongkey', endpointFromProfile(wrong), async () => 'never'), (err: unknown) => {
      assert.ok(isGatewayError(err));
      assert.equal(err.code, 'sftp-host-key-mismatch');
      assert.equal(err.retryable, false);
      return true;
    });
  } finally {
    await connections.closeAll();
  }
});

test('bad credentials fail for good; an unreachable server fails after backoff, retryable', { skip }, async () => {
  const stranger = sftpProfile('stranger', sshd, { privateKeyFile: sshd.strangerKeyFile });
  const sleeps: number[] = [];
  const connections = new SftpConnections({ log: db.log, retry: { attempts: 4, baseMs: 100, maxMs: 1000 }, sleep: async (ms) => { sleeps.push(ms); } });
  try {
    await assert.rejects(connections.use('stranger', endpointFromProfile(stranger), async () => 'never'), (err: unknown) => {
      assert.ok(isGatewayError(err));
      assert.equal(err.code, 'sftp-auth-failed');
      assert.equal(err.retryable, false);
      return true;
    });
    assert.deepEqual(sleeps, []);
    const closed = sftpProfile('closed', sshd, { port: await freePort() });
    await assert.rejects(connections.use('closed', endpointFromProfile(closed), async () => 'never'), (err: unknown) => {
      assert.ok(isGatewayError(err));
      assert.equal(err.code, 'sftp-connect-failed');
      assert.equal(err.retryable, true);
      return true;
    });
    assert.equal(sleeps.length, 3);
    sleeps.forEach((ms, i) => assert.ok(ms >= 0 && ms < 100 * 2 ** i, `wait ${i} within its backoff cap`));
  } finally {
    await connections.closeAll();
  }
});

test('backoff is full jitter under an exponential cap; fingerprints compare with or without the prefix', () => {
  const policy = { attempts: 5, baseMs: 100, maxMs: 1000 };
  assert.equal(backoffMs(0, policy, () => 0.999), 99);
  assert.equal(backoffMs(3, policy, () => 0.5), 400);
  assert.equal(backoffMs(10, policy, () => 0.999), 999);
  const key = Buffer.from('key');
  const real = createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
  assert.ok(hostKeyMatches(key, real));
  assert.ok(hostKeyMatches(key, `SHA256:${real}`));
  assert.ok(!hostKeyMatches(Buffer.from('other'), real));
  assert.ok(globToRegExp('*.x12').test('a.x12'));
  assert.ok(!globToRegExp('*.x12').test('a.x12.tmp'));
  assert.ok(globToRegExp('INV??.*').test('INV01.edi'));
});

test('an inbox lease is held by one holder at a time and lost with its connection', { skip }, async () => {
  const a = createInboxLeases(db.pool, db.log);
  const b = createInboxLeases(db.pool, db.log);
  try {
    assert.equal(await a.tryAcquire('lease-p'), true);
    assert.equal(await b.tryAcquire('lease-p'), false);
    assert.equal(await b.tryAcquire('lease-q'), true);
    await a.close();
    assert.equal(await b.tryAcquire('lease-p'), true);
    await b.release('lease-p');
    assert.equal(b.holds('lease-p'), false);
  } finally {
    await a.close();
    await b.close();
  }
});

test('delivery writes a temporary name then renames; a repeat is delivered; other content is a conflict', { skip }, async () => {
  const profile = sftpProfile('outbound', sshd);
  const folders = partnerFolders(sshd.root, 'outbound');
  const t = transportFor([profile]);
  try {
    const bytes = Buffer.from(invoiceInterchange(901));
    // a temporary file left by a crashed attempt is simply overwritten
    writeFileSync(join(folders.outbox, '.po-901.x12.part'), 'half');
    assert.deepEqual(await t.outbound.deliver(profile, { documentId: '1', name: 'po-901.x12', bytes }), { remoteRef: join(folders.outbox, 'po-901.x12') });
    assert.deepEqual(readdirSync(folders.outbox), ['po-901.x12']);
    assert.deepEqual(readFileSync(join(folders.outbox, 'po-901.x12')), bytes);
    assert.deepEqual(await t.outbound.deliver(profile, { documentId: '1', name: 'po-901.x12', bytes }), { remoteRef: join(folders.outbox, 'po-901.x12') });
    await assert.rejects(t.outbound.deliver(profile, { documentId: '2', name: 'po-901.x12', bytes: Buffer.from('other') }), (err: unknown) => {
      assert.ok(isGatewayError(err));
      assert.equal(err.code, 'sftp-target-conflict');
      assert.equal(err.retryable, false);
      return true;
    });
    await assert.rejects(t.outbound.deliver(profile, { documentId: '3', name: '../escape.x12', bytes }), /cannot be a remote file name/);
    const missing = { ...profile, sftp: { ...profile.sftp!, outbox: join(folders.outbox, 'no-such-folder') } };
    await assert.rejects(t.outbound.deliver(missing, { documentId: '4', name: 'x.x12', bytes }), (err: unknown) => isGatewayError(err) && err.code === 'sftp-upload-failed');
  } finally {
    await t.stop();
  }
});

test('connections are bounded: a partner waits for a free slot, then the idle connection is replaced', { skip }, async () => {
  const one = sftpProfile('bound-one', sshd);
  const two = sftpProfile('bound-two', sshd);
  const connections = new SftpConnections({ log: db.log, maxConnections: 1 });
  try {
    let release: (() => void) | undefined;
    const holding = connections.use('bound-one', endpointFromProfile(one), () => new Promise<string>((r) => { release = () => r('one'); }));
    await waitUntil('the first connection to be in use', () => release !== undefined);
    const waiting = connections.use('bound-two', endpointFromProfile(two), async (s) => (await s.list(two.sftp!.inbox)).length);
    assert.equal(connections.openCount, 1);
    release!();
    assert.equal(await holding, 'one');
    assert.equal(await waiting, 0);
    assert.equal(connections.openCount, 1);
  } finally {
    await connections.closeAll();
  }
});
