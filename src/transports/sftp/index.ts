/**
 * The SFTP transport of a gateway process: a poll loop per enabled partner (each poll under the
 * partner's inbox lease, so several processes sharing one Postgres never poll one inbox at once),
 * and the outbound transport for delivery jobs. stop() is graceful: no new poll starts, the polls
 * under way finish, then connections and leases close.
 */
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { PartnerProfile } from '../../../translators/profile.ts';
import type { Logger } from '../../log.ts';
import type { AppContext } from '../../context.ts';
import type { Component } from '../../gateway.ts';
import type { QueueName } from '../../pipeline/queues.ts';
import { SftpConnections, endpointFromProfile, type ConnectionOptions } from './connection.ts';
import { createSftpTransport, type OutboundTransport } from './deliver.ts';
import type { InboxDeps, QuarantineListener, SftpHooks } from './ingest-file.ts';
import { createInboxLeases, type InboxLeases } from './lease.ts';
import { pollInbox, type PollReport } from './poller.ts';
import { ta1OnQuarantine } from './quarantine-ta1.ts';

export interface SftpTransportDeps {
  pool: pg.Pool;
  boss: PgBoss;
  log: Logger;
  partners: { all(): PartnerProfile[] };
  wake?: (queue: QueueName) => void;
  hooks?: SftpHooks;
  onQuarantine?: QuarantineListener;
  connection?: Omit<ConnectionOptions, 'log'>;
  env?: NodeJS.ProcessEnv;
  /** called after every poll with when it began (tests and benchmarks watch it) */
  onPoll?: (partnerId: string, report: PollReport, startedAt: number) => void;
}

export interface SftpTransport {
  outbound: OutboundTransport;
  connections: SftpConnections;
  /** polls one partner's inbox now, under its lease; undefined when another process holds the lease */
  pollNow(partnerId: string): Promise<PollReport | undefined>;
  /** stops polling; polls under way get graceMs to finish before their connections are closed */
  stop(graceMs?: number): Promise<void>;
}

export function sftpPartners(partners: { all(): PartnerProfile[] }): PartnerProfile[] {
  return partners.all().filter((p) => p.enabled && p.sftp && p.sftp.enabled !== false);
}

export function startSftpTransport(deps: SftpTransportDeps): SftpTransport {
  const log = deps.log.child({ component: 'sftp' });
  const connections = new SftpConnections({ log, ...deps.connection });
  const leases: InboxLeases = createInboxLeases(deps.pool, log);
  const inbox: InboxDeps = { pool: deps.pool, boss: deps.boss, log, wake: deps.wake, hooks: deps.hooks, onQuarantine: deps.onQuarantine };
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<PollReport | undefined>>();
  let stopping = false;

  const pollOnce = async (profile: PartnerProfile): Promise<PollReport | undefined> => {
    if (!(await leases.tryAcquire(profile.id))) return undefined;
    try {
      const startedAt = Date.now();
      const report = await connections.use(profile.id, endpointFromProfile(profile, deps.env), (session) => pollInbox(inbox, session, profile));
      log.debug({ partnerId: profile.id, ...report, ms: Date.now() - startedAt }, 'sftp inbox polled');
      deps.onPoll?.(profile.id, report, startedAt);
      return report;
    } finally {
      // released after each poll, so the inboxes spread over the processes that are alive
      await leases.release(profile.id);
    }
  };

  const pollNow = (partnerId: string): Promise<PollReport | undefined> => {
    const profile = sftpPartners(deps.partners).find((p) => p.id === partnerId);
    if (!profile) return Promise.reject(new Error(`no enabled SFTP partner ${partnerId}`));
    const already = running.get(partnerId);
    if (already) return already;
    const run = pollOnce(profile).finally(() => running.delete(partnerId));
    running.set(partnerId, run);
    return run;
  };

  const schedule = (profile: PartnerProfile, delayMs: number): void => {
    if (stopping) return;
    timers.set(profile.id, setTimeout(async () => {
      try {
        await pollNow(profile.id);
      } catch (err) {
        log.warn({ partnerId: profile.id, err: (err as Error).message, code: (err as { code?: string }).code }, 'sftp poll failed');
        await connections.drop(profile.id);
      }
      schedule(profile, (profile.sftp?.pollSeconds ?? 60) * 1000);
    }, delayMs));
  };

  for (const profile of sftpPartners(deps.partners)) schedule(profile, 0);
  log.info({ partners: sftpPartners(deps.partners).map((p) => p.id) }, 'sftp polling started');

  return {
    outbound: createSftpTransport({ connections, hooks: deps.hooks, env: deps.env }),
    connections,
    pollNow,
    async stop(graceMs = 10_000) {
      stopping = true;
      for (const t of timers.values()) clearTimeout(t);
      // polls under way get a moment to finish; closing the connections then fails what is left,
      // which the next poll (here or in another process) takes up again
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...running.values()]), new Promise((r) => { timer = setTimeout(r, graceMs); })]);
      clearTimeout(timer);
      await connections.closeAll();
      await Promise.allSettled([...running.values()]);
      await leases.close();
      log.info('sftp polling stopped');
    },
  };
}

/** The transport as a gateway component: polling starts once the gateway is ready and stops first. */
export function sftpComponent(options: Pick<SftpTransportDeps, 'hooks' | 'onQuarantine' | 'connection' | 'onPoll'> = {}): Component & { transport(): SftpTransport | undefined } {
  let running: SftpTransport | undefined;
  return {
    name: 'sftp',
    async start(ctx: AppContext) {
      running = startSftpTransport({
        onQuarantine: ta1OnQuarantine(ctx.config.ours, ctx.boss),
        ...options,
        pool: ctx.pool, boss: ctx.boss, log: ctx.log, partners: ctx.partners, wake: ctx.wake,
      });
      ctx.outbound.sftp = running.outbound;
    },
    async stop() {
      await running?.stop();
    },
    transport: () => running,
  };
}
