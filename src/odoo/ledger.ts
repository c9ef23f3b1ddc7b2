/**
 * The effect ledger in Postgres: one Odoo record per business key, read before any write. One ledger
 * serves one job: what it read or recorded is remembered for the rest of the job, so a key is read once
 * (several at a time with load) and a recorded key is not read back.
 */
import type { Queryable } from '../db/pool.ts';
import type { EffectLedger } from './apply/types.ts';

type Entry = { model: string; id: number };

export function postgresLedger(db: Queryable, documentId?: string): EffectLedger {
  const known = new Map<string, Entry | undefined>();
  const load = async (keys: string[]): Promise<void> => {
    const missing = [...new Set(keys)].filter((k) => !known.has(k));
    if (missing.length === 0) return;
    const r = await db.query<{ key: string; model: string; odoo_id: number }>({
      name: 'odoo-effects.get', text: 'select key, model, odoo_id from odoo_effects where key = any($1::text[])', values: [missing],
    });
    for (const k of missing) known.set(k, undefined);
    for (const row of r.rows) known.set(row.key, { model: row.model, id: row.odoo_id });
  };
  const recordAll = async (entries: Array<{ key: string; model: string; id: number }>): Promise<void> => {
    if (entries.length === 0) return;
    await db.query({
      name: 'odoo-effects.record',
      text: `insert into odoo_effects (key, model, odoo_id, document_id)
             select key, model, odoo_id, $4::bigint from unnest($1::text[], $2::text[], $3::int[]) as e (key, model, odoo_id)
             on conflict (key) do nothing`,
      values: [entries.map((e) => e.key), entries.map((e) => e.model), entries.map((e) => e.id), documentId ?? null],
    });
    // the first record of a key stays: one recorded before (another run) wins, so forget what may differ
    for (const e of entries) if (!known.get(e.key)) known.delete(e.key);
  };
  return {
    load,
    async get(key) {
      await load([key]);
      return known.get(key);
    },
    record: (key, model, id) => recordAll([{ key, model, id }]),
    recordAll,
  };
}
