/** What every apply function takes and returns, and the effect ledger that makes Odoo writes happen once. */
import type { Logger } from '../../log.ts';
import { GatewayError } from '../../errors.ts';
import type { OdooClient } from '../client.ts';

/** One Odoo record per business key, kept in Postgres by the gateway (an in-memory one for tests). */
export interface EffectLedger {
  get(key: string): Promise<{ model: string; id: number } | undefined>;
  record(key: string, model: string, id: number): Promise<void>;
}

export interface ApplyDeps { odoo: OdooClient; ledger: EffectLedger; log: Logger }
export interface ApplyException { reasonCode: string; message: string; detail?: unknown }
export interface Effect { key: string; model: string; id: number }
export interface ApplyOutcome { effects: Effect[]; exceptions: ApplyException[]; summary: string }

export class MemoryEffectLedger implements EffectLedger {
  readonly entries = new Map<string, { model: string; id: number }>();
  async get(key: string) { return this.entries.get(key); }
  async record(key: string, model: string, id: number) { if (!this.entries.has(key)) this.entries.set(key, { model, id }); }
}

/** A prerequisite is not in Odoo yet (PO not found, receipt not created, invoice before its ship notice): retry later. */
export function notReady(message: string, details?: unknown): GatewayError {
  return new GatewayError('odoo-not-ready', message, { retryable: true, status: 503, details });
}

/** Records an effect once, in the ledger and in the outcome. */
export async function recordEffect(deps: ApplyDeps, effects: Effect[], key: string, model: string, id: number): Promise<void> {
  await deps.ledger.record(key, model, id);
  effects.push({ key, model, id });
}
