/**
 * A gateway process that runs only the SFTP transport, for the kill -9 and multi-process tests and
 * the chaos benchmark. Settings come from the environment:
 *   DATABASE_URL     the shared database (already migrated by the parent)
 *   SFTP_PROFILES    a JSON file holding the partner profiles
 *   SFTP_MODE        poll (default): poll every partner until SIGTERM; deliver: deliver every file of
 *                    SFTP_DELIVER_DIR to the first partner, then exit
 *   SFTP_CRASH_AT    after-download | after-commit | during-upload: SIGKILL ourselves at that point
 *   SFTP_CRASH_AFTER the occurrence of that point that kills (default 1)
 * Prints one JSON line per poll: { event: 'poll', pid, partnerId, startedAt, endedAt, report }.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PartnerProfile } from '../../translators/profile.ts';
import { startSftpTransport } from '../../src/transports/sftp/index.ts';
import type { SftpHooks } from '../../src/transports/sftp/ingest-file.ts';
import { openSftpDb, registryOf } from './sftp-env.ts';

function crashHooks(env: NodeJS.ProcessEnv): SftpHooks {
  const at = env.SFTP_CRASH_AT;
  if (!at) return {};
  let left = Number(env.SFTP_CRASH_AFTER ?? '1');
  const maybeDie = (): void => {
    if (--left <= 0) process.kill(process.pid, 'SIGKILL');
  };
  if (at === 'after-download') return { afterDownload: maybeDie };
  if (at === 'after-commit') return { afterCommit: maybeDie };
  if (at === 'during-upload') return { afterTempWritten: maybeDie };
  throw new Error(`SFTP_CRASH_AT=${at} is not a known fault point`);
}

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const profiles = JSON.parse(readFileSync(process.env.SFTP_PROFILES ?? '', 'utf8')) as PartnerProfile[];
const db = await openSftpDb(url, { migrate: false });
const transport = startSftpTransport({
  pool: db.pool,
  boss: db.boss,
  log: db.log,
  partners: registryOf(process.env.SFTP_MODE === 'deliver' ? [] : profiles),
  hooks: crashHooks(process.env),
  connection: { retry: { attempts: 6, baseMs: 100, maxMs: 2000 }, keepaliveIntervalMs: 1000, keepaliveCountMax: 3 },
  onPoll: (partnerId, report, startedAt) => {
    process.stdout.write(`${JSON.stringify({ event: 'poll', pid: process.pid, partnerId, startedAt, endedAt: Date.now(), report })}\n`);
  },
});

const stop = async (): Promise<void> => {
  await transport.stop();
  await db.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());

if (process.env.SFTP_MODE === 'deliver') {
  const dir = process.env.SFTP_DELIVER_DIR ?? '';
  const partner = profiles[0]!;
  for (const name of readdirSync(dir).sort()) {
    const result = await transport.outbound.deliver(partner, { documentId: name, name, bytes: readFileSync(join(dir, name)) });
    process.stdout.write(`${JSON.stringify({ event: 'delivered', name, remoteRef: result.remoteRef })}\n`);
  }
  await stop();
}
