/** The effect ledger in Postgres: one Odoo record per business key, read before any write. */
import type { Queryable } from '../db/pool.ts';
import type { EffectLedger } from './apply/types.ts';

export function postgresLedger(db: Queryable, documentId?: string): EffectLedger {
  return {
    async get(key) {
      const r = await db.query<{ model: string; odoo_id: number }>('select model, odoo_id from odoo_effects where key = $1', [key]);
      const row = r.rows[0];
      return row ? { model: row.model, id: row.odoo_id } : undefined;
    },
    async record(key, model, id) {
      await db.query('insert into odoo_effects (key, model, odoo_id, document_id) values ($1, $2, $3, $4) on conflict (key) do nothing', [key, model, id, documentId ?? null]);
    },
  };
}
