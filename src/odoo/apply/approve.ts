/**
 * The buyer approves what the supplier acknowledged for one PO line, that the acknowledgement left as
 * an exception (price or quantity changed beyond the profile's tolerance, backordered to a later date):
 * the Odoo line takes the acknowledged quantity, price and scheduled date (writeAcknowledgedLine, as an
 * acknowledgement within tolerance does), and the PO's chatter says who approved what. Business key: the exception. A PO changed in Odoo goes to the supplier as a change
 * order (the next revision), so what was agreed is what both sides hold.
 */
import type { OrderAckLine } from '../../../translators/types.ts';
import type { PartnerProfile } from '../../../translators/profile.ts';
import { GatewayError } from '../../errors.ts';
import { escapeHtml, findOrder, loadLines, matchLine, odooFacts, postNoteOnce, resolveVendor, writeAcknowledgedLine } from './lookup.ts';
import { recordEffects, type ApplyDeps, type Effect } from './types.ts';

/** The acknowledgement exceptions a buyer may approve: the supplier's line is then taken as it stands. */
export const APPROVABLE_REASONS: ReadonlySet<string> = new Set(['price-changed', 'quantity-changed', 'line-backordered']);

export interface Approval { exceptionId: string; poNumber: string; line: OrderAckLine; by: string }

export async function approveAcknowledgedLine(deps: ApplyDeps, approval: Approval, profile: PartnerProfile): Promise<{ summary: string; effects: Effect[] }> {
  const { odoo } = deps;
  const key = `approve:${approval.exceptionId}`;
  const done = await deps.ledger.get(key);
  if (done) return { summary: `already approved (purchase.order.line ${done.id})`, effects: [] };
  const facts = await odooFacts(odoo);
  const vendorId = await resolveVendor(odoo, profile.odoo, profile.id);
  const po = await findOrder(odoo, facts, approval.poNumber, vendorId);
  if (po.state !== 'purchase') {
    throw new GatewayError('approve-order-not-open', `${po.name} is ${po.state} in Odoo: its lines cannot be changed`, { expose: true, status: 409 });
  }
  const ack = approval.line;
  const line = matchLine(await loadLines(odoo, facts, po.id, vendorId), ack.lineNumber, ack.itemIds);
  if (!line) throw new GatewayError('approve-line-gone', `line ${ack.lineNumber} is no longer on ${po.name}`, { expose: true, status: 409 });
  const changes = await writeAcknowledgedLine(odoo, line, ack);
  const what = `line ${ack.lineNumber} (${line.name}) as the supplier acknowledged it${changes.length ? `: ${changes.join(', ')}` : ', as it already stood'}`;
  const note = await postNoteOnce(odoo, 'purchase.order', po.id, key, escapeHtml(`EDI acknowledgement: ${approval.by} approved ${what}.`));
  const effects: Effect[] = [];
  await recordEffects(deps, effects, [{ key, model: 'purchase.order.line', id: line.id }, { key: `${key}:note`, model: 'mail.message', id: note }]);
  deps.log.info({ po: po.name, line: line.id, by: approval.by }, 'acknowledged line approved');
  return { summary: `${po.name} ${what}`, effects };
}
