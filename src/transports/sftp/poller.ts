/**
 * One poll of a partner's inbox: list it, keep regular files whose names match the pattern, record
 * the listing in Postgres, and take each file that is unchanged since an earlier listing and old
 * enough, a few at a time over the partner's one connection.
 *
 * Age: a file is old enough when its mtime is at least minFileAgeSeconds in the past by our clock, or
 * when it has been listed unchanged for that long (so a server clock running ahead cannot hold files
 * back for ever).
 */
import type { PartnerProfile } from '../../../translators/profile.ts';
import type { SftpSession, RemoteEntry } from './connection.ts';
import { ingestFile, joinRemote, type FileOutcome, type InboxDeps } from './ingest-file.ts';
import { observeListing, seenFileFromRow, type SeenFile } from './sql.ts';

export type PollReport = { listed: number; waiting: number; failed: number } & Partial<Record<FileOutcome, number>>;

/** `*` and `?` globs, matched against the whole name. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

/** A name the server listed that we may act on: never a path (a hostile listing is skipped). */
export function acceptableName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\0') && Buffer.byteLength(name) <= 1024;
}

export function candidates(entries: RemoteEntry[], pattern: string): RemoteEntry[] {
  const re = globToRegExp(pattern);
  // dot files are temporary names by convention (ours are `.name.part`)
  return entries.filter((e) => e.regular && acceptableName(e.name) && !e.name.startsWith('.') && re.test(e.name));
}

export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function oldEnough(file: SeenFile, minAgeSeconds: number, nowMs: number): boolean {
  return nowMs - file.mtime * 1000 >= minAgeSeconds * 1000 || file.seenForSeconds >= minAgeSeconds;
}

export async function pollInbox(deps: InboxDeps & { now?: () => number }, session: SftpSession, profile: PartnerProfile): Promise<PollReport> {
  const sftp = profile.sftp;
  if (!sftp) throw new Error(`partner ${profile.id} has no sftp section`);
  const entries = candidates(await session.list(sftp.inbox), sftp.filePattern ?? '*');
  const listing = entries.map((e) => ({ remotePath: joinRemote(sftp.inbox, e.name), size: e.size, mtime: e.mtime }));
  const { rows } = await deps.pool.query(observeListing(profile.id, listing));
  const seen = rows.map(seenFileFromRow);
  const now = (deps.now ?? Date.now)();
  const minAge = sftp.minFileAgeSeconds ?? 10;
  const due = seen.filter((f) => f.documentId !== null ? f.outcome !== 'quarantined' : f.seenBefore && oldEnough(f, minAge, now));
  const report: PollReport = { listed: seen.length, waiting: seen.length - due.length, failed: 0 };
  const outcomes = await mapLimit(due, sftp.concurrency ?? 2, async (file) => {
    try {
      return await ingestFile(deps, session, profile, file);
    } catch (err) {
      if (!session.alive) throw err;
      deps.log.warn({ partnerId: profile.id, remotePath: file.remotePath, err: (err as Error).message }, 'sftp file failed: left for the next poll');
      return 'failed' as const;
    }
  });
  for (const o of outcomes) {
    if (o === 'failed') report.failed++;
    else report[o] = (report[o] ?? 0) + 1;
  }
  return report;
}
