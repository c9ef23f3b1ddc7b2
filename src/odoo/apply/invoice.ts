/**
 * An invoice (810 / InvoiceDetailRequest) into Odoo as a draft vendor bill: vendor, ref = invoice number,
 * invoice date, lines linked to the PO lines, charges and allowances as lines, the original file attached.
 * Three-way match: invoiced price against the PO price, invoiced quantity against received-not-yet-invoiced,
 * within the profile's tolerances; posted only when autoPostBills and clean. A variance is an exception on a
 * draft bill; a second invoice with the same vendor + number is an exception and never a second bill.
 * Business key: vendor + invoice number.
 */
import { createHash } from 'node:crypto';
import type { Invoice } from '../../../translators/types.ts';
import type { PartnerProfile } from '../../../translators/profile.ts';
import { compareDecimal, negateDecimal, roundDecimal, subtractDecimal, sumDecimals } from '../../../translators/common/decimal.ts';
import type { OdooClient } from '../client.ts';
import { fromOdooNumber, toOdooNumber, withinPercent } from '../decimal.ts';
import { escapeHtml, findOrder, loadLines, matchLine, odooFacts, postNoteOnce, resolveVendor, scheduleActivityOnce, type OdooFacts } from './lookup.ts';
import { GatewayError } from '../../errors.ts';
import { notReady, recordEffects, type ApplyDeps, type ApplyException, type ApplyOutcome, type Effect } from './types.ts';

export interface OriginalFile { fileName: string; bytes: Buffer; mimetype?: string }

export async function applyInvoice(deps: ApplyDeps, doc: Invoice, profile: PartnerProfile, original?: OriginalFile): Promise<ApplyOutcome> {
  const { odoo } = deps;
  const facts = await odooFacts(odoo);
  const vendorId = await resolveVendor(odoo, profile.odoo, profile.id);
  const key = `bill:${vendorId}:${doc.invoiceNumber}`;
  const fingerprint = doc.documentId ? `doc ${doc.documentId}` : createHash('sha256').update(JSON.stringify({ ...doc, correlationId: undefined })).digest('hex').slice(0, 16);
  const sourceKey = `${key}:source:${fingerprint}`;
  const effects: Effect[] = [];
  const exceptions: ApplyException[] = [];

  const asnKey = doc.shipmentId ? `asn:${vendorId}:${doc.shipmentId}` : undefined;
  await deps.ledger.load([sourceKey, key, ...(asnKey ? [asnKey] : [])]);
  const ledgerBillId = (await deps.ledger.get(sourceKey))?.id;
  const earlier = await deps.ledger.get(key);
  if (ledgerBillId === undefined && earlier) {
    return { effects, exceptions: [{ reasonCode: 'duplicate-invoice', message: `invoice ${doc.invoiceNumber} of this vendor is already bill ${earlier.id} in Odoo; this document was not applied`, detail: { billId: earlier.id } }],
      summary: `duplicate invoice ${doc.invoiceNumber}` };
  }
  const po = await findOrder(odoo, facts, doc.poNumber, vendorId);
  const origin = `${po.name} (EDI ${fingerprint})`;
  const BILL_FIELDS = ['state', 'amount_total', 'amount_tax', 'name'];
  // search_read, not read: Odoo's read of a deleted record raises MissingError
  let bill = ledgerBillId === undefined ? undefined : (await odoo.search_read('account.move', [['id', '=', ledgerBillId]], BILL_FIELDS))[0];
  // none in the ledger, or the one it names is gone from Odoo (a draft deleted since): looked up by vendor
  // and invoice number; the one this document made is taken, anyone else's is a duplicate
  if (!bill) {
    const existing = await odoo.search_read('account.move', [['move_type', 'in', ['in_invoice', 'in_refund']], ['commercial_partner_id', '=', vendorId], ['ref', '=', doc.invoiceNumber], ['state', '!=', 'cancel']],
      ['invoice_origin', ...BILL_FIELDS], { order: 'id' });
    bill = existing.find((b) => b.invoice_origin === origin);
    if (existing.length && !bill) {
      return { effects, exceptions: [{ reasonCode: 'duplicate-invoice', message: `Odoo already has bill ${existing[0]!.id} with reference ${doc.invoiceNumber} for this vendor; no second bill was created`, detail: { billIds: existing.map((b) => b.id) } }],
        summary: `duplicate invoice ${doc.invoiceNumber}` };
    }
    if (!bill) {
      if (asnKey && !(await deps.ledger.get(asnKey))) {
        throw notReady(`invoice ${doc.invoiceNumber} arrived before its ship notice ${doc.shipmentId}`, { shipmentId: doc.shipmentId });
      }
      const created = await createBill(deps, facts, doc, profile, vendorId, po.id, origin, exceptions);
      bill = (await odoo.read('account.move', [created], BILL_FIELDS))[0];
      if (!bill) throw new GatewayError('odoo-bill-vanished', `bill ${created} created for invoice ${doc.invoiceNumber} cannot be read back`, { retryable: true });
    }
  }
  const billId = bill.id;
  await recordEffects(deps, effects, [{ key, model: 'account.move', id: billId }, { key: sourceKey, model: 'account.move', id: billId }]);

  if (bill.state === 'draft') {
    const taxes = sumDecimals(doc.taxes.map((t) => t.amount));
    if (doc.taxes.length && compareDecimal(abs(subtractDecimal(fromOdooNumber(bill.amount_tax), taxes)), '0.01') > 0) {
      exceptions.push({ reasonCode: 'tax-variance', message: `invoiced tax ${taxes}, Odoo computes ${fromOdooNumber(bill.amount_tax)}` });
    }
    if (compareDecimal(abs(subtractDecimal(fromOdooNumber(bill.amount_total), doc.totalAmount)), '0.01') > 0) {
      exceptions.push({ reasonCode: 'total-variance', message: `invoice total ${doc.totalAmount}, Odoo bill total ${fromOdooNumber(bill.amount_total)}` });
    }
  }
  if (original) await attachOriginal(odoo, facts, billId, original, key);
  if (exceptions.length) {
    await postNoteOnce(odoo, 'account.move', billId, `${key}:review`, escapeHtml(`EDI invoice ${doc.invoiceNumber} needs review: ${exceptions.map((e) => e.message).join('; ')}.`));
    await scheduleActivityOnce(odoo, 'account.move', billId, `EDI invoice ${doc.invoiceNumber} needs review`, escapeHtml(exceptions.map((e) => e.message).join('; ')));
  } else if (profile.odoo?.autoPostBills && bill.state === 'draft') {
    await odoo.call('account.move', 'action_post', [billId]);
  }
  deps.log.info({ billId, invoice: doc.invoiceNumber, exceptions: exceptions.length }, 'invoice applied to Odoo');
  return { effects, exceptions, summary: `invoice ${doc.invoiceNumber}: bill ${billId} ${exceptions.length ? `left in draft with ${exceptions.length} exception(s)` : profile.odoo?.autoPostBills ? 'posted' : 'in draft'}` };
}

async function createBill(deps: ApplyDeps, facts: OdooFacts, doc: Invoice, profile: PartnerProfile, vendorId: number, poId: number, origin: string, exceptions: ApplyException[]): Promise<number> {
  const lines = await loadLines(deps.odoo, facts, poId, vendorId);
  const refund = doc.purpose === 'credit-memo';
  const tol = profile.odoo ?? {};
  const taxed = doc.taxes.some((t) => compareDecimal(t.amount, '0') !== 0);
  const vals: unknown[] = [];
  if (!refund && await waitingForReceipt(deps.odoo, poId, doc, lines)) {
    throw notReady(`invoice ${doc.invoiceNumber} bills more than ${doc.poNumber} has received, and a receipt is still open`, { poNumber: doc.poNumber });
  }
  for (const il of doc.lines) {
    const line = matchLine(lines, il.poLineNumber ?? il.lineNumber, il.itemIds);
    const where = `invoice line ${il.lineNumber}`;
    if (!line) {
      exceptions.push({ reasonCode: 'item-not-on-order', message: `${where} (${il.description ?? Object.values(il.itemIds).join(' / ')}) is not on ${doc.poNumber}`, detail: il });
      vals.push([0, 0, { name: il.description ?? Object.values(il.itemIds).filter(Boolean).join(' / '), quantity: toOdooNumber(il.quantity), price_unit: toOdooNumber(il.unitPrice), tax_ids: [[6, 0, []]] }]);
      continue;
    }
    if (!refund) {
      if (!withinPercent(il.unitPrice, line.price, tol.priceTolerancePercent)) {
        exceptions.push({ reasonCode: 'price-variance', message: `${where} (${line.name}): invoiced ${il.unitPrice}, PO price ${line.price}`, detail: { poLineId: line.id } });
      }
      const billable = subtractDecimal(line.qtyReceived, line.qtyInvoiced);
      if (!withinPercent(il.quantity, billable, tol.quantityTolerancePercent)) {
        exceptions.push({ reasonCode: 'quantity-variance', message: `${where} (${line.name}): invoiced ${il.quantity}, received and not yet billed ${billable}`, detail: { poLineId: line.id } });
      }
    }
    vals.push([0, 0, { product_id: line.productId, purchase_line_id: line.id, quantity: toOdooNumber(il.quantity), price_unit: toOdooNumber(il.unitPrice),
      tax_ids: [[6, 0, taxed ? line.taxIds : []]] }]);
  }
  for (const ac of doc.allowancesCharges) {
    const amount = ac.kind === 'allowance' ? negateDecimal(roundDecimal(ac.amount.replace(/^-/, ''), 2)) : ac.amount;
    vals.push([0, 0, { name: ac.description ?? ac.code ?? ac.kind, quantity: 1, price_unit: toOdooNumber(amount), tax_ids: [[6, 0, []]] }]);
  }
  return deps.odoo.create('account.move', { move_type: refund ? 'in_refund' : 'in_invoice', partner_id: vendorId, ref: doc.invoiceNumber, invoice_date: doc.invoiceDate,
    invoice_origin: origin, invoice_line_ids: vals });
}

/** Some invoiced quantity is not received yet while a receipt of the PO is still open: the goods are on their way. */
async function waitingForReceipt(odoo: OdooClient, poId: number, doc: Invoice, lines: Awaited<ReturnType<typeof loadLines>>): Promise<boolean> {
  const short = doc.lines.some((il) => {
    const line = matchLine(lines, il.poLineNumber ?? il.lineNumber, il.itemIds);
    return line !== undefined && compareDecimal(il.quantity, subtractDecimal(line.qtyReceived, line.qtyInvoiced)) > 0;
  });
  if (!short) return false;
  const open = await odoo.search_read('stock.picking', [['purchase_id', '=', poId], ['picking_type_code', '=', 'incoming'], ['state', 'not in', ['done', 'cancel']]], ['id'], { limit: 1 });
  return open.length > 0;
}

/** The original file on the bill: ir.attachment (looked up by name first) and one chatter note, without Odoo importing it. */
async function attachOriginal(odoo: OdooClient, facts: OdooFacts, billId: number, file: OriginalFile, key: string): Promise<void> {
  const found = await odoo.search_read('ir.attachment', [['res_model', '=', 'account.move'], ['res_id', '=', billId], ['name', '=', file.fileName]], ['id'], { limit: 1 });
  const attachmentId = found[0]?.id ?? await odoo.create('ir.attachment', { name: file.fileName, res_model: 'account.move', res_id: billId,
    datas: file.bytes.toString('base64'), mimetype: file.mimetype ?? 'text/plain' }, { context: facts.noImport });
  await postNoteOnce(odoo, 'account.move', billId, `${key}:original`, escapeHtml(`Original EDI invoice ${file.fileName} attached.`), { attachment_ids: [attachmentId], context: facts.noImport });
}

function abs(v: string): string {
  return v.startsWith('-') ? v.slice(1) : v;
}
