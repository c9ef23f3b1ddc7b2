/**
 * Reading what the apply functions need from Odoo: the vendor of a profile, a PO by name, its lines with
 * the product ids a supplier may quote (vendor part from product.supplierinfo, GTIN from barcode, buyer
 * part from default_code), the field names of the server's version, chatter notes written once, and
 * the one write of what a supplier acknowledged for a line.
 */
import { GatewayError } from '../../errors.ts';
import type { ItemIds, OrderAckLine } from '../../../translators/types.ts';
import type { OdooProfile } from '../../../translators/profile.ts';
import type { OdooClient, OdooRecord } from '../client.ts';
import { fromOdooNumber, sameDecimal, toOdooNumber } from '../decimal.ts';
import { notReady } from './types.ts';

export interface OdooFacts {
  major: number;
  lineUom: 'product_uom' | 'product_uom_id';
  lineTaxes: 'taxes_id' | 'tax_ids';
  /** the context that stops message_post on a bill from importing its attachment */
  noImport: Record<string, boolean>;
}

export async function odooFacts(odoo: OdooClient): Promise<OdooFacts> {
  const { major } = await odoo.serverVersion();
  return major >= 19
    ? { major, lineUom: 'product_uom_id', lineTaxes: 'tax_ids', noImport: { disable_attachment_import: true } }
    : { major, lineUom: 'product_uom', lineTaxes: 'taxes_id', noImport: { no_new_invoice: true } };
}

export async function resolveVendor(odoo: OdooClient, profile: OdooProfile | undefined, partnerId?: string): Promise<number> {
  if (profile?.vendorId) return profile.vendorId;
  if (!profile?.vendorRef) throw new GatewayError('odoo-vendor-unknown', `partner profile ${partnerId ?? ''} names no Odoo vendor (odoo.vendorRef or odoo.vendorId)`);
  const found = await odoo.search_read('res.partner', [['ref', '=', profile.vendorRef]], ['commercial_partner_id'], { limit: 2 });
  if (found.length !== 1) {
    throw new GatewayError('odoo-vendor-unknown', `${found.length === 0 ? 'no' : 'more than one'} Odoo partner has ref ${JSON.stringify(profile.vendorRef)}`);
  }
  return m2oId(found[0]!.commercial_partner_id) ?? found[0]!.id;
}

export interface PurchaseOrder { id: number; name: string; state: string; partnerRef: string | false; acknowledged: boolean; raw: OdooRecord }

export async function findOrder(odoo: OdooClient, facts: OdooFacts, poNumber: string, vendorId: number): Promise<PurchaseOrder> {
  const ackField = facts.major >= 19 ? 'acknowledged' : 'mail_reception_confirmed';
  const found = await odoo.search_read('purchase.order', [['name', '=', poNumber], ['partner_id.commercial_partner_id', '=', vendorId]],
    ['name', 'state', 'partner_ref', 'date_planned', ackField], { limit: 1 });
  const po = found[0];
  if (!po) throw notReady(`purchase order ${poNumber} of vendor ${vendorId} is not in Odoo (yet)`, { poNumber, vendorId });
  return { id: po.id, name: String(po.name), state: String(po.state), partnerRef: po.partner_ref as string | false, acknowledged: po[ackField] === true, raw: po };
}

export interface PoLine {
  id: number;
  productId: number;
  name: string;
  qty: string;
  price: string;
  datePlanned: string;
  qtyReceived: string;
  qtyInvoiced: string;
  uomName: string;
  taxIds: number[];
  tracking: string;
  itemIds: ItemIds;
}

export async function loadLines(odoo: OdooClient, facts: OdooFacts, poId: number, vendorId: number): Promise<PoLine[]> {
  const lines = await odoo.search_read('purchase.order.line', [['order_id', '=', poId]],
    ['product_id', 'name', 'product_qty', 'price_unit', 'date_planned', 'qty_received', 'qty_invoiced', facts.lineUom, facts.lineTaxes], { order: 'sequence,id' });
  const productIds = [...new Set(lines.map((l) => m2oId(l.product_id)).filter((x): x is number => x !== undefined))];
  const products = productIds.length ? await odoo.read('product.product', productIds, ['default_code', 'barcode', 'tracking', 'product_tmpl_id']) : [];
  const tmplIds = products.map((p) => m2oId(p.product_tmpl_id)).filter((x): x is number => x !== undefined);
  const sellers = tmplIds.length
    ? await odoo.search_read('product.supplierinfo', [['partner_id', '=', vendorId], ['product_tmpl_id', 'in', tmplIds]], ['product_tmpl_id', 'product_id', 'product_code'], { order: 'sequence,id' })
    : [];
  return lines.map((l) => {
    const productId = m2oId(l.product_id) ?? 0;
    const p = products.find((x) => x.id === productId);
    const tmpl = p ? m2oId(p.product_tmpl_id) : undefined;
    const seller = sellers.find((s) => m2oId(s.product_id) === productId) ?? sellers.find((s) => m2oId(s.product_tmpl_id) === tmpl);
    const itemIds: ItemIds = {};
    if (seller?.product_code) itemIds.vendorPart = String(seller.product_code);
    if (p?.default_code) itemIds.buyerPart = String(p.default_code);
    if (typeof p?.barcode === 'string' && /^\d{8}$|^\d{12,14}$/.test(p.barcode)) itemIds.gtin = p.barcode;
    return {
      id: l.id, productId, name: String(l.name ?? ''), qty: fromOdooNumber(l.product_qty), price: fromOdooNumber(l.price_unit),
      datePlanned: String(l.date_planned || ''), qtyReceived: fromOdooNumber(l.qty_received), qtyInvoiced: fromOdooNumber(l.qty_invoiced),
      uomName: m2oName(l[facts.lineUom]) ?? 'Units', taxIds: (l[facts.lineTaxes] as number[]) ?? [], tracking: String(p?.tracking ?? 'none'), itemIds,
    };
  });
}

/** The PO line a supplier's line answers: by line number (the PO line id we sent), then by item ids. */
export function matchLine(lines: PoLine[], lineNumber: string | undefined, itemIds: ItemIds | undefined): PoLine | undefined {
  const byNumber = lines.find((l) => String(l.id) === lineNumber);
  if (byNumber && !substituted(byNumber, itemIds)) return byNumber;
  if (!itemIds) return byNumber;
  for (const k of ['vendorPart', 'gtin', 'buyerPart'] as const) {
    const v = itemIds[k];
    const hit = v ? lines.find((l) => l.itemIds[k] === v) : undefined;
    if (hit) return hit;
  }
  return byNumber;
}

/** The supplier names a different item than the PO line (same id kind, different value). */
export function substituted(line: PoLine, itemIds: ItemIds | undefined): boolean {
  if (!itemIds) return false;
  return (['vendorPart', 'gtin', 'buyerPart'] as const).some((k) => itemIds[k] !== undefined && line.itemIds[k] !== undefined && itemIds[k] !== line.itemIds[k]);
}

/** A chatter note posted once: the marker is looked up before posting (a lost answer must not post twice). */
export async function postNoteOnce(odoo: OdooClient, model: string, id: number, marker: string, text: string, extra: Record<string, unknown> = {}): Promise<number> {
  const tag = `[${marker}]`;
  const found = await odoo.search_read('mail.message', [['model', '=', model], ['res_id', '=', id], ['body', 'like', tag]], ['id'], { limit: 1 });
  if (found[0]) return found[0].id;
  return odoo.messagePost(model, id, { body: `${text} ${tag}`, message_type: 'comment', subtype_xmlid: 'mail.mt_note', ...extra });
}

/** A to-do for the buyer on a record, scheduled once per summary. */
export async function scheduleActivityOnce(odoo: OdooClient, model: string, id: number, summary: string, note: string): Promise<void> {
  const found = await odoo.search_read('mail.activity', [['res_model', '=', model], ['res_id', '=', id], ['summary', '=', summary]], ['id'], { limit: 1 });
  if (found.length) return;
  await odoo.call(model, 'activity_schedule', [id], { act_type_xmlid: 'mail.mail_activity_data_todo', summary, note });
}

export function m2oId(v: unknown): number | undefined {
  return Array.isArray(v) && typeof v[0] === 'number' ? v[0] : typeof v === 'number' ? v : undefined;
}
export function m2oName(v: unknown): string | undefined {
  return Array.isArray(v) && typeof v[1] === 'string' ? v[1] : undefined;
}
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Writes what the supplier acknowledged for a PO line (its quantity, price and scheduled date, each
 * where given) in ONE write: a quantity written alone makes Odoo re-price the line from the vendor
 * pricelist. Nothing is written when nothing differs. Returns the changes in words.
 */
export async function writeAcknowledgedLine(odoo: OdooClient, line: PoLine, ack: OrderAckLine): Promise<string[]> {
  const qty = ack.quantity ?? line.qty;
  const price = ack.unitPrice ?? line.price;
  const datePlanned = ack.scheduledDate ? `${ack.scheduledDate} ${line.datePlanned.slice(11) || '00:00:00'}` : line.datePlanned;
  const changes = [!sameDecimal(qty, line.qty) && `quantity ${line.qty} → ${qty}`, !sameDecimal(price, line.price) && `price ${line.price} → ${price}`,
    datePlanned !== line.datePlanned && `scheduled ${datePlanned.slice(0, 10)}`].filter((c): c is string => Boolean(c));
  if (changes.length) await odoo.write('purchase.order.line', [line.id], { product_qty: toOdooNumber(qty), price_unit: toOdooNumber(price), date_planned: datePlanned });
  return changes;
}
