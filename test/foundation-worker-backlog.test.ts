/**
 * A worker that finds work keeps taking jobs until its queue is empty: a backlog is not drained at
 * one job per polling interval (pg-boss otherwise waits the interval after every batch). A job run
 * past its expiry stops changing Odoo.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway, waitFor } from './helpers/gateway.ts';
import { functionalAckInterchange } from './helpers/x12.ts';
import { ingestDocument } from '../src/pipeline/ingest.ts';
import { withTransaction } from '../src/db/tx.ts';
import type { Handlers } from '../src/pipeline/workers.ts';
import { POLICIES } from '../src/pipeline/queues.ts';
import type { OdooClient } from '../src/odoo/client.ts';

test('five documents committed together are all parsed after one wake, without waiting for the next poll', async () => {
  const parsed: string[] = [];
  const handlers: Handlers = { 'document.parse': async (_ctx, job) => { parsed.push(job.data.documentId); } };
  // a polling interval far longer than the wait below: only the wake and the worker's own look-again can run the jobs
  const gw = await startTestGateway({ label: 'worker_backlog', handlers, env: { POLLING_INTERVAL_SECONDS: '60' } });
  await gw.ready;
  const ids = await withTransaction(gw.ctx.pool, async (client) => {
    const out: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const r = await ingestDocument(gw.ctx, { partnerId: 'medsurg-supply', format: 'x12', transport: 'cli', raw: functionalAckInterchange(String(700 + i).padStart(9, '0')) }, client);
      out.push(r.documentId);
    }
    return out;
  });
  gw.ctx.wake('document.parse');
  await waitFor(() => parsed.length === 5, 'all five parse jobs to run', 20_000);
  assert.deepEqual([...parsed].sort(), [...ids].sort());
});

test('a job run that nears its expiry makes no further Odoo call: its signal aborts and its Odoo client refuses; the retry does the work', { timeout: 60_000 }, async () => {
  const policies = { ...POLICIES, 'odoo.apply': { ...POLICIES['odoo.apply'], expireInSeconds: 7, retryDelay: 1, retryBackoff: false } };
  const runs: Array<{ attempt: number; aborted: boolean; odoo: string }> = [];
  const odooCalls: string[] = [];
  let attempt = 0;
  const handlers: Handlers = {
    'odoo.apply': async (ctx, job) => {
      const run = { attempt: ++attempt, aborted: false, odoo: '' };
      runs.push(run);
      // the first run hangs (a stuck Odoo call, say) past the abort 5 s before the 7 s expiry
      if (run.attempt === 1) await new Promise((r) => setTimeout(r, 3_000));
      run.aborted = job.signal.aborted;
      try {
        await ctx.odoo!.search_read('purchase.order', [], ['id']);
        run.odoo = 'called';
      } catch (err) {
        run.odoo = (err as { code?: string }).code ?? 'error';
        throw err;
      }
    },
  };
  const gw = await startTestGateway({ label: 'worker_expiry', handlers, policies });
  await gw.ready;
  gw.ctx.odoo = { search_read: async (model: string) => { odooCalls.push(model); return []; } } as unknown as OdooClient;
  await gw.ctx.boss.send('odoo.apply', { documentId: '0', correlationId: '00000000-0000-4000-8000-000000000099' });
  gw.ctx.wake('odoo.apply');
  await waitFor(() => runs.some((r) => r.odoo === 'called'), 'a run to reach Odoo', 30_000);
  assert.deepEqual(runs[0], { attempt: 1, aborted: true, odoo: 'job-expired' }, 'the late run is refused');
  assert.deepEqual(odooCalls, ['purchase.order'], 'only the retry reached Odoo');
});
