/**
 * Runs job handlers on pg-boss queues with one policy for failures:
 *  - a retryable error (network, database, Odoo not ready) is rethrown: pg-boss retries with backoff;
 *  - any other error opens an exception at once and marks the document failed (no pointless retries);
 *  - a job that exhausts its retries lands in the dead-letter queue, whose worker opens an exception.
 * A job whose run outlives its expiry is retried by pg-boss while the first run may still go on (pg-boss
 * 10 gives up waiting for it, nothing more): `signal` aborts a few seconds before the expiry, and from
 * then on the job's Odoo client refuses every call, so the late run changes nothing the retry does.
 */
import type PgBoss from 'pg-boss';
import type { AppContext } from '../context.ts';
import { isGatewayError, isTransient } from '../errors.ts';
import { documentLogger, type Logger } from '../log.ts';
import { openException } from '../store/exceptions.ts';
import { getDocument, setDocumentState } from '../store/documents.ts';
import { deadLetterOf, QUEUES, type JobPayloads, type QueueName } from './queues.ts';
import { abortableOdoo } from '../odoo/abortable.ts';

export interface JobContext<Q extends QueueName> {
  data: JobPayloads[Q];
  jobId: string;
  /** 1 on the first run; a retry (after a failure, an expiry or a crash) counts up */
  attempt: number;
  signal: AbortSignal;
  log: Logger;
}

export type JobHandler<Q extends QueueName> = (ctx: AppContext, job: JobContext<Q>) => Promise<void>;
export type Handlers = { [Q in QueueName]?: JobHandler<Q> };

/** The state a document takes when its job at this stage fails for good. */
const FAILED_STATE: Record<QueueName, string> = {
  'document.parse': 'input_failed',
  'odoo.apply': 'input_apply_failed',
  'delivery.send': 'output_failed',
  'orders.export': 'output_failed',
  'acks.check': 'input_failed',
  'orders.poll': 'input_failed',
  'orders.reconcile': 'input_failed',
};

function documentIdOf(data: unknown): string | undefined {
  const id = (data as { documentId?: unknown } | null)?.documentId;
  return typeof id === 'string' ? id : undefined;
}

async function fail(ctx: AppContext, queue: QueueName, job: { id: string; data: unknown }, err: unknown, attempts: number, reasonCode: string): Promise<void> {
  const documentId = documentIdOf(job.data);
  const doc = documentId ? await getDocument(ctx.pool, documentId) : undefined;
  const message = err instanceof Error ? err.message : String(err);
  await openException(ctx.pool, {
    documentId: doc?.id ?? null,
    partnerId: doc?.partnerId ?? (job.data as { partnerId?: string } | null)?.partnerId ?? null,
    queue,
    jobId: job.id,
    jobData: job.data,
    reasonCode,
    message,
    attempts,
    detail: isGatewayError(err) && err.details !== undefined ? { details: err.details as Record<string, unknown> } : {},
  });
  if (doc) await setDocumentState(ctx.pool, doc.id, FAILED_STATE[queue], { reason: reasonCode, detail: { queue, message, attempts } });
}

export interface WorkerSet {
  /** wakes an idle worker of the queue, if any (a busy one looks again as soon as it is done) */
  wake(queue: QueueName): void;
  stop(): Promise<void>;
}

export async function startWorkers(ctx: AppContext, handlers: Handlers,
  options: { pollingIntervalSeconds?: number; batchSize?: number; concurrency?: Partial<Record<QueueName, number>> } = {}): Promise<WorkerSet> {
  const boss = ctx.boss;
  const ids = new Map<QueueName, string[]>();
  const busy = new Set<string>();
  for (const queue of Object.values(QUEUES)) {
    const handler = handlers[queue] as JobHandler<QueueName> | undefined;
    if (!handler) continue;
    const workers: string[] = [];
    for (let n = 0; n < Math.max(1, options.concurrency?.[queue] ?? 1); n++) {
      // pg-boss waits a polling interval after every batch, even when it found jobs: a worker that found
      // some looks again at once, so a backlog drains at the handlers' pace, not one batch per interval
      let id = '';
      id = await boss.work(queue, { batchSize: options.batchSize ?? 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, includeMetadata: true },
        async (jobs: PgBoss.JobWithMetadata[]) => {
          if (jobs.length > 0) boss.notifyWorker(id);
          busy.add(id);
          try {
            for (const job of jobs) await runJob(ctx, queue, handler, job);
          } finally {
            busy.delete(id);
          }
        });
      workers.push(id);
    }
    ids.set(queue, workers);
    // exhausted retries: the job is in the dead-letter queue
    await boss.work(deadLetterOf(queue), { batchSize: 10, pollingIntervalSeconds: 5, includeMetadata: true }, async (jobs: PgBoss.JobWithMetadata[]) => {
      const policy = await boss.getQueue(queue);
      const attempts = (policy?.retryLimit ?? 0) + 1;
      for (const job of jobs) {
        const reason = (job.output as { message?: string } | null)?.message;
        await fail(ctx, queue, job, new Error(`failed ${attempts} times${reason ? `: ${reason}` : ''}; retries exhausted`), attempts, 'retries-exhausted');
        ctx.log.error({ queue, jobId: job.id, documentId: documentIdOf(job.data) }, 'job exhausted its retries: exception opened');
      }
    });
  }
  return {
    wake: (queue) => {
      const idle = ids.get(queue)?.find((id) => !busy.has(id));
      if (idle) boss.notifyWorker(idle);
    },
    stop: async () => {
      for (const queue of ids.keys()) await boss.offWork(queue).catch(() => undefined);
    },
  };
}

async function runJob(ctx: AppContext, queue: QueueName, handler: JobHandler<QueueName>, job: PgBoss.JobWithMetadata): Promise<void> {
  const data = job.data as JobPayloads[QueueName];
  const log = documentLogger(ctx.log, { documentId: documentIdOf(data), correlationId: (data as { correlationId?: string }).correlationId }).child({ queue, jobId: job.id, attempt: job.retryCount + 1 });
  const controller = new AbortController();
  const expireInSeconds = (job as unknown as { expireInSeconds?: number }).expireInSeconds ?? 900;
  // unref: a run abandoned at shutdown (its promise never settles) must not keep the process alive for minutes
  const expiry = setTimeout(() => controller.abort(), Math.max(1, expireInSeconds - EXPIRY_MARGIN_SECONDS) * 1000).unref();
  const jobCtx: AppContext = ctx.odoo ? { ...ctx, odoo: abortableOdoo(ctx.odoo, controller.signal) } : ctx;
  try {
    await handler(jobCtx, { data, jobId: job.id, attempt: job.retryCount + 1, signal: controller.signal, log });
  } catch (err) {
    if (isTransient(err)) {
      log.warn({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'job failed, will retry');
      throw err;
    }
    log.error({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'job failed for good: exception opened');
    await fail(ctx, queue, job, err, job.retryCount + 1, isGatewayError(err) ? err.code : 'unexpected-error');
  } finally {
    clearTimeout(expiry);
  }
}

/** How long before its expiry a job's signal aborts: its last Odoo call can still finish before pg-boss gives up on it. */
const EXPIRY_MARGIN_SECONDS = 5;
