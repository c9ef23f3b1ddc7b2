/**
 * A worker that finds work keeps taking jobs until its queue is empty: a backlog is not drained at
 * one job per polling interval (pg-boss otherwise waits the interval after every batch).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway, waitFor } from './helpers/gateway.ts';
import { functionalAckInterchange } from './helpers/x12.ts';
import { ingestDocument } from '../src/pipeline/ingest.ts';
import { withTransaction } from '../src/db/tx.ts';
import type { Handlers } from '../src/pipeline/workers.ts';

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
