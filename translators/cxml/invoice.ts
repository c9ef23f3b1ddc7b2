/**
 * InvoiceDetailRequest → canonical invoice: header and line detail, taxes (line-level when the lines
 * carry them, otherwise the summary's), shipping and special handling as charges, discounts as
 * allowances. purpose creditMemo / lineLevelCreditMemo → 'credit-memo', debitMemo / lineLevelDebitMemo
 * → 'debit-memo'; amounts stay as sent (credit memos carry negative amounts). An invoice covering
 * several orders keeps the first order's number in poNumber and each line's own in line.poNumber.
 */
import type { AllowanceCharge, Invoice, InvoiceLine, Tax } from '../types.ts';
import type { PartnerProfile } from '../profile.ts';
import { all, attr, childText, first, text, type XmlNode } from './nodes.ts';
import { FieldReader } from './fields.ts';
import { multiplyDecimal, negateDecimal, sumDecimals } from '../common/decimal.ts';
import { canonicalBase, type CxmlTranslation } from './translation.ts';
import type { CxmlDocument } from './read.ts';

const BASE = '/cXML/Request/InvoiceDetailRequest';
const PURPOSE: Record<string, Invoice['purpose']> = {
  standard: 'invoice', creditMemo: 'credit-memo', lineLevelCreditMemo: 'credit-memo', debitMemo: 'debit-memo', lineLevelDebitMemo: 'debit-memo',
};

function taxes(r: FieldReader, tax: XmlNode | undefined, path: string, lineNumber?: string): Tax[] {
  if (!tax) return [];
  const at = lineNumber === undefined ? {} : { lineNumber };
  const details = all(tax, 'TaxDetail');
  if (details.length === 0) {
    const amount = r.money(tax, path, true).amount;
    return amount === undefined ? [] : [{ ...at, amount, ...(childText(tax, 'Description') ? { type: childText(tax, 'Description') } : {}) }];
  }
  return details.flatMap((d, k): Tax[] => {
    const p = `${path}/TaxDetail[${k + 1}]`;
    const amount = r.money(first(d, 'TaxAmount'), `${p}/TaxAmount`, true).amount;
    if (amount === undefined) return [];
    const out: Tax = { ...at, amount };
    const category = attr(d, 'category');
    if (category) out.type = category;
    const percent = r.decimal(attr(d, 'percentageRate'), `${p}/@percentageRate`, false);
    if (percent !== undefined) out.percent = percent;
    return [out];
  });
}

function charge(r: FieldReader, kind: AllowanceCharge['kind'], code: string, node: XmlNode | undefined, path: string, lineNumber?: string): AllowanceCharge[] {
  if (!node) return [];
  const amount = r.money(node, path, false).amount;
  if (amount === undefined) return [];
  const description = childText(node, 'Description');
  return [{ kind, code, amount, ...(description ? { description } : {}), ...(lineNumber === undefined ? {} : { lineNumber }) }];
}

function orderNumber(info: XmlNode | undefined): string {
  return (attr(first(info, 'OrderReference'), 'orderID') ?? attr(first(info, 'OrderIDInfo'), 'orderID') ?? '').trim();
}

export function translateInvoice(doc: CxmlDocument, profile?: PartnerProfile): CxmlTranslation<Invoice> {
  const r = new FieldReader(profile);
  const header = first(doc.body, 'InvoiceDetailRequestHeader');
  const hp = `${BASE}/InvoiceDetailRequestHeader`;
  const invoiceNumber = r.required(attr(header, 'invoiceID'), `${hp}/@invoiceID`, 'invoiceID');
  const invoiceDate = r.date(attr(header, 'invoiceDate'), `${hp}/@invoiceDate`, true) ?? '';
  const purposeCode = attr(header, 'purpose') ?? 'standard';
  const purpose = PURPOSE[purposeCode];
  if (!purpose) r.error(`${hp}/@purpose`, `invoice purpose "${purposeCode}" is not one cXML defines`);
  if (attr(header, 'operation') === 'delete') r.error(`${hp}/@operation`, 'cancelling an invoice (operation="delete") is not supported: send a credit memo', '450');
  const summary = first(doc.body, 'InvoiceDetailSummary');
  const sp = `${BASE}/InvoiceDetailSummary`;
  const currency = attr(first(first(summary, 'SubtotalAmount'), 'Money'), 'currency') ?? attr(first(first(summary, 'NetAmount'), 'Money'), 'currency') ?? '';
  if (!/^[A-Z]{3}$/.test(currency)) r.error(`${sp}/SubtotalAmount/Money/@currency`, `currency "${currency}" is not an ISO 4217 code`);

  const orders = [...all(doc.body, 'InvoiceDetailOrder'), ...all(doc.body, 'InvoiceDetailHeaderOrder')];
  const poNumbers = orders.map((o) => orderNumber(first(o, 'InvoiceDetailOrderInfo')));
  const several = new Set(poNumbers).size > 1;
  const lines: InvoiceLine[] = [];
  const lineTaxes: Tax[] = [];
  const lineCharges: AllowanceCharge[] = [];
  all(doc.body, 'InvoiceDetailOrder').forEach((order, i) => {
    const poNumber = poNumbers[i]!;
    const items = [...all(order, 'InvoiceDetailItem').map((n) => ({ n, service: false })), ...all(order, 'InvoiceDetailServiceItem').map((n) => ({ n, service: true }))];
    items.forEach(({ n: item, service }, k) => {
      const ip = `${BASE}/InvoiceDetailOrder[${i + 1}]/${service ? 'InvoiceDetailServiceItem' : 'InvoiceDetailItem'}[${k + 1}]`;
      const ref = first(item, service ? 'InvoiceDetailServiceItemReference' : 'InvoiceDetailItemReference');
      const lineNumber = r.required(attr(item, 'invoiceLineNumber'), `${ip}/@invoiceLineNumber`, 'invoiceLineNumber');
      const subtotal = r.money(first(item, 'SubtotalAmount'), `${ip}/SubtotalAmount`, service).amount;
      const quantity = r.decimal(attr(item, 'quantity'), `${ip}/@quantity`, !service) ?? '1';
      const unitPrice = r.money(first(item, 'UnitPrice'), `${ip}/UnitPrice`, !service).amount ?? subtotal ?? '0';
      const line: InvoiceLine = {
        lineNumber,
        itemIds: r.itemIds(first(ref, 'ItemID'), ref, [item], ip),
        quantity,
        uom: service && !first(item, 'UnitOfMeasure') ? 'EA' : r.uom(text(first(item, 'UnitOfMeasure')), `${ip}/UnitOfMeasure`),
        unitPrice,
        amount: subtotal ?? multiplyDecimal(quantity, unitPrice),
      };
      const poLine = attr(ref, 'lineNumber')?.trim();
      if (poLine) line.poLineNumber = poLine;
      if (several) line.poNumber = poNumber;
      const description = childText(ref, 'Description');
      if (description) line.description = description;
      lines.push(line);
      lineTaxes.push(...taxes(r, first(item, 'Tax'), `${ip}/Tax`, lineNumber));
      lineCharges.push(
        ...charge(r, 'charge', 'shipping', first(item, 'InvoiceDetailLineShipping'), `${ip}/InvoiceDetailLineShipping`, lineNumber),
        ...charge(r, 'charge', 'special-handling', first(item, 'InvoiceDetailLineSpecialHandling'), `${ip}/InvoiceDetailLineSpecialHandling`, lineNumber),
        ...charge(r, 'allowance', 'discount', first(item, 'InvoiceDetailDiscount'), `${ip}/InvoiceDetailDiscount`, lineNumber),
      );
    });
  });

  const has = (code: string): boolean => lineCharges.some((c) => c.code === code);
  const allowancesCharges = [
    ...lineCharges,
    ...(has('shipping') ? [] : charge(r, 'charge', 'shipping', first(summary, 'ShippingAmount'), `${sp}/ShippingAmount`)),
    ...(has('special-handling') ? [] : charge(r, 'charge', 'special-handling', first(summary, 'SpecialHandlingAmount'), `${sp}/SpecialHandlingAmount`)),
    ...(has('discount') ? [] : charge(r, 'allowance', 'discount', first(summary, 'InvoiceDetailDiscount'), `${sp}/InvoiceDetailDiscount`)),
  ];
  const allTaxes = lineTaxes.length ? lineTaxes : taxes(r, first(summary, 'Tax'), `${sp}/Tax`);
  const stated = ['DueAmount', 'NetAmount', 'GrossAmount']
    .map((name) => r.money(first(summary, name), `${sp}/${name}`, false).amount)
    .find((a) => a !== undefined);
  const subtotal = r.money(first(summary, 'SubtotalAmount'), `${sp}/SubtotalAmount`, true).amount ?? sumDecimals(lines.map((l) => l.amount));
  const totalAmount = stated ?? sumDecimals([
    subtotal,
    ...allTaxes.map((t) => t.amount),
    ...allowancesCharges.map((c) => (c.kind === 'charge' ? c.amount : negateDecimal(c.amount))),
  ]);

  const invoice: Invoice = {
    type: 'invoice', ...canonicalBase(doc, profile), invoiceNumber, invoiceDate, purpose: purpose ?? 'invoice',
    poNumber: poNumbers[0] ?? '', currency, lines, allowancesCharges, taxes: allTaxes, totalAmount,
  };
  const terms = r.paymentTerms(all(header, 'PaymentTerm'), `${hp}/PaymentTerm`);
  if (terms) invoice.paymentTerms = terms;
  for (const partner of all(header, 'InvoicePartner')) {
    const contact = first(partner, 'Contact');
    const role = attr(contact, 'role');
    const party = r.party(contact) ?? { ids: [] };
    party.ids.push(...(r.party(partner)?.ids ?? []));
    if (role === 'remitTo' && !invoice.remitTo) invoice.remitTo = party;
    if (role === 'billTo' && !invoice.billTo) invoice.billTo = party;
  }
  const shipNotice = attr(first(header, 'ShipNoticeIDInfo'), 'shipNoticeID')?.trim();
  if (shipNotice) invoice.shipmentId = shipNotice;
  return r.errors.length ? { errors: r.errors } : { document: invoice, errors: [] };
}
