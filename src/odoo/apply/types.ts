/** What every apply function takes and returns, and the effect ledger that makes Odoo writes happen once. */
import type { Logger } from '../../log.ts';
import { GatewayError } from '../../errors.ts';
import type { OdooClient } from '../client.ts';

/** One Odoo record per business key, kept in Postgres by the gateway (an in-memory one for tests). */
export interface EffectLedger {
  get(key: string): Promise<{ model: string; id: number } | undefined>;
  /** Reads several keys at once, so the get calls that follow need no further round trip. */
  load(keys: string[]): Promise<void>;
  record(key: string, model: string, id: number): Promise<void>;
  /** Records several effects at once: only effects that no Odoo call between them depends on having been recorded. */
  recordAll(entries: Effect[]): Promise<void>;
}

export interface ApplyDeps {
  odoo: OdooClient;
  ledger: EffectLedger;
  log: Logger;
  /** check in Odoo what the ledger says was done, instead of trusting it (an operator's retry after reconciliation) */
  recheck?: boolean;
}
export interface ApplyException { reasonCode: string; message: string; detail?: unknown }
export interface Effect { key: string; model: string; id: number }
export interface ApplyOutcome { effects: Effect[]; exceptions: ApplyException[]; summary: string }

export class MemoryEffectLedger implements EffectLedger {
  readonly entries = new Map<string, { model: string; id: number }>();
  async get(key: string) { return this.entries.get(key); }
  async load() {}
  async record(key: string, model: string, id: number) { if (!this.entries.has(key)) this.entries.set(key, { model, id }); }
  async recordAll(entries: Effect[]) { for (const e of entries) await this.record(e.key, e.model, e.id); }
}

/** A prerequisite is not in Odoo yet (PO not found, receipt not created, invoice before its ship notice): retry later. */
export function notReady(message: string, details?: unknown): GatewayError {
  return new GatewayError('odoo-not-ready', message, { retryable: true, status: 503, details });
}

/** Records an effect once, in the ledger and in the outcome. */
export async function recordEffect(deps: ApplyDeps, effects: Effect[], key: string, model: string, id: number): Promise<void> {
  await recordEffects(deps, effects, [{ key, model, id }]);
}

/** Records effects once, in the ledger (one round trip) and in the outcome. */
export async function recordEffects(deps: ApplyDeps, effects: Effect[], entries: Effect[]): Promise<void> {
  await deps.ledger.recordAll(entries);
  effects.push(...entries);
}
