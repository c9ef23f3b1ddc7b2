// Transfer faults between the gateway and OpenSSH, through a loopback fault proxy: a connection cut
// mid-download and mid-upload, a stalled connection, and the SFTP server restarted mid-transfer.
// After each, the next attempt finishes the work: one stored document with every byte, no temp file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sshdAvailable, startSshd, type TestSshd } from './helpers/sshd.ts';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy.ts';
import { testDatabase } from './helpers/db.ts';
import { openSftpDb, sftpProfile, registryOf, invoiceInterchange, dropFile, partnerFolders, type SftpDb } from './helpers/sftp-env.ts';
import { startSftpTransport, type SftpTransport } from '../src/transports/sftp/index.ts';
import { isGatewayError } from '../src/errors.ts';
import type { PartnerProfile } from '../translators/profile.ts';

const skip = sshdAvailable() ? false : 'sshd is not installed (apt-get install -y openssh-server)';
let sshd: TestSshd;
let proxy: FaultProxy;
let db: SftpDb;
// about 2 MB: long enough that a transfer is under way when the fault strikes
const big = invoiceInterchange(4242, 'SUPPLIER', 60_000);

before(async () => {
  if (skip) return;
  sshd = await startSshd();
  proxy = await startFaultProxy({ port: sshd.port });
  db = await openSftpDb(await testDatabase('sftp_faults'));
});
after(async () => {
  await db?.close();
  await proxy?.close();
  await sshd?.dispose();
});

function setup(id: string): { profile: PartnerProfile; transport: SftpTransport; inbox: string; outbox: string } {
  const profile = sftpProfile(id, { ...sshd, port: proxy.port }, { pollSeconds: 3600 });
  const folders = partnerFolders(sshd.root, id);
  const transport = startSftpTransport({
    pool: db.pool, boss: db.boss, log: db.log, partners: registryOf([profile]),
    connection: { retry: { attempts: 8, baseMs: 100, maxMs: 1000 }, keepaliveIntervalMs: 200, keepaliveCountMax: 2 },
  });
  return { profile, transport, inbox: folders.inbox, outbox: folders.outbox };
}

async function storedRaw(partnerId: string): Promise<Buffer[]> {
  return (await db.pool.query(`select raw from documents where partner_id = $1`, [partnerId])).rows.map((r) => r.raw);
}

function lostConnection(err: unknown): boolean {
  return isGatewayError(err) && err.retryable;
}

test('a connection cut mid-download: nothing stored, the next poll stores the whole file once', { skip }, async () => {
  const { transport, inbox } = setup('cut-down');
  try {
    dropFile(inbox, 'big.x12', big);
    await transport.pollNow('cut-down');
    proxy.onServerBytes(500_000, () => proxy.cut());
    await assert.rejects(transport.pollNow('cut-down'), lostConnection);
    assert.deepEqual(await storedRaw('cut-down'), []);
    assert.deepEqual(readdirSync(inbox), ['big.x12']);
    assert.equal((await transport.pollNow('cut-down'))?.stored, 1);
    const raw = await storedRaw('cut-down');
    assert.equal(raw.length, 1);
    assert.equal(raw[0]?.toString(), big);
    assert.deepEqual(readdirSync(inbox), []);
  } finally {
    await transport.stop();
  }
});

test('a stalled connection is detected by keepalive and abandoned; the next poll succeeds', { skip }, async () => {
  const { transport, inbox } = setup('stall');
  try {
    dropFile(inbox, 'big.x12', big);
    await transport.pollNow('stall');
    proxy.onServerBytes(300_000, () => proxy.setMode('stall'));
    await assert.rejects(transport.pollNow('stall'), lostConnection);
    proxy.setMode('pass');
    assert.equal((await transport.pollNow('stall'))?.stored, 1);
    assert.equal((await storedRaw('stall'))[0]?.toString(), big);
  } finally {
    proxy.setMode('pass');
    await transport.stop();
  }
});

test('the SFTP server restarted mid-transfer: the gateway reconnects with backoff and stores the file once', { skip }, async () => {
  const { transport, inbox } = setup('restart');
  try {
    dropFile(inbox, 'big.x12', big);
    await transport.pollNow('restart');
    let restarting: Promise<void> | undefined;
    proxy.onServerBytes(500_000, () => { restarting = sshd.restart(); });
    await assert.rejects(transport.pollNow('restart'), lostConnection);
    await restarting;
    assert.equal((await transport.pollNow('restart'))?.stored, 1);
    const raw = await storedRaw('restart');
    assert.equal(raw.length, 1);
    assert.equal(raw[0]?.toString(), big);
  } finally {
    await transport.stop();
  }
});

test('a connection cut mid-upload fails retryably; the retry delivers the same bytes under the final name only', { skip }, async () => {
  const { profile, transport, outbox } = setup('cut-up');
  try {
    const bytes = Buffer.from(big);
    await transport.outbound.deliver(profile, { documentId: '1', name: 'small.x12', bytes: Buffer.from(invoiceInterchange(1)) });
    proxy.onServerBytes(1_000, () => proxy.cut());
    await assert.rejects(transport.outbound.deliver(profile, { documentId: '2', name: 'po-big.x12', bytes }), lostConnection);
    assert.ok(!readdirSync(outbox).includes('po-big.x12'), 'a half upload is never under the final name');
    await transport.outbound.deliver(profile, { documentId: '2', name: 'po-big.x12', bytes });
    assert.deepEqual(readdirSync(outbox).sort(), ['po-big.x12', 'small.x12']);
    assert.deepEqual(readFileSync(join(outbox, 'po-big.x12')), bytes);
  } finally {
    await transport.stop();
  }
});
