/**
 * Inbound X12 end to end: 855, 856 and 810 files (one interchange each, in that order per PO) go through
 * the running gateway (ingest → document.parse → odoo.apply → Odoo 19 simulator, 997s delivered to a
 * captured SFTP) and are timed per file from arrival (ingest committed) to its Odoo effect (the apply
 * job of its canonical child done). The simulator runs in a second process, so this process's CPU is
 * the gateway's own; the Odoo client is wrapped in a timing proxy so each handler's time splits into
 * "waiting on Odoo" and "our code" (translation, Postgres, pg-boss, logging).
 *
 *   npx tsx bench/odoo-pipeline.ts [--documents 1050] [--rate 2.5] [--idle 20] [--idle-pause-ms 1500]
 *     [--odoo-latency-ms 0] [--apply-concurrency 4] [--statements]
 *
 * Every PO is first exported through the gateway (850 to a captured SFTP, untimed), so each 855 answers
 * an order the gateway sent and resolves its expectations, as in production.
 * Phases: warm-up (one PO), steady (--documents files at --rate files/s; --rate 0 feeds as fast as
 * ingest goes), idle (--idle files one at a time, each after the previous one was applied and a pause,
 * so a job that waits for pg-boss polling shows). Reference in the same run: a bare Odoo call
 * (search_read of one PO), a bare Postgres round trip and durable commit, and a bare translation of
 * the same files, in this process. The simulator snapshots its whole database on every call, so its
 * answers slow down as the run fills it: keep --rate under the printed applyWorkerBoundFilesPerSecond.
 * Uses DATABASE_URL's server (a scratch database is made and dropped), or an embedded PostgreSQL.
 * Goal: our overhead < 5 ms per file; arrival → Odoo effect p50 < 1 s, p99 < 5 s on an idle gateway.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startGateway, type Component } from '../src/gateway.ts';
import { defaultHandlers } from '../src/pipeline/handlers.ts';
import type { Handlers, JobHandler } from '../src/pipeline/workers.ts';
import type { QueueName } from '../src/pipeline/queues.ts';
import { isTransient } from '../src/errors.ts';
import { ingestDocument } from '../src/pipeline/ingest.ts';
import { queueExport } from '../src/pipeline/poll-orders.ts';
import { createOdooClient, type OdooClient } from '../src/odoo/client.ts';
import { translateDocument } from '../translators/index.ts';
import { interchange } from '../test/helpers/x12.ts';
import { benchDatabase } from '../test/helpers/sftp-bench-db.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The second process: the Odoo 19 simulator with the e2e scenario's vendor, products and first confirmed PO. */
async function simProcess(): Promise<void> {
  const { startScenario } = await import('../test/odoo-sim/scenario.ts');
  const s = await startScenario(19);
  // --odoo-latency-ms: every call answered that much later, as a real Odoo's server time would
  const latency = arg('odoo-latency-ms', 0);
  if (latency > 0) s.sim.delay(latency, {}, Number.MAX_SAFE_INTEGER);
  process.on('message', (m) => {
    if (m === 'stats') process.send!({ cpuMs: cpuMs(process.cpuUsage()), calls: s.sim.calls.length, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) });
  });
  process.on('disconnect', () => void s.sim.close().then(() => process.exit(0)));
  process.send!({ url: s.sim.url, poId: s.poId });
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

interface SimHandle { url: string; poId: number; child: ChildProcess; stats(): Promise<{ cpuMs: number; calls: number; peakRssMB: number }> }

async function startSimProcess(): Promise<SimHandle> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--sim', '--odoo-latency-ms', String(arg('odoo-latency-ms', 0))], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { url, poId } = await new Promise<{ url: string; poId: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; poId: number }));
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return {
    url, poId, child,
    stats: () => new Promise((resolve) => { child.once('message', (m) => resolve(m as never)); child.send('stats'); }),
  };
}

interface Po { id: number; name: string; lines: [number, number] }

/** `count` more confirmed POs like the scenario's first one (same vendor, same two products and quantities). */
async function seed(odoo: OdooClient, firstPoId: number, count: number): Promise<Po[]> {
  const [first] = await odoo.read('purchase.order', [firstPoId], ['name', 'partner_id', 'order_line']);
  const firstLines = first!.order_line as number[];
  const lines = await odoo.read('purchase.order.line', firstLines, ['product_id', 'product_qty', 'price_unit']);
  const vendorId = (first!.partner_id as [number, string])[0];
  const pos: Po[] = [{ id: firstPoId, name: String(first!.name), lines: [firstLines[0]!, firstLines[1]!] }];
  while (pos.length < count) {
    const id = await odoo.create('purchase.order', { partner_id: vendorId, origin: 'EDI-BENCH', date_planned: '2026-12-01 10:00:00',
      order_line: lines.map((l) => [0, 0, { product_id: (l.product_id as [number, string])[0], product_qty: l.product_qty, price_unit: l.price_unit, date_planned: '2026-12-01 10:00:00' }]) });
    await odoo.call('purchase.order', 'button_confirm', [id]);
    const [po] = await odoo.read('purchase.order', [id], ['name', 'order_line']);
    const ids = po!.order_line as number[];
    pos.push({ id, name: String(po!.name), lines: [ids[0]!, ids[1]!] });
  }
  return pos;
}

let isa13 = 100;
/** The supplier's three files for one PO: acknowledgement, ship notice with a lot, invoice. */
function filesFor(po: Po, n: number): Array<{ kind: string; raw: Buffer }> {
  const [l1, l2] = po.lines;
  const next = () => String(++isa13).padStart(9, '0');
  return [
    { kind: '855', raw: interchange({ sender: 'ACMESUP', isa13: next(), functionalId: 'PR', sets: [{ id: '855', segments: [
      `BAK*00*AC*${po.name}*20261123****SO-${n}*20261123`,
      `PO1*${l1}*10*EA*5**VN*V-SKU-1001`, 'ACK*IA*10*EA*068*20261203',
      `PO1*${l2}*5*EA*12**VN*V-SKU-2002`, 'ACK*IA*5*EA*068*20261203', 'CTT*2'] }] }) },
    { kind: '856', raw: interchange({ sender: 'ACMESUP', isa13: next(), functionalId: 'SH', sets: [{ id: '856', segments: [
      `BSN*00*ASN-${n}*20261124*1200`, 'HL*1**S', 'TD5**2*UPSN*M*UPS Ground', `REF*CN*1Z999AA1${String(n).padStart(10, '0')}`, 'DTM*011*20261124',
      'HL*2*1*O', `PRF*${po.name}`,
      'HL*3*2*I', `LIN*${l1}*VN*V-SKU-1001*LT*LOT-${n}`, 'SN1**10*EA', 'DTM*036*20281231',
      'HL*4*2*I', `LIN*${l2}*VN*V-SKU-2002`, 'SN1**5*EA', 'CTT*4'] }] }) },
    { kind: '810', raw: interchange({ sender: 'ACMESUP', isa13: next(), functionalId: 'IN', sets: [{ id: '810', segments: [
      `BIG*20261125*INV-${n}**${po.name}`, `REF*SI*ASN-${n}`,
      `IT1*${l1}*10*EA*5**VN*V-SKU-1001`, `IT1*${l2}*5*EA*12**VN*V-SKU-2002`, 'TDS*11000', 'CTT*2'] }] }) },
  ];
}

/** What happened to one file, by its correlation id (the file and its canonical child share it). */
interface Trace {
  kind: string;
  arrived: number;
  ingestMs: number;
  parseStart?: number;
  parseEnd?: number;
  applyStart?: number;
  applyEnd?: number;
  applyRuns: number;
  /** handler time (parse + apply + 997 delivery) and the part of it spent waiting on Odoo */
  handlerMs: number;
  odooMs: number;
  odooCalls: number;
  /** the part of our time spent waiting on Postgres, and its statements */
  pgMs: number;
  /** the part of pgMs spent taking the purchase order's lock (waiting for another document of the order) */
  lockMs: number;
  pgStatements: number;
  /** our time (handler minus Odoo waits) and Postgres statements, per queue */
  ours: Record<string, number>;
  statements: Record<string, number>;
  failed?: string;
}

interface JobTiming { odooMs: number; odooCalls: number; pgMs: number; pgStatements: number; lockMs?: number; queue?: string }
/** --statements: every statement sent inside a timed step, by step and name (or first words), with its time */
const statementsByStep = new Map<string, { count: number; ms: number }>();
const tallyStatements = process.argv.includes('--statements');
function statementName(arg: unknown): string {
  if (typeof arg === 'string') return arg.replace(/\s+/g, ' ').slice(0, 60);
  const q = arg as { name?: string; text?: string };
  return q.name ?? (q.text ?? '?').replace(/\s+/g, ' ').slice(0, 60);
}
const jobTiming = new AsyncLocalStorage<JobTiming>();
/** Postgres statements sent by this process (the gateway's pool and pg-boss's) */
let statements = 0;
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  const t = jobTiming.getStore();
  if (!t) return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
  const start = performance.now();
  t.pgStatements++;
  const name = tallyStatements ? `${t.queue ?? '?'} ${statementName(args[0])}` : '';
  const done = () => {
    const ms = performance.now() - start;
    t.pgMs += ms;
    // taking a purchase order's lock waits while another document of that order is applied (a burst)
    if ((args[0] as { name?: string } | undefined)?.name === 'advisory-locks.take') t.lockMs = (t.lockMs ?? 0) + ms;
    if (tallyStatements) { const e = statementsByStep.get(name) ?? { count: 0, ms: 0 }; e.count++; e.ms += ms; statementsByStep.set(name, e); }
  };
  // pg-pool passes a callback; the gateway's transactions await a promise
  const last = args.length - 1;
  const callback = args[last];
  if (typeof callback === 'function') args[last] = (...r: unknown[]) => { done(); return (callback as (...a: unknown[]) => unknown)(...r); };
  const result = (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
  return result instanceof Promise ? result.finally(done) : result;
} as typeof clientQuery;
const traces = new Map<string, Trace>();
let applied = 0;

/** Every OdooClient method timed into the running job's JobTiming. */
function timedOdoo(inner: OdooClient): OdooClient {
  return new Proxy(inner, {
    get(target, prop) {
      const v = Reflect.get(target, prop) as unknown;
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        const t = jobTiming.getStore();
        const start = performance.now();
        try {
          return await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          if (t) {
            t.odooMs += performance.now() - start;
            if (prop !== 'serverVersion') t.odooCalls++;
          }
        }
      };
    },
  });
}

/** The gateway's handlers, each run timed and its Odoo waits counted, against the file's trace. */
function timedHandlers(): Handlers {
  const handlers = defaultHandlers();
  const wrap = <Q extends QueueName>(queue: Q) => {
    const inner = handlers[queue] as JobHandler<Q>;
    handlers[queue] = (async (ctx, job) => {
      const trace = traces.get((job.data as { correlationId?: string }).correlationId ?? '');
      const timing: JobTiming = { odooMs: 0, odooCalls: 0, pgMs: 0, pgStatements: 0, queue };
      const start = performance.now();
      if (trace && queue === 'document.parse') trace.parseStart ??= start;
      if (trace && queue === 'odoo.apply') { trace.applyStart ??= start; trace.applyRuns++; }
      try {
        await jobTiming.run(timing, () => inner(ctx, job));
        if (trace && queue === 'document.parse') trace.parseEnd = performance.now();
        if (trace && queue === 'odoo.apply') { trace.applyEnd = performance.now(); applied++; }
      } catch (err) {
        if (trace && queue === 'odoo.apply' && !isTransient(err)) { trace.failed = (err as Error).message; applied++; }
        throw err;
      } finally {
        if (trace) {
          const ms = performance.now() - start;
          trace.ours[queue] = (trace.ours[queue] ?? 0) + ms - timing.odooMs;
          trace.handlerMs += ms;
          trace.odooMs += timing.odooMs;
          trace.odooCalls += timing.odooCalls;
          trace.pgMs += timing.pgMs;
          trace.lockMs += timing.lockMs ?? 0;
          trace.pgStatements += timing.pgStatements;
          trace.statements[queue] = (trace.statements[queue] ?? 0) + timing.pgStatements;
        }
      }
    }) as JobHandler<Q> as Handlers[Q];
  };
  wrap('document.parse');
  wrap('odoo.apply');
  wrap('delivery.send');
  return handlers;
}

function captureSftp(sent: { count: number }): Component {
  return {
    name: 'captured-sftp',
    start: async (ctx) => { ctx.outbound.sftp = { deliver: async (_p, file) => { sent.count++; return { remoteRef: file.name }; } }; },
    stop: async () => undefined,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function mean(values: number[]): number {
  return +(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)).toFixed(2);
}

function summary(values: number[]): { p50: number; p95: number; p99: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { p50: r(pct(s, 50)), p95: r(pct(s, 95)), p99: r(pct(s, 99)), max: r(s[s.length - 1] ?? NaN) };
}

async function main(): Promise<void> {
  const documents = arg('documents', 1050);
  const rate = arg('rate', 2.5);
  const idle = arg('idle', 20);
  const idlePauseMs = arg('idle-pause-ms', 1500);
  const deadline = Date.now() + arg('max-seconds', 900) * 1000;
  const poCount = Math.ceil(documents / 3) + Math.ceil(idle / 3) + 1;
  const load0 = loadavg();

  const sim = await startSimProcess();
  const seedClient = createOdooClient({ url: sim.url, db: 'edi_sim', username: 'admin', apiKey: 'sim-api-key', timeoutMs: 30_000 });
  const seedStart = performance.now();
  const pos = await seed(seedClient, sim.poId, poCount);
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const partnersDir = mkdtempSync(join(tmpdir(), 'bench-odoo-partners-'));
  // the e2e test's supplier, with receipts validated on the ship notice so the invoice finds the goods received
  writeFileSync(join(partnersDir, 'acme.json'), JSON.stringify({
    id: 'acme', name: 'ACME Supplies Inc.', enabled: true, formats: ['x12'],
    x12: { isaQualifier: 'ZZ', isaId: 'ACMESUP', gsId: 'ACMESUP', version: '004010', functionalAck: '997' },
    sftp: { host: '127.0.0.1', username: 'gateway', passwordEnv: 'BENCH_ACME_SFTP_PASSWORD', hostKeySha256: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU', inbox: '/out', outbox: '/in' },
    odoo: { vendorRef: 'ACME-001', priceTolerancePercent: 1, autoValidateReceipts: true },
  }));
  process.env.BENCH_ACME_SFTP_PASSWORD = 'not-used-delivery-is-captured';

  const db = await benchDatabase('odoo');
  const config = loadConfig({ PARTNERS_DIR: partnersDir, PORT: '0', HOST: '127.0.0.1', SHUTDOWN_TIMEOUT_SECONDS: '5', DATABASE_URL: db.url,
    ODOO_URL: sim.url, ODOO_DB: 'edi_sim', ODOO_USERNAME: 'admin', ODOO_API_KEY: 'sim-api-key', OUR_ISA_ID: 'EDIGATEWAY',
    ODOO_APPLY_CONCURRENCY: String(arg('apply-concurrency', 4)),
    ...(process.env.POLLING_INTERVAL_SECONDS ? { POLLING_INTERVAL_SECONDS: process.env.POLLING_INTERVAL_SECONDS } : {}) });
  // info-level logging as in production, serialized and dropped (the cost of pino stays in the figure)
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'info', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  const delivered = { count: 0 };
  const gw = await startGateway({ config, log, handlers: timedHandlers(), components: [captureSftp(delivered)], http: false });
  await gw.ready;
  gw.ctx.odoo = timedOdoo(gw.ctx.odoo!);

  // every PO goes out through the gateway first (orders.export → 850 → captured SFTP), not timed, so the
  // supplier's documents meet what a real order life has: an order row and the 997/855 expectations
  const exportStart = performance.now();
  for (const po of pos) await queueExport(gw.ctx, po.id, 'replay');
  for (;;) {
    const sent = await gw.ctx.pool.query<{ n: number }>('select count(*)::int as n from orders where sent_at is not null');
    if (sent.rows[0]!.n >= pos.length) break;
    if (performance.now() - exportStart > 300_000) throw new Error(`only ${sent.rows[0]!.n} of ${pos.length} orders were exported`);
    await sleep(100);
  }
  const exportSeconds = (performance.now() - exportStart) / 1000;

  const feed = async (kind: string, raw: Buffer): Promise<void> => {
    const timing: JobTiming = { odooMs: 0, odooCalls: 0, pgMs: 0, pgStatements: 0, queue: 'ingest' };
    const start = performance.now();
    const r = await jobTiming.run(timing, () => ingestDocument(gw.ctx, { partnerId: 'acme', format: 'x12', transport: 'sftp', raw }));
    const arrived = performance.now();
    traces.set(r.correlationId, { kind, arrived, ingestMs: arrived - start, applyRuns: 0, handlerMs: 0, odooMs: 0, odooCalls: 0, lockMs: 0,
      pgMs: timing.pgMs, pgStatements: timing.pgStatements, ours: {}, statements: { ingest: timing.pgStatements } });
  };
  const waitApplied = async (count: number, what: string): Promise<boolean> => {
    let last = applied;
    let lastProgress = Date.now();
    while (applied < count) {
      if (applied !== last) { last = applied; lastProgress = Date.now(); }
      if (Date.now() - lastProgress > 60_000 || Date.now() > deadline) {
        console.error(`# gave up waiting for ${what}: ${applied} of ${count} applied`);
        return false;
      }
      await sleep(20);
    }
    return true;
  };

  // warm-up: one PO's three files, not counted
  let poIndex = 0;
  for (const f of filesFor(pos[poIndex]!, poIndex)) await feed(f.kind, f.raw);
  poIndex++;
  await waitApplied(3, 'the warm-up');
  traces.clear();
  statementsByStep.clear();
  applied = 0;

  // steady phase
  const steadyFiles: Array<{ kind: string; raw: Buffer }> = [];
  while (steadyFiles.length < documents) { steadyFiles.push(...filesFor(pos[poIndex]!, poIndex)); poIndex++; }
  steadyFiles.length = documents;
  const cpu0 = process.cpuUsage();
  const statements0 = statements;
  const simCpu0 = (await sim.stats()).cpuMs;
  const t0 = performance.now();
  for (let k = 0; k < steadyFiles.length; k++) {
    if (rate > 0) { const due = t0 + (k * 1000) / rate; const wait = due - performance.now(); if (wait > 1) await sleep(wait); }
    await feed(steadyFiles[k]!.kind, steadyFiles[k]!.raw);
  }
  const fedSeconds = (performance.now() - t0) / 1000;
  const load1 = loadavg();
  const complete = await waitApplied(documents, 'the steady phase');
  const steadyTraces = [...traces.values()];
  const lastApplied = Math.max(...steadyTraces.map((t) => t.applyEnd ?? 0));
  const steadySeconds = (lastApplied - t0) / 1000;
  const steadyCpuMs = cpuMs(process.cpuUsage(cpu0));
  const steadyStatements = statements - statements0;
  const simCpuMs = (await sim.stats()).cpuMs - simCpu0;
  await sleep(500); // the last 997s go out
  const deliveredSteady = delivered.count;

  const steadyStatementsByStep = new Map(statementsByStep);
  statementsByStep.clear();
  // idle phase: one file at a time, after a pause, so pg-boss polling would show
  traces.clear();
  applied = 0;
  const idleFiles: Array<{ kind: string; raw: Buffer }> = [];
  while (idleFiles.length < idle) { idleFiles.push(...filesFor(pos[poIndex]!, poIndex)); poIndex++; }
  idleFiles.length = idle;
  for (const [k, f] of idleFiles.entries()) {
    await sleep(idlePauseMs + Math.random() * 1000);
    await feed(f.kind, f.raw);
    await waitApplied(k + 1, `idle file ${k + 1}`);
  }
  const idleTraces = [...traces.values()];

  // reference, same run: a bare Odoo round trip, a bare translation of the same files
  const bare: number[] = [];
  for (let i = 0; i < 200; i++) {
    const s = performance.now();
    await seedClient.search_read('purchase.order', [['name', '=', pos[i % pos.length]!.name]], ['name', 'state'], { limit: 1 });
    bare.push(performance.now() - s);
  }
  const roundTrip: number[] = [];
  for (let i = 0; i < 200; i++) {
    const s = performance.now();
    await gw.ctx.pool.query('select 1');
    roundTrip.push(performance.now() - s);
  }
  // a durable commit (one row, autocommit: the WAL flush each of our transactions pays)
  const commit: number[] = [];
  const refClient = await gw.ctx.pool.connect();
  await refClient.query('create table bench_commit (x int)');
  for (let i = 0; i < 200; i++) {
    const s = performance.now();
    await refClient.query('insert into bench_commit values ($1)', [i]);
    commit.push(performance.now() - s);
  }
  refClient.release();
  const tr0 = performance.now();
  for (const f of steadyFiles) translateDocument(f.raw);
  const translateMs = (performance.now() - tr0) / steadyFiles.length;

  const states = await gw.ctx.pool.query<{ state: string; n: number }>(
    `select state, count(*)::int as n from documents where parent_id is not null and direction = 'inbound' group by state order by state`);
  const simStats = await sim.stats();

  const report = (ts: Trace[]) => {
    const done = ts.filter((t) => t.applyEnd !== undefined);
    const ours = done.map((t) => t.handlerMs - t.odooMs + t.ingestMs);
    return {
      applied: done.length,
      failedForGood: ts.filter((t) => t.failed).length,
      retriedApplies: ts.filter((t) => t.applyRuns > 1).length,
      // one apply worker runs one job at a time: its mean job time bounds the files per second
      applyWorkerBoundFilesPerSecond: +(1000 / mean(done.map((t) => t.applyEnd! - t.applyStart!))).toFixed(1),
      arrivalToOdooEffectMs: summary(done.map((t) => t.applyEnd! - t.arrived)),
      hopsMs: {
        ingestCommit: summary(done.map((t) => t.ingestMs)),
        waitForParseWorker: summary(done.map((t) => t.parseStart! - t.arrived)),
        parse: summary(done.map((t) => t.parseEnd! - t.parseStart!)),
        waitForApplyWorker: summary(done.map((t) => t.applyStart! - t.parseEnd!)),
        apply: summary(done.map((t) => t.applyEnd! - t.applyStart!)),
      },
      perFileMs: {
        ourCode: summary(ours),
        ourCodeMean: +(ours.reduce((a, b) => a + b, 0) / Math.max(1, ours.length)).toFixed(2),
        waitingOnOdooMean: +(done.reduce((a, t) => a + t.odooMs, 0) / Math.max(1, done.length)).toFixed(2),
        odooCallsMean: +(done.reduce((a, t) => a + t.odooCalls, 0) / Math.max(1, done.length)).toFixed(1),
        ourCodeWaitingOnPostgresMean: mean(done.map((t) => t.pgMs)),
        ourCodeTakingTheOrderLockMean: mean(done.map((t) => t.lockMs)),
        postgresStatementsInHandlersMean: mean(done.map((t) => t.pgStatements)),
        ourCodeMeanByStep: {
          ingest: mean(done.map((t) => t.ingestMs)),
          ...Object.fromEntries(['document.parse', 'odoo.apply', 'delivery.send'].map((q) => [q, mean(done.map((t) => t.ours[q] ?? 0))])),
        },
        postgresStatementsMeanByStep: Object.fromEntries(['ingest', 'document.parse', 'odoo.apply', 'delivery.send'].map((q) => [q, mean(done.map((t) => t.statements[q] ?? 0))])),
      },
      byKind: Object.fromEntries(['855', '856', '810'].map((k) => {
        const d = done.filter((t) => t.kind === k);
        return [k, {
          arrivalToOdooEffectP50: summary(d.map((t) => t.applyEnd! - t.arrived)).p50,
          ourCodeMean: +(d.reduce((a, t) => a + t.handlerMs - t.odooMs + t.ingestMs, 0) / Math.max(1, d.length)).toFixed(2),
          odooMean: +(d.reduce((a, t) => a + t.odooMs, 0) / Math.max(1, d.length)).toFixed(2),
          odooCalls: +(d.reduce((a, t) => a + t.odooCalls, 0) / Math.max(1, d.length)).toFixed(1),
        }];
      })),
    };
  };

  console.log(JSON.stringify({
    setup: { documents, rateTarget: rate || 'as fast as ingest goes', idle, idlePauseMs, pollingIntervalSeconds: config.pollingIntervalSeconds,
      odooLatencyMs: arg('odoo-latency-ms', 0), applyConcurrency: config.odooApplyConcurrency,
      posSeeded: pos.length, seedSeconds: +seedSeconds.toFixed(1), posExportedSeconds: +exportSeconds.toFixed(1), loadavgBefore: load0.map((x) => +x.toFixed(2)), loadavgDuringSteady: load1.map((x) => +x.toFixed(2)) },
    steady: {
      complete,
      filesPerSecondFed: +(documents / fedSeconds).toFixed(1),
      filesPerSecondEndToEnd: +(steadyTraces.filter((t) => t.applyEnd).length / steadySeconds).toFixed(1),
      gatewayCpuMsPerFile: +(steadyCpuMs / documents).toFixed(2),
      postgresStatementsPerFile: +(steadyStatements / documents).toFixed(1),
      gatewayCpuPercentOfOneCore: Math.round((steadyCpuMs / 1000 / steadySeconds) * 100),
      odooSimCpuMsPerFile: +(simCpuMs / documents).toFixed(2),
      acksDelivered: deliveredSteady,
      ...report(steadyTraces),
    },
    idle: report(idleTraces),
    childStates: Object.fromEntries(states.rows.map((r) => [r.state, r.n])),
    ...(tallyStatements ? { statementsPerFile: Object.fromEntries(['steady', 'idle'].map((phase) => {
      const m = phase === 'steady' ? steadyStatementsByStep : statementsByStep;
      const files = phase === 'steady' ? documents : idle;
      return [phase, Object.fromEntries([...m].sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => [k, `${(v.count / files).toFixed(2)} x ${(v.ms / v.count).toFixed(2)} ms`]))];
    })) } : {}),
    reference: { bareOdooCallMs: summary(bare), barePostgresRoundTripMs: summary(roundTrip), barePostgresCommitMs: summary(commit), bareTranslateMsPerFile: +translateMs.toFixed(3) },
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    odooSim: { calls: simStats.calls, peakRssMB: simStats.peakRssMB },
    loadavgAfter: loadavg().map((x) => +x.toFixed(2)),
  }, null, 2));

  await gw.stop();
  await db.close();
  sim.child.disconnect();
}

if (process.argv[2] === '--sim') await simProcess();
else await main();
