// The SFTP transport inside the whole gateway: an invoice dropped in a partner's inbox is stored,
// parsed, and its 997 delivered to the partner's outbox as a delivery job; a delivery that keeps
// failing exhausts its retries and opens an exception.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshdAvailable, startSshd, type TestSshd } from './helpers/sshd.ts';
import { startTestGateway, waitFor, type TestGateway } from './helpers/gateway.ts';
import { sftpProfile, invoiceInterchange, dropFile, partnerFolders } from './helpers/sftp-env.ts';
import { sftpComponent } from '../src/transports/sftp/index.ts';
import { POLICIES } from '../src/pipeline/queues.ts';

const skip = sshdAvailable() ? false : 'sshd is not installed (apt-get install -y openssh-server)';
let sshd: TestSshd;
let gateway: TestGateway;
let partnersDir: string;

// started at the top level: startTestGateway registers its own after() hook, which must belong to the file
if (!skip) {
  sshd = await startSshd();
  partnersDir = mkdtempSync(join(tmpdir(), 'sftp-partners-'));
  const good = sftpProfile('sftp-supplier', sshd, { pollSeconds: 1, minFileAgeSeconds: 0 });
  good.x12 = { isaQualifier: 'ZZ', isaId: 'SFTPSUPPLIER', gsId: 'SFTPSUPPLIER', functionalAck: '997' };
  // its outbox does not exist: every delivery to it fails
  const broken = sftpProfile('sftp-broken', sshd, { pollSeconds: 1, minFileAgeSeconds: 0 });
  broken.x12 = { isaQualifier: 'ZZ', isaId: 'SFTPBROKEN', gsId: 'SFTPBROKEN', functionalAck: '997' };
  broken.sftp!.outbox = join(sshd.root, 'sftp-broken', 'no-such-outbox');
  for (const p of [good, broken]) writeFileSync(join(partnersDir, `${p.id}.json`), JSON.stringify(p));
  gateway = await startTestGateway({
    label: 'sftp_gateway',
    env: { PARTNERS_DIR: partnersDir, OUR_ISA_ID: 'EDIGATEWAY' },
    components: [sftpComponent()],
    policies: { ...POLICIES, 'delivery.send': { retryLimit: 1, retryDelay: 1, retryBackoff: false, expireInSeconds: 60 } },
  });
  await gateway.ready;
}
after(async () => {
  await gateway?.stop();
  await sshd?.dispose();
  if (partnersDir) rmSync(partnersDir, { recursive: true, force: true });
});

test('an invoice dropped in the inbox is stored, archived, and answered with a 997 in the outbox', { skip }, async () => {
  const folders = partnerFolders(sshd.root, 'sftp-supplier');
  dropFile(folders.inbox, 'inv-77.x12', invoiceInterchange(77, 'SFTPSUPPLIER'));
  const ack = await waitFor(() => readdirSync(folders.outbox).find((n) => n.startsWith('997_')), 'a 997 in the outbox');
  assert.deepEqual(readdirSync(folders.inbox), []);
  assert.deepEqual(readdirSync(folders.archive), ['inv-77.x12']);
  assert.match(readFileSync(join(folders.outbox, ack), 'latin1'), /AK1\*IN\*77/);
  assert.ok(!readdirSync(folders.outbox).some((n) => n.endsWith('.part')));
  // the upload comes first, then its record: the 997 is marked sent once it is in the outbox
  const sent = await waitFor(async () => {
    const r = await gateway.ctx.pool.query(`select state from documents where partner_id = 'sftp-supplier' and doc_type = '997'`);
    return r.rows[0]?.state === 'output_sent' ? r.rows : undefined;
  }, 'the 997 marked sent');
  assert.deepEqual(sent, [{ state: 'output_sent' }]);
});

test('a delivery that keeps failing exhausts its retries and opens an exception', { skip }, async () => {
  const folders = partnerFolders(sshd.root, 'sftp-broken');
  dropFile(folders.inbox, 'inv-78.x12', invoiceInterchange(78, 'SFTPBROKEN'));
  const ex = await waitFor(async () => {
    const r = await gateway.ctx.pool.query(`select reason_code, queue from exceptions where partner_id = 'sftp-broken' and queue = 'delivery.send'`);
    return r.rows[0];
  }, 'an exception for the failed delivery', 60_000);
  assert.equal(ex.reason_code, 'retries-exhausted');
});
