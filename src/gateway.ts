/**
 * Builds and runs the whole gateway: config → database → queue → workers → transports → HTTP.
 * HTTP answers /healthz at once; the rest waits for Postgres, retrying with backoff, so the gateway
 * starts while the database is still down and begins work when it comes up.
 * stop(): stops intake, lets in-flight jobs finish (or fail back for retry) within the timeout,
 * closes HTTP after in-flight requests, and stops the embedded Postgres.
 */
import type { Server } from 'node:http';
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import type { Logger } from './log.ts';
import { createPool } from './db/pool.ts';
import { migrate } from './db/migrate.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { loadPartners, type PartnerRegistry } from './partners/registry.ts';
import { recordPartnerStarts } from './store/partner-start.ts';
import { createBoss } from './pipeline/boss.ts';
import { createQueues, POLICIES, SCHEDULES, type QueueName, type QueuePolicy } from './pipeline/queues.ts';
import { startWorkers, type Handlers, type WorkerSet } from './pipeline/workers.ts';
import { createApp } from './http/app.ts';
import { createOdooClient } from './odoo/client.ts';

/** Something that runs beside the workers once the gateway is ready (an SFTP poller, a cron), and stops first. */
export interface Component {
  name: string;
  start(ctx: AppContext): Promise<void>;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  config: Config;
  log: Logger;
  handlers: Handlers;
  components?: Component[];
  partners?: PartnerRegistry;
  /** listen for HTTP (default true) */
  http?: boolean;
  /** retry policies of the queues (default POLICIES) */
  policies?: Record<QueueName, QueuePolicy>;
}

export interface RunningGateway {
  ctx: AppContext;
  server?: Server;
  /** resolves once migrations ran and workers run */
  ready: Promise<void>;
  stop(): Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, log } = options;
  const partners = options.partners ?? loadPartners(config.partnersDir);
  log.info({ partners: partners.all().map((p) => ({ id: p.id, enabled: p.enabled })) }, 'partner profiles loaded');

  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: `${config.dataDir}/pg`, log: (m) => log.info(m) });
    url = embedded.url;
  }
  // each running odoo.apply job holds a connection for its locks (src/db/advisory-locks.ts)
  const pool: pg.Pool = createPool(url, { max: 10 + config.odooApplyConcurrency });
  const newBoss = (): PgBoss => createBoss({ connectionString: url!, schema: config.bossSchema, log });
  let isReady = false;
  let workers: WorkerSet | undefined;
  const ctx: AppContext = {
    config, pool, boss: newBoss(), log, partners,
    wake: (queue) => workers?.wake(queue),
    ready: () => isReady,
    outbound: {},
    odoo: config.odoo ? createOdooClient(config.odoo) : undefined,
  };

  let server: Server | undefined;
  if (options.http !== false) {
    const app = createApp(ctx);
    server = app.listen(config.port, config.host);
    await new Promise<void>((resolve, reject) => {
      server!.once('listening', resolve);
      server!.once('error', reject);
    });
    server.keepAliveTimeout = 5000;
    const addr = server.address();
    log.info({ port: typeof addr === 'object' && addr ? addr.port : config.port }, 'http listening');
  }

  const stopping = new AbortController();
  const started: Component[] = [];
  const ready = (async () => {
    for (let attempt = 0; !stopping.signal.aborted; attempt++) {
      try {
        await migrate(pool, { log: (m, extra) => log.info(extra ?? {}, m) });
        await recordPartnerStarts(pool, partners.all().map((p) => p.id));
        await ctx.boss.start();
        await createQueues(ctx.boss, options.policies ?? POLICIES);
        for (const s of SCHEDULES) if (options.handlers[s.queue]) await ctx.boss.schedule(s.queue, s.cron, {});
        workers = await startWorkers(ctx, options.handlers, { pollingIntervalSeconds: config.pollingIntervalSeconds, concurrency: { 'odoo.apply': config.odooApplyConcurrency } });
        for (const c of options.components ?? []) {
          await c.start(ctx);
          started.push(c);
        }
        isReady = true;
        log.info('gateway ready');
        return;
      } catch (err) {
        const delay = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
        log.warn({ err: { message: (err as Error).message, code: (err as { code?: string }).code }, retryInMs: Math.round(delay) }, 'database not ready, retrying');
        // pg-boss does not recover from a failed start: begin again with a fresh instance
        await ctx.boss.stop({ graceful: false, wait: true }).catch(() => undefined);
        ctx.boss = newBoss();
        await sleep(delay, stopping.signal);
      }
    }
  })();

  let stopped: Promise<void> | undefined;
  const timeoutMs = config.shutdownTimeoutSeconds * 1000;
  /** one step of the stop, bounded: a step that hangs (a stuck connection) is logged and passed over */
  const step = async (what: string, work: Promise<unknown>): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), timeoutMs); });
    const outcome = await Promise.race([work.then(() => 'done' as const, (err: unknown) => {
      log.error({ step: what, err: { message: (err as Error).message } }, 'stop step failed');
      return 'done' as const;
    }), late]);
    clearTimeout(timer);
    if (outcome === 'late') log.warn({ step: what, timeoutMs }, 'stop step did not finish in time: passed over');
  };
  const stop = () => {
    stopped ??= (async () => {
      log.info('stopping: intake first');
      stopping.abort();
      isReady = false;
      for (const c of started.reverse()) await step(`component ${c.name}`, c.stop());
      const closing = server ? new Promise<void>((resolve) => server!.close(() => resolve())) : Promise.resolve();
      server?.closeIdleConnections();
      await step('workers', workers?.stop() ?? Promise.resolve());
      // in-flight jobs get the timeout to finish; what does not finish fails back to the queue for retry
      await step('job queue', ctx.boss.stop({ graceful: true, wait: true, timeout: timeoutMs }));
      await step('http', closing);
      server?.closeAllConnections(); // what did not finish in time is cut
      await step('database pool', pool.end());
      if (embedded) await step('embedded postgres', embedded.stop());
      log.info('stopped');
    })();
    return stopped;
  };
  return { ctx, server, ready, stop };
}
