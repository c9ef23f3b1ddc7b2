// Gateway processes killed with SIGKILL at the worst moments, then restarted: every file stored
// exactly once, no remote file moved without its committed row, no temporary file left. And three
// gateway processes sharing one database and the same inboxes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshdAvailable, startSshd, type TestSshd } from './helpers/sshd.ts';
import { testDatabase } from './helpers/db.ts';
import { openSftpDb, sftpProfile, invoiceInterchange, dropFile, checkInvariants, partnerFolders, spawnWorker, waitUntil, type SftpDb } from './helpers/sftp-env.ts';

const skip = sshdAvailable() ? false : 'sshd is not installed (apt-get install -y openssh-server)';
let sshd: TestSshd;
let db: SftpDb;
let url: string;

before(async () => {
  if (skip) return;
  sshd = await startSshd();
  url = await testDatabase('sftp_crash');
  db = await openSftpDb(url);
});
after(async () => {
  await db?.close();
  await sshd?.dispose();
});

async function storedCount(partnerId: string): Promise<number> {
  const r = await db.pool.query(`select count(*)::int as n from documents where partner_id = $1`, [partnerId]);
  return r.rows[0].n;
}

for (const crashAt of ['after-download', 'after-commit'] as const) {
  test(`kill -9 ${crashAt}: the restarted gateway stores every file exactly once and empties the inbox`, { skip }, async () => {
    const id = `crash-${crashAt}`;
    const profile = sftpProfile(id, sshd, { concurrency: 1 });
    const folders = partnerFolders(sshd.root, id);
    const files = Array.from({ length: 5 }, (_, i) => dropFile(folders.inbox, `f${i}.x12`, invoiceInterchange(1000 + i + (crashAt === 'after-commit' ? 100 : 0))));
    const doomed = spawnWorker(url, [profile], { SFTP_CRASH_AT: crashAt, SFTP_CRASH_AFTER: '2' });
    const died = await doomed.exited;
    assert.equal(died.signal, 'SIGKILL', doomed.stderr());
    const rows = await db.pool.query(`select document_id, moved_at from sftp_files where partner_id = $1 and document_id is not null`, [id]);
    if (crashAt === 'after-download') {
      assert.equal(rows.rowCount, 1, 'the first file was stored; the second was downloaded, not stored');
    } else {
      assert.equal(rows.rowCount, 2, 'the second file was committed before the kill');
      assert.equal(rows.rows.filter((r) => r.moved_at === null).length, 1, 'and not moved');
    }
    assert.equal(readdirSync(folders.inbox).length, 4, 'only the first file was moved');
    const survivor = spawnWorker(url, [profile]);
    try {
      await waitUntil('the inbox to empty', () => readdirSync(folders.inbox).length === 0);
      await waitUntil('every file stored', async () => (await storedCount(id)) === files.length);
    } finally {
      survivor.child.kill('SIGTERM');
      await survivor.exited;
    }
    const inv = await checkInvariants(db.pool, [folders]);
    assert.deepEqual(inv.doubles, []);
    assert.equal(inv.movedWithoutRow, 0);
    assert.equal(await storedCount(id), files.length);
    assert.equal(readdirSync(folders.archive).length, files.length);
    const pending = await db.pool.query(`select count(*)::int as n from sftp_files where partner_id = $1 and moved_at is null`, [id]);
    assert.equal(pending.rows[0].n, 0);
  });
}

test('kill -9 during upload: the retry delivers the same bytes under the same names and leaves no temporary file', { skip }, async () => {
  const profile = sftpProfile('crash-upload', sshd);
  const folders = partnerFolders(sshd.root, 'crash-upload');
  const local = mkdtempSync(join(tmpdir(), 'sftp-out-'));
  try {
    for (let i = 0; i < 3; i++) writeFileSync(join(local, `po-${i}.x12`), invoiceInterchange(2000 + i));
    const doomed = spawnWorker(url, [profile], { SFTP_MODE: 'deliver', SFTP_DELIVER_DIR: local, SFTP_CRASH_AT: 'during-upload', SFTP_CRASH_AFTER: '2' });
    assert.equal((await doomed.exited).signal, 'SIGKILL');
    assert.deepEqual(readdirSync(folders.outbox).sort(), ['.po-1.x12.part', 'po-0.x12']);
    const retry = spawnWorker(url, [profile], { SFTP_MODE: 'deliver', SFTP_DELIVER_DIR: local });
    assert.equal((await retry.exited).code, 0, retry.stderr());
    assert.deepEqual(readdirSync(folders.outbox).sort(), ['po-0.x12', 'po-1.x12', 'po-2.x12']);
    for (const name of readdirSync(local)) assert.deepEqual(readFileSync(join(folders.outbox, name)), readFileSync(join(local, name)));
    assert.deepEqual((await checkInvariants(db.pool, [folders])).temporaryFiles, []);
  } finally {
    rmSync(local, { recursive: true, force: true });
  }
});

test('three gateway processes share the inboxes: each inbox polled by one process at a time, every file stored once', { skip }, async (t) => {
  const ids = ['multi-a', 'multi-b', 'multi-c'];
  const profiles = ids.map((id) => sftpProfile(id, sshd));
  const folders = ids.map((id) => partnerFolders(sshd.root, id));
  const workers = [0, 1, 2].map(() => spawnWorker(url, profiles));
  try {
    // a poll is reported only by the process that held the inbox's lease
    await waitUntil('every process to hold a lease', () => workers.every((w) => w.polls.length > 0));
    let n = 0;
    for (let round = 0; round < 6; round++) {
      folders.forEach((f, i) => {
        for (let k = 0; k < 8; k++) dropFile(f.inbox, `r${round}-${k}.x12`, invoiceInterchange(3000 + n++, ids[i]!.toUpperCase()));
      });
      await new Promise((r) => setTimeout(r, 500));
    }
    await waitUntil('all inboxes empty', () => folders.every((f) => readdirSync(f.inbox).length === 0));
    await waitUntil('every file stored', async () => {
      const r = await db.pool.query(`select count(*)::int as n from documents where partner_id = any($1)`, [ids]);
      return r.rows[0].n === n;
    });
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
  }
  const inv = await checkInvariants(db.pool, folders);
  assert.deepEqual(inv.doubles, []);
  assert.equal(inv.movedWithoutRow, 0);
  // polls of one inbox never overlap, whichever process ran them
  for (const id of ids) {
    const polls = workers.flatMap((w) => w.polls).filter((p) => p.partnerId === id).sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < polls.length; i++) {
      assert.ok(polls[i]!.startedAt >= polls[i - 1]!.endedAt, `polls of ${id} by ${polls[i - 1]!.pid} and ${polls[i]!.pid} overlap`);
    }
  }
  const storing = new Set(workers.flatMap((w) => w.polls).filter((p) => (p.report.stored ?? 0) > 0).map((p) => p.pid));
  t.diagnostic(`files were stored by ${storing.size} of the 3 processes`);
});
