/**
 * An order acknowledgement (855 / ConfirmationRequest) into Odoo: the vendor's order number on the PO,
 * the PO marked acknowledged (18: mail_reception_confirmed; 19: action_acknowledge), scheduled dates
 * per line, and changes within the profile's tolerance. Backordered, rejected, substituted lines and
 * price or quantity changes beyond tolerance are returned as exceptions, never applied. One note on the PO.
 * Business key: vendor + PO + revision + the acknowledgement's content.
 */
import { createHash } from 'node:crypto';
import type { OrderAck } from '../../../translators/types.ts';
import type { PartnerProfile } from '../../../translators/profile.ts';
import { sameDecimal, withinPercent } from '../decimal.ts';
import { escapeHtml, findOrder, loadLines, matchLine, odooFacts, postNoteOnce, resolveVendor, scheduleActivityOnce, substituted, writeAcknowledgedLine } from './lookup.ts';
import { recordEffects, type ApplyDeps, type ApplyException, type ApplyOutcome, type Effect } from './types.ts';

/**
 * `doc.revision`: the revision of the order it answers (the one it names, else the current one). The
 * business key holds it and the acknowledgement's content: the same acknowledgement again (a resent
 * file) changes nothing, while an updated one for the same revision (new dates, a change) is applied.
 */
export async function applyOrderAck(deps: ApplyDeps, doc: OrderAck, profile: PartnerProfile): Promise<ApplyOutcome> {
  const { odoo } = deps;
  const facts = await odooFacts(odoo);
  const vendorId = await resolveVendor(odoo, profile.odoo, profile.id);
  const { documentId: _d, correlationId: _c, partnerId: _p, test: _t, referencePayloadId: _r, ...content } = doc;
  const fingerprint = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 12);
  const key = `ack:${vendorId}:${doc.poNumber}:${doc.revision ?? '0'}:${fingerprint}`;
  const done = await deps.ledger.get(key);
  // every write below sets a value or is looked up before it is made: a recheck may run them all again
  if (done && !deps.recheck) return { effects: [], exceptions: [], summary: `acknowledgement of ${doc.poNumber} already applied (${done.model} ${done.id})` };

  const po = await findOrder(odoo, facts, doc.poNumber, vendorId);
  const effects: Effect[] = [];
  const exceptions: ApplyException[] = [];
  const applied: string[] = [];
  if (po.state === 'cancel') exceptions.push({ reasonCode: 'order-cancelled', message: `${po.name} is cancelled in Odoo; the acknowledgement was not applied` });
  else if (doc.ackType === 'rejected') exceptions.push({ reasonCode: 'order-rejected', message: `the supplier rejected ${po.name}` });
  else {
    const lines = await loadLines(odoo, facts, po.id, vendorId);
    const tol = profile.odoo ?? {};
    for (const ack of doc.lines) {
      const line = matchLine(lines, ack.lineNumber, ack.itemIds);
      const where = `line ${ack.lineNumber}`;
      if (!line) { exceptions.push({ reasonCode: 'ack-line-unknown', message: `${where} matches no line of ${po.name}`, detail: ack }); continue; }
      if (ack.status === 'rejected') { exceptions.push({ reasonCode: 'line-rejected', message: `${where} (${line.name}) rejected by the supplier`, detail: ack }); continue; }
      if (ack.status === 'backordered') {
        exceptions.push({ reasonCode: 'line-backordered', message: `${where} (${line.name}) backordered${ack.scheduledDate ? ` until ${ack.scheduledDate}` : ''}`, detail: ack });
        continue;
      }
      if (substituted(line, ack.itemIds)) { exceptions.push({ reasonCode: 'line-substituted', message: `${where}: the supplier offers another item than ${line.name}`, detail: ack }); continue; }
      const qty = ack.quantity ?? line.qty;
      const price = ack.unitPrice ?? line.price;
      const qtyChanged = !sameDecimal(qty, line.qty);
      const priceChanged = !sameDecimal(price, line.price);
      if (qtyChanged && !withinPercent(qty, line.qty, tol.quantityTolerancePercent)) {
        exceptions.push({ reasonCode: 'quantity-changed', message: `${where} (${line.name}): quantity ${qty} acknowledged, ${line.qty} ordered`, detail: ack });
        continue;
      }
      if (priceChanged && !withinPercent(price, line.price, tol.priceTolerancePercent)) {
        exceptions.push({ reasonCode: 'price-changed', message: `${where} (${line.name}): price ${price} acknowledged, ${line.price} ordered`, detail: ack });
        continue;
      }
      const changes = await writeAcknowledgedLine(odoo, line, ack);
      if (changes.length) applied.push(`${where}: ${changes.join(', ')}`);
    }
    const header: Record<string, unknown> = {};
    if (doc.supplierOrderNumber && po.partnerRef !== doc.supplierOrderNumber) header.partner_ref = doc.supplierOrderNumber;
    if (facts.major < 19 && !po.acknowledged) header.mail_reception_confirmed = true;
    if (Object.keys(header).length) await odoo.write('purchase.order', [po.id], header);
    if (facts.major >= 19 && !po.acknowledged) await odoo.call('purchase.order', 'action_acknowledge', [po.id]);
  }
  const text = [`EDI order acknowledgement (${doc.ackType}, ${doc.ackDate})${doc.supplierOrderNumber ? `, vendor order ${doc.supplierOrderNumber}` : ''}.`,
    ...applied.map((a) => `Applied ${a}.`), ...exceptions.map((e) => `Needs review: ${e.message}.`)].map(escapeHtml).join(' ');
  const note = await postNoteOnce(odoo, 'purchase.order', po.id, key, text);
  if (exceptions.length) await scheduleActivityOnce(odoo, 'purchase.order', po.id, `EDI acknowledgement needs review (${doc.poNumber})`, escapeHtml(exceptions.map((e) => e.message).join('; ')));
  await recordEffects(deps, effects, [{ key: `${key}:note`, model: 'mail.message', id: note }, { key, model: 'purchase.order', id: po.id }]);
  deps.log.info({ po: po.name, applied: applied.length, exceptions: exceptions.length }, 'order acknowledgement applied to Odoo');
  return { effects, exceptions, summary: `${po.name}: acknowledgement ${doc.ackType}; ${applied.length} line change(s) applied, ${exceptions.length} exception(s)` };
}
