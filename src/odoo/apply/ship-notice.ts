/**
 * A ship notice (856 / ShipNoticeRequest) into Odoo: the open incoming receipt(s) of each PO get their
 * move lines pre-filled with lots, expiration dates, serials and quantities; validated only when the
 * profile says autoValidateReceipts. Carrier and tracking go to the receipt's chatter. Items not on the
 * PO, quantities above the open quantity and lots expiring within minShelfLifeDays are exceptions (not
 * pre-filled). Business key: vendor + shipment id. A replacing notice (BSN01 05 / operation="update")
 * for a shipment not applied yet is applied as the shipment; one for a shipment already pre-filled, and a
 * withdrawn one (01 / "delete"), leave the receipt as it is and open an exception for the buyer.
 */
import type { ShipNotice, ShipNoticeLine } from '../../../translators/types.ts';
import type { PartnerProfile } from '../../../translators/profile.ts';
import { addDecimal, compareDecimal, minimalDecimal, subtractDecimal, sumDecimals } from '../../../translators/common/decimal.ts';
import type { OdooClient, OdooRecord } from '../client.ts';
import { fromOdooNumber, toOdooNumber } from '../decimal.ts';
import { escapeHtml, findOrder, loadLines, m2oId, matchLine, odooFacts, postNoteOnce, resolveVendor, scheduleActivityOnce, type PoLine } from './lookup.ts';
import { notReady, recordEffect, type ApplyDeps, type ApplyException, type ApplyOutcome, type Effect } from './types.ts';

interface Piece { quantity: string; lot_name?: string; expiration_date?: string }

export async function applyShipNotice(deps: ApplyDeps, doc: ShipNotice, profile: PartnerProfile): Promise<ApplyOutcome> {
  const { odoo } = deps;
  const facts = await odooFacts(odoo);
  const vendorId = await resolveVendor(odoo, profile.odoo, profile.id);
  const key = `asn:${vendorId}:${doc.shipmentId}`;
  const cancelledKey = `${key}:cancelled`;
  await deps.ledger.load([key, cancelledKey]);
  const done = await deps.ledger.get(key);
  if (doc.purpose === 'cancel') return cancelShipNotice(deps, doc, key, cancelledKey, done);
  if (await deps.ledger.get(cancelledKey)) {
    return { effects: [], exceptions: [], summary: `ship notice ${doc.shipmentId} was withdrawn by the supplier before it was applied: not applied` };
  }
  if (done && doc.purpose === 'change') return replacedAfterPrefill(deps, doc, done);
  if (done) return { effects: [], exceptions: [], summary: `ship notice ${doc.shipmentId} already applied (${done.model} ${done.id})` };

  const effects: Effect[] = [];
  const exceptions: ApplyException[] = [];
  const arrival = doc.estimatedDeliveryDate ?? doc.shipDate;
  const minDays = profile.odoo?.minShelfLifeDays ?? 0;
  const receiptsTouched: number[] = [];
  let lines = 0;

  for (const order of doc.orders) {
    const po = await findOrder(odoo, facts, order.poNumber, vendorId);
    const poLines = await loadLines(odoo, facts, po.id, vendorId);
    const receipts = await odoo.search_read('stock.picking', [['purchase_id', '=', po.id], ['picking_type_code', '=', 'incoming']], ['state', 'name'], { order: 'id' });
    const open = receipts.filter((r) => !['done', 'cancel'].includes(String(r.state)));
    if (open.length === 0) {
      if (receipts.length === 0) throw notReady(`no receipt for ${po.name} in Odoo yet`, { po: po.name });
      // validated by an earlier run of this very job (autoValidateReceipts), which stopped before it recorded the notice
      const ours = await receiptsPrefilledBy(deps, key, receipts.map((r) => r.id));
      if (ours.length) { for (const id of ours) if (!receiptsTouched.includes(id)) receiptsTouched.push(id); continue; }
      exceptions.push({ reasonCode: 'receipt-already-done', message: `every receipt of ${po.name} is already validated; ship notice ${doc.shipmentId} not applied to it` });
      continue;
    }
    const moves = await odoo.search_read('stock.move', [['picking_id', 'in', open.map((r) => r.id)], ['state', 'not in', ['done', 'cancel']]],
      ['product_uom_qty', 'purchase_line_id', 'picking_id', 'move_line_ids', 'product_id'], { order: 'id' });
    await deps.ledger.load(moves.flatMap((m) => [`prefill:move:${m.id}`, `${key}:move:${m.id}`, `${key}:move:${m.id}:intent`]));
    const orderExceptions = exceptions.length;
    const orderReceipts = receiptsTouched.length;
    const writes: MoveWrite[] = [];
    for (const asnLine of order.lines) {
      const line = matchLine(poLines, asnLine.lineNumber, asnLine.itemIds);
      if (!line) {
        exceptions.push({ reasonCode: 'item-not-on-order', message: `${order.poNumber} line ${asnLine.lineNumber} (${Object.values(asnLine.itemIds).filter(Boolean).join(' / ')}) is not on the order`, detail: asnLine });
        continue;
      }
      const lineMoves = moves.filter((m) => m2oId(m.purchase_line_id) === line.id);
      const plan = spread(lineMoves, pieces(asnLine, line));
      // a line this shipment already wrote part of (an earlier run of this job) passed its checks then
      const started = (await Promise.all(plan.map((w) => deps.ledger.get(`${key}:move:${w.move.id}:intent`)))).some(Boolean);
      const problems = started ? [] : await checkLine(deps, asnLine, line, lineMoves, arrival, minDays, po.name);
      if (problems.length) { exceptions.push(...problems); continue; }
      writes.push(...plan.map((w) => ({ ...w, productId: line.productId })));
      for (const m of lineMoves) { const p = m2oId(m.picking_id); if (p && !receiptsTouched.includes(p)) receiptsTouched.push(p); }
      lines++;
    }
    await prefill(deps, key, writes);
    const carrier = doc.carrier;
    const text = escapeHtml(`EDI ship notice ${doc.shipmentId}: shipped ${doc.shipDate}${doc.estimatedDeliveryDate ? `, expected ${doc.estimatedDeliveryDate}` : ''}`
      + `${carrier ? `, carrier ${carrier.name ?? carrier.code ?? ''}${carrier.trackingNumbers.length ? `, tracking ${carrier.trackingNumbers.join(', ')}` : ''}` : ''}.`);
    for (const r of open) await postNoteOnce(odoo, 'stock.picking', r.id, key, text);
    if (exceptions.length > orderExceptions) {
      await scheduleActivityOnce(odoo, 'stock.picking', open[0]!.id, `EDI ship notice ${doc.shipmentId} needs review`, escapeHtml(exceptions.slice(orderExceptions).map((e) => e.message).join('; ')));
    } else if (profile.odoo?.autoValidateReceipts) {
      // the receipts this order's lines were pre-filled on, all open when read above: validated once each
      await validate(odoo, receiptsTouched.slice(orderReceipts));
    }
  }
  const first = receiptsTouched[0];
  if (first !== undefined) await recordEffect(deps, effects, key, 'stock.picking', first);
  deps.log.info({ shipmentId: doc.shipmentId, lines, exceptions: exceptions.length }, 'ship notice applied to Odoo');
  return { effects, exceptions, summary: `ship notice ${doc.shipmentId}: ${lines} line(s) pre-filled on ${receiptsTouched.length} receipt(s), ${exceptions.length} exception(s)` };
}

/** Lots, serials and quantities of a notice, in words, for the buyer and the dock. */
function describeLines(doc: ShipNotice): string {
  return doc.orders.flatMap((o) => o.lines.map((l) => `${o.poNumber} line ${l.lineNumber}: ${l.quantityShipped} ${l.uom}`
    + `${l.lots.length ? ` (lots ${l.lots.map((x) => `${x.lotNumber}${x.quantity ? ` x ${x.quantity}` : ''}${x.expirationDate ? ` exp. ${x.expirationDate}` : ''}`).join(', ')})` : ''}`
    + `${l.serialNumbers.length ? ` (serials ${l.serialNumbers.join(', ')})` : ''}`)).join('; ') || 'no lines';
}

/**
 * A withdrawn notice (BSN01 01, operation="delete"). Applied already: its pre-fill stays on the receipt,
 * where the dock may have worked on it, and the buyer gets an exception and a to-do on the receipt to
 * check it before validating. Not applied yet: recorded, so the notice itself, arriving later, is not.
 */
async function cancelShipNotice(deps: ApplyDeps, doc: ShipNotice, key: string, cancelledKey: string, done: { model: string; id: number } | undefined): Promise<ApplyOutcome> {
  const effects: Effect[] = [];
  if (!done) {
    await recordEffect(deps, effects, cancelledKey, 'stock.picking', 0);
    return { effects, exceptions: [], summary: `ship notice ${doc.shipmentId} withdrawn before it was applied: nothing to undo in Odoo` };
  }
  const [receipt] = await deps.odoo.search_read('stock.picking', [['id', '=', done.id]], ['name', 'state']);
  const where = receipt ? `receipt ${String(receipt.name)}${receipt.state === 'done' ? ', already validated' : ''}` : `receipt ${done.id}`;
  const message = `the supplier withdrew ship notice ${doc.shipmentId}, which pre-filled ${where}: check its lots and quantities before (or after) validating`;
  if (receipt && receipt.state !== 'done' && receipt.state !== 'cancel') {
    await scheduleActivityOnce(deps.odoo, 'stock.picking', done.id, `EDI ship notice ${doc.shipmentId} withdrawn by the supplier`, escapeHtml(message));
  }
  await recordEffect(deps, effects, cancelledKey, 'stock.picking', done.id);
  return { effects, exceptions: [{ reasonCode: 'ship-notice-withdrawn', message, detail: { shipmentId: doc.shipmentId, receiptId: done.id } }],
    summary: `ship notice ${doc.shipmentId} withdrawn after it pre-filled ${where}` };
}

/**
 * A replacing notice (BSN01 05, operation="update") for one already pre-filled: the receipt is not
 * rewritten under the dock's hands; the buyer gets an exception naming what the replacement says and a
 * to-do on the receipt.
 */
async function replacedAfterPrefill(deps: ApplyDeps, doc: ShipNotice, done: { model: string; id: number }): Promise<ApplyOutcome> {
  const [receipt] = await deps.odoo.search_read('stock.picking', [['id', '=', done.id]], ['name', 'state']);
  const where = receipt ? `receipt ${String(receipt.name)}${receipt.state === 'done' ? ' (already validated)' : ''}` : `receipt ${done.id}`;
  const message = `the supplier replaced ship notice ${doc.shipmentId} after it pre-filled ${where}; the replacement was not applied. It now says: ${describeLines(doc)}`;
  if (receipt && receipt.state !== 'done' && receipt.state !== 'cancel') {
    await scheduleActivityOnce(deps.odoo, 'stock.picking', done.id, `EDI ship notice ${doc.shipmentId} replaced by the supplier`, escapeHtml(message));
  }
  return { effects: [], exceptions: [{ reasonCode: 'ship-notice-replaced', message, detail: { shipmentId: doc.shipmentId, receiptId: done.id, orders: doc.orders } }],
    summary: `replacement of ship notice ${doc.shipmentId}, already applied to ${where}: not applied` };
}

/** The receipts among these whose moves this shipment pre-filled (its per-move keys in the ledger). */
async function receiptsPrefilledBy(deps: ApplyDeps, key: string, receiptIds: number[]): Promise<number[]> {
  const moves = await deps.odoo.search_read('stock.move', [['picking_id', 'in', receiptIds]], ['picking_id']);
  await deps.ledger.load(moves.map((m) => `${key}:move:${m.id}`));
  const out: number[] = [];
  for (const m of moves) {
    const picking = m2oId(m.picking_id);
    if (picking !== undefined && !out.includes(picking) && await deps.ledger.get(`${key}:move:${m.id}`)) out.push(picking);
  }
  return out;
}

async function checkLine(deps: ApplyDeps, asnLine: ShipNoticeLine, line: PoLine, moves: OdooRecord[], arrival: string, minDays: number, poName: string): Promise<ApplyException[]> {
  const out: ApplyException[] = [];
  const where = `${poName} line ${asnLine.lineNumber} (${line.name})`;
  // open = ordered - received - what earlier ship notices already pre-filled on the open moves
  let prefilled = '0';
  for (const m of moves.filter((x) => m2oId(x.purchase_line_id) === line.id)) {
    if (await deps.ledger.get(`prefill:move:${m.id}`)) prefilled = addDecimal(prefilled, await moveQuantity(deps.odoo, m.id));
  }
  const openQty = subtractDecimal(subtractDecimal(line.qty, line.qtyReceived), prefilled);
  if (compareDecimal(asnLine.quantityShipped, openQty) > 0) {
    out.push({ reasonCode: 'quantity-over-open', message: `${where}: ${asnLine.quantityShipped} shipped, ${minimalDecimal(openQty)} still open`, detail: asnLine });
  }
  if (line.tracking === 'lot' && asnLine.lots.length === 0) out.push({ reasonCode: 'lot-missing', message: `${where}: the product is lot-tracked and the ship notice gives no lot` });
  if (line.tracking === 'serial' && asnLine.serialNumbers.length !== Number(asnLine.quantityShipped)) {
    out.push({ reasonCode: 'serial-count', message: `${where}: ${asnLine.serialNumbers.length} serial number(s) for ${asnLine.quantityShipped} unit(s)` });
  }
  const lotSum = sumDecimals(asnLine.lots.map((l) => l.quantity ?? '0'));
  if (asnLine.lots.length > 1 && compareDecimal(lotSum, asnLine.quantityShipped) !== 0) {
    out.push({ reasonCode: 'lot-quantity-mismatch', message: `${where}: lots add up to ${lotSum}, ${asnLine.quantityShipped} shipped` });
  }
  for (const lot of asnLine.lots) {
    if (lot.expirationDate && daysBetween(arrival, lot.expirationDate) < minDays) {
      out.push({ reasonCode: 'short-shelf-life', message: `${where}: lot ${lot.lotNumber} expires ${lot.expirationDate}, less than ${minDays} days after arrival ${arrival}`, detail: lot });
    }
  }
  return out;
}

async function moveQuantity(odoo: OdooClient, moveId: number): Promise<string> {
  const [m] = await odoo.read('stock.move', [moveId], ['quantity']);
  return fromOdooNumber(m?.quantity);
}

function pieces(asnLine: ShipNoticeLine, line: PoLine): Piece[] {
  if (line.tracking === 'serial') return asnLine.serialNumbers.map((s) => ({ quantity: '1', lot_name: s }));
  if (asnLine.lots.length > 0 && line.tracking !== 'none') {
    return asnLine.lots.map((l) => ({ quantity: l.quantity ?? asnLine.quantityShipped, lot_name: l.lotNumber,
      ...(l.expirationDate ? { expiration_date: `${l.expirationDate} 00:00:00` } : {}) }));
  }
  return [{ quantity: asnLine.quantityShipped }];
}

interface MoveWrite { move: OdooRecord; take: Piece[]; productId: number }

/** Spreads the pieces over the PO line's open moves: each up to its demand, the last takes the rest. */
function spread(moves: OdooRecord[], all: Piece[]): Array<{ move: OdooRecord; take: Piece[] }> {
  const queue = all.map((p) => ({ ...p }));
  const out: Array<{ move: OdooRecord; take: Piece[] }> = [];
  for (let i = 0; i < moves.length && queue.length; i++) {
    const move = moves[i]!;
    const last = i === moves.length - 1;
    let room = fromOdooNumber(move.product_uom_qty);
    const take: Piece[] = [];
    while (queue.length && (last || compareDecimal(room, '0') > 0)) {
      const p = queue[0]!;
      if (last || compareDecimal(p.quantity, room) <= 0) { take.push(queue.shift()!); room = subtractDecimal(room, p.quantity); continue; }
      take.push({ ...p, quantity: room });
      p.quantity = subtractDecimal(p.quantity, room);
      room = '0';
    }
    if (take.length) out.push({ move, take });
  }
  return out;
}

/**
 * Writes each move's lines for this shipment once: the reservation lines removed with (2, id) on the
 * first pre-fill of a move, appended to on a later shipment's. Appending is not idempotent, so before
 * the writes an intent per move records the highest move line id it had; a later run of the job that
 * finds the intent but not the write recorded reads the move's newer lines, and when this shipment's
 * pieces are among them (Odoo committed, the answer was lost, or the job failed on a later move) does
 * not write them again.
 */
async function prefill(deps: ApplyDeps, shipmentKey: string, writes: MoveWrite[]): Promise<void> {
  const pending: MoveWrite[] = [];
  const intents: Effect[] = [];
  for (const w of writes) {
    if (await deps.ledger.get(`${shipmentKey}:move:${w.move.id}`)) continue;
    const intent = await deps.ledger.get(`${shipmentKey}:move:${w.move.id}:intent`);
    if (intent && await alreadyWritten(deps.odoo, w, intent.id)) continue;
    pending.push(w);
    if (!intent) intents.push({ key: `${shipmentKey}:move:${w.move.id}:intent`, model: 'stock.move.line', id: Math.max(0, ...((w.move.move_line_ids as number[]) ?? [])) });
  }
  await deps.ledger.recordAll(intents);
  for (const { move, take, productId } of pending) {
    const first = !(await deps.ledger.get(`prefill:move:${move.id}`));
    const commands: unknown[] = first ? ((move.move_line_ids as number[]) ?? []).map((id) => [2, id]) : [];
    for (const p of take) {
      commands.push([0, 0, { product_id: productId, picking_id: m2oId(move.picking_id), quantity: toOdooNumber(p.quantity),
        ...(p.lot_name ? { lot_name: p.lot_name } : {}), ...(p.expiration_date ? { expiration_date: p.expiration_date } : {}) }]);
    }
    await deps.odoo.write('stock.move', [move.id], { move_line_ids: commands });
  }
  await deps.ledger.recordAll(writes.flatMap(({ move }) => [
    { key: `${shipmentKey}:move:${move.id}`, model: 'stock.move', id: move.id },
    { key: `prefill:move:${move.id}`, model: 'stock.move', id: move.id }]));
}

/** Whether the move's lines created after `sinceLineId` hold every piece of this write (lot and quantity). */
async function alreadyWritten(odoo: OdooClient, w: MoveWrite, sinceLineId: number): Promise<boolean> {
  const newer = await odoo.search_read('stock.move.line', [['move_id', '=', w.move.id], ['id', '>', sinceLineId]], ['lot_name', 'quantity']);
  const left = newer.map((l) => `${l.lot_name || ''}|${minimalDecimal(fromOdooNumber(l.quantity))}`);
  return w.take.every((p) => {
    const i = left.indexOf(`${p.lot_name ?? ''}|${minimalDecimal(p.quantity)}`);
    if (i < 0) return false;
    left.splice(i, 1);
    return true;
  });
}

/**
 * button_validate of receipts this job found open (state read in the same job, so a receipt already done,
 * e.g. on a retry, is never among them). Missing units go to a backorder.
 */
async function validate(odoo: OdooClient, pickingIds: number[]): Promise<void> {
  for (const id of pickingIds) await odoo.call('stock.picking', 'button_validate', [id], { context: { skip_backorder: true } });
}

function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
