/**
 * One inbox file, from the SFTP server into the gateway without loss or double:
 * download into memory (the handle's size and mtime must still be the listed ones, and the bytes read
 * must equal the listed size) → in one Postgres transaction store the bytes, queue the parse job and
 * record the file as stored → only after commit move it to the archive folder (or delete it) and
 * record the move. A crash anywhere makes the next poll finish the job: the row says what is left.
 * An X12 file whose interchange is not complete waits in place; after the quarantine time it is
 * stored as quarantined, an exception opens, and the remote file stays where it is.
 */
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { PartnerProfile } from '../../../translators/profile.ts';
import { interchangeCompleteness } from '../../../translators/x12/completeness.ts';
import { withTransaction } from '../../db/tx.ts';
import type { Logger } from '../../log.ts';
import { ingestDocument } from '../../pipeline/ingest.ts';
import { QUEUES, type QueueName } from '../../pipeline/queues.ts';
import { openException } from '../../store/exceptions.ts';
import type { SftpSession } from './connection.ts';
import { lockUnstored, recordMoved, recordStored, type SeenFile } from './sql.ts';

/** Test-only fault points (a kill -9 test passes hooks that end the process here). */
export interface SftpHooks {
  afterDownload?: (file: SeenFile) => void | Promise<void>;
  afterCommit?: (file: SeenFile) => void | Promise<void>;
  afterTempWritten?: (remotePath: string) => void | Promise<void>;
}

/** A stored file was quarantined: the place to answer with a TA1 023 where the profile asks for one. */
export type QuarantineListener = (event: { client: pg.PoolClient; profile: PartnerProfile; documentId: string; correlationId: string; reason: string; raw: Buffer }) => Promise<void>;

export interface InboxDeps {
  pool: pg.Pool;
  boss: PgBoss;
  log: Logger;
  wake?: (queue: QueueName) => void;
  hooks?: SftpHooks;
  onQuarantine?: QuarantineListener;
}

export type FileOutcome = 'stored' | 'duplicate' | 'quarantined' | 'moved' | 'changed' | 'incomplete' | 'taken-elsewhere';

type Verdict =
  | { kind: 'accept'; format: 'x12' | 'cxml' }
  | { kind: 'incomplete'; reason: string }
  | { kind: 'reject'; reason: string; code: string };

const BOM = [0xef, 0xbb, 0xbf];

/** What the bytes are: a complete interchange (or a cXML document), one still being written, or neither. */
export function classify(raw: Buffer, formats: ReadonlyArray<'x12' | 'cxml'>): Verdict {
  if (raw.length === 0) return { kind: 'incomplete', reason: 'the file is empty' };
  let start = raw[0] === BOM[0] && raw[1] === BOM[1] && raw[2] === BOM[2] ? 3 : 0;
  while (start < raw.length && (raw[start] === 0x20 || raw[start] === 0x0d || raw[start] === 0x0a || raw[start] === 0x09)) start++;
  const head = raw.subarray(start, start + 3).toString('latin1');
  if (head === 'ISA' && formats.includes('x12')) {
    const c = interchangeCompleteness(raw);
    return c.complete ? { kind: 'accept', format: 'x12' } : { kind: 'incomplete', reason: c.reason };
  }
  if (head.startsWith('<') && formats.includes('cxml')) return { kind: 'accept', format: 'cxml' };
  if (raw.length - start < 3 && 'ISA'.startsWith(head)) return { kind: 'incomplete', reason: 'the file holds only the start of an ISA segment' };
  return { kind: 'reject', code: 'sftp-unrecognised-file', reason: `the file is not ${formats.join(' or ')} (it starts with ${JSON.stringify(head)})` };
}

export function remoteName(remotePath: string): string {
  return remotePath.slice(remotePath.lastIndexOf('/') + 1);
}

export function joinRemote(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '') || ''}/${name}`;
}

/** Moves a stored file to the archive (never over an archived file of the same name) or deletes it. */
async function moveAway(deps: InboxDeps, session: SftpSession, profile: PartnerProfile, file: SeenFile, documentId: string): Promise<void> {
  const archive = profile.sftp?.archive;
  let movedTo = 'deleted';
  if (archive) {
    const name = remoteName(file.remotePath);
    movedTo = joinRemote(archive, name);
    try {
      await session.rename(file.remotePath, movedTo); // a plain SFTP rename never replaces the target
    } catch (err) {
      if (!(await session.stat(file.remotePath))) {
        movedTo = 'absent'; // gone meanwhile: moved by an earlier run whose record was lost
      } else if (await session.stat(movedTo)) {
        movedTo = joinRemote(archive, `${name}.${documentId}`); // an earlier file of the same name is archived
        await session.rename(file.remotePath, movedTo);
      } else {
        throw err;
      }
    }
  } else {
    await session.unlink(file.remotePath);
  }
  await deps.pool.query(recordMoved(file.id, movedTo));
}

/** Stores the bytes (and, when quarantined, the exception) with the file's row, in one transaction. */
async function store(deps: InboxDeps, profile: PartnerProfile, file: SeenFile, raw: Buffer, verdict: Verdict): Promise<{ documentId: string; outcome: 'stored' | 'duplicate' | 'quarantined' } | undefined> {
  const quarantine = verdict.kind !== 'accept';
  return withTransaction(deps.pool, async (client) => {
    if ((await client.query(lockUnstored(file.id))).rowCount === 0) return undefined;
    const result = await ingestDocument(deps, {
      partnerId: profile.id,
      format: verdict.kind === 'accept' ? verdict.format : 'x12',
      transport: 'sftp',
      raw,
      source: {
        remotePath: file.remotePath,
        remoteAddress: `${profile.sftp?.host}:${profile.sftp?.port ?? 22}`,
        remoteSize: file.size,
        remoteMtime: new Date(file.mtime * 1000).toISOString(),
        fileName: remoteName(file.remotePath),
      },
      state: quarantine ? 'input_quarantined' : 'input_received',
    }, client);
    const outcome = quarantine ? 'quarantined' : result.created ? 'stored' : 'duplicate';
    await client.query(recordStored(file.id, result.documentId, outcome));
    if (verdict.kind !== 'accept') {
      await openException(client, {
        documentId: result.documentId,
        partnerId: profile.id,
        reasonCode: verdict.kind === 'reject' ? verdict.code : 'sftp-incomplete-file',
        message: `${file.remotePath}: ${verdict.reason}; the file is left on the server`,
        detail: { remotePath: file.remotePath, size: file.size, mtime: file.mtime },
      });
      await deps.onQuarantine?.({ client, profile, documentId: result.documentId, correlationId: result.correlationId, reason: verdict.reason, raw });
    }
    return { documentId: result.documentId, outcome };
  });
}

export async function ingestFile(deps: InboxDeps, session: SftpSession, profile: PartnerProfile, file: SeenFile): Promise<FileOutcome> {
  const log = deps.log.child({ partnerId: profile.id, remotePath: file.remotePath });
  if (file.documentId !== null) {
    if (file.outcome === 'quarantined') return 'quarantined';
    await moveAway(deps, session, profile, file, file.documentId);
    log.info({ documentId: file.documentId }, 'sftp file stored earlier: moved now');
    return 'moved';
  }
  const got = await session.read(file.remotePath, { size: file.size, mtime: file.mtime });
  if (got.size !== file.size || got.mtime !== file.mtime || got.bytes.length !== file.size) {
    log.info({ listedSize: file.size, size: got.size, read: got.bytes.length }, 'sftp file changed since it was listed: left for the next poll');
    return 'changed';
  }
  await deps.hooks?.afterDownload?.(file);
  let verdict = classify(got.bytes, profile.formats);
  if (verdict.kind === 'incomplete') {
    const quarantineSeconds = (profile.sftp?.quarantineMinutes ?? 60) * 60;
    if (file.seenForSeconds < quarantineSeconds) {
      log.info({ reason: verdict.reason }, 'sftp file incomplete: left in place');
      return 'incomplete';
    }
    verdict = { kind: 'incomplete', reason: `${verdict.reason} (unchanged for ${Math.round(file.seenForSeconds)} s)` };
  }
  const stored = await store(deps, profile, file, got.bytes, verdict);
  if (!stored) return 'taken-elsewhere';
  await deps.hooks?.afterCommit?.(file);
  deps.wake?.(stored.outcome === 'quarantined' ? QUEUES.deliver : QUEUES.parse);
  log.info({ documentId: stored.documentId, outcome: stored.outcome, size: file.size }, 'sftp file stored');
  if (stored.outcome !== 'quarantined') await moveAway(deps, session, profile, file, stored.documentId);
  return stored.outcome;
}
