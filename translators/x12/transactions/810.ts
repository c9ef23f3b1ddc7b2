/**
 * 810 Invoice → canonical invoice. BIG01 date, BIG02 number, BIG04 PO number (else REF*PO), BIG07 CR →
 * credit-memo, DR → debit-memo; CUR02 currency (USD when absent); REF SI (else BM) shipment; N1 RI/RE
 * remit-to, BT (else BY) bill-to; ITD terms; IT1 lines (PO line from the IT1 PL pair or REF*LI; a missing quantity, price or
 * unit is a warning), amount = quantity × price rounded half-up to cents; SAC A/C allowances and charges (SAC05, implied 2 decimals;
 * SAC*N skipped) at header and line; TXI taxes (TXI02 real decimal); TDS01 total (implied 2 decimals),
 * checked against lines + charges − allowances + taxes: a mismatch is a warning at the TDS.
 */
import type { AllowanceCharge, Invoice, InvoiceLine, Party, Tax } from '../../types.ts';
import type { PartnerProfile } from '../../profile.ts';
import { addDecimal, compareDecimal, impliedDecimal, multiplyRounded, roundDecimal, subtractDecimal, sumDecimals } from '../../common/decimal.ts';
import { uomFromPartner } from '../../common/uom.ts';
import { el } from '../segments.ts';
import type { TransactionInput, TransactionResult } from '../transaction.ts';
import { withHooks } from '../hooks.ts';
import { envelopeFields } from './envelope-fields.ts';
import { Findings, lineNumber, ref, type At } from './findings.ts';
import { readPairs } from './item-ids.ts';
import { addToParty, PARTY_MEMBERS, startParty } from './parties.ts';
import { readTerms } from './terms.ts';

const PURPOSES: Readonly<Record<string, Invoice['purpose']>> = { CR: 'credit-memo', DR: 'debit-memo' };
/** the IT1 pair that carries the PO line number, not an item id */
const PO_LINE: ReadonlySet<string> = new Set(['PL']);

function map810(input: TransactionInput, profile?: PartnerProfile): TransactionResult<Invoice> {
  const f = new Findings();
  const invoice: Partial<Invoice> & Pick<Invoice, 'lines' | 'allowancesCharges' | 'taxes'> = {
    type: 'invoice', ...envelopeFields(input, profile), lines: [], allowancesCharges: [], taxes: [],
  };
  let party: Party | undefined;
  let line: InvoiceLine | undefined;
  let big: At | undefined;
  let tds: At | undefined;
  let shipmentFromBm: string | undefined;

  const segments = input.segments;
  for (let i = 0; i < segments.length; i++) {
    const at: At = { segment: segments[i]!, position: i + 1 };
    const s = at.segment;
    if (party && !PARTY_MEMBERS.has(s.id)) party = undefined;
    if (party) {
      addToParty(party, at);
      continue;
    }
    // the line segments first: they are most of an invoice
    switch (s.id) {
      case 'IT1':
        line = readLine(at, invoice.lines.length + 1, f, profile);
        invoice.lines.push(line);
        break;
      case 'PID':
        if (line && el(s, 1) === 'F' && el(s, 5)) line.description = line.description ? `${line.description} ${el(s, 5)}` : el(s, 5);
        break;
      case 'BIG': {
        big = at;
        const date = f.date(at, 1);
        if (date) invoice.invoiceDate = date;
        const number = f.required(at, 2, 'invoice number');
        if (number) invoice.invoiceNumber = number;
        if (el(s, 4)) invoice.poNumber = el(s, 4);
        invoice.purpose = PURPOSES[el(s, 7)] ?? 'invoice';
        break;
      }
      case 'CUR':
        if (!line && el(s, 2)) invoice.currency = el(s, 2);
        break;
      case 'REF':
        if (line) {
          if (el(s, 1) === 'LI' && el(s, 2)) line.poLineNumber ??= lineNumber(el(s, 2));
        } else if (el(s, 1) === 'PO' && el(s, 2)) invoice.poNumber ??= el(s, 2);
        else if (el(s, 1) === 'SI' && el(s, 2)) invoice.shipmentId ??= el(s, 2);
        else if (el(s, 1) === 'BM' && el(s, 2)) shipmentFromBm ??= el(s, 2);
        break;
      case 'N1': {
        party = startParty(at);
        if (line) break;
        if (el(s, 1) === 'RI' || el(s, 1) === 'RE') invoice.remitTo ??= party;
        if (el(s, 1) === 'BT') invoice.billTo = party;
        if (el(s, 1) === 'BY') invoice.billTo ??= party;
        break;
      }
      case 'ITD':
        if (!line && !invoice.paymentTerms) invoice.paymentTerms = readTerms(at, f);
        break;
      case 'SAC': {
        const sac = readSac(at, f);
        if (sac) invoice.allowancesCharges.push(line && !tds ? { ...sac, lineNumber: line.lineNumber } : sac);
        break;
      }
      case 'TXI': {
        const tax = readTax(at, f);
        if (tax) invoice.taxes.push(line && !tds ? { ...tax, lineNumber: line.lineNumber } : tax);
        break;
      }
      case 'TDS': {
        tds = at;
        line = undefined;
        const total = impliedDecimal(el(s, 1), 2);
        if (total === undefined) f.error(at, el(s, 1) ? '6' : '1', `TDS01 "${el(s, 1)}" is not an amount in cents`, 1);
        else invoice.totalAmount = total;
        break;
      }
    }
  }
  invoice.currency ??= 'USD';
  invoice.shipmentId ??= shipmentFromBm;
  if (invoice.shipmentId === undefined) delete invoice.shipmentId;
  if (big && !invoice.poNumber) f.warning(big, 'PO_NUMBER_MISSING', 'neither BIG04 nor REF*PO gives the purchase order number', 4);
  invoice.poNumber ??= '';
  const computed = computedTotal(invoice);
  if (tds && invoice.totalAmount !== undefined && compareDecimal(invoice.totalAmount, computed) !== 0) {
    f.warning(tds, 'TOTAL_MISMATCH', `TDS01 total ${invoice.totalAmount} differs from lines + charges − allowances + taxes = ${computed}`, 1);
  }
  if (!tds && big) f.warning(big, 'TOTAL_MISSING', `no TDS: the total is taken as computed, ${computed}`);
  invoice.totalAmount ??= computed;
  if (!big || !invoice.invoiceNumber || !invoice.invoiceDate || f.errors.length > 0) return { errors: f.errors, warnings: f.warnings };
  return { document: invoice as Invoice, errors: f.errors, warnings: f.warnings };
}

function readLine(at: At, sequence: number, f: Findings, profile?: PartnerProfile): InvoiceLine {
  const { itemIds, set } = readPairs(at, 6, f, PO_LINE);
  const quantity = f.decimal(at, 2) ?? missing(at, 2, 'quantity invoiced', f);
  const unitPrice = f.decimal(at, 4) ?? missing(at, 4, 'unit price', f);
  const line: InvoiceLine = {
    lineNumber: el(at.segment, 1) ? lineNumber(el(at.segment, 1)) : String(sequence),
    itemIds,
    quantity,
    uom: uomFromPartner(el(at.segment, 3) || (missing(at, 3, 'unit of measure', f), ''), profile),
    unitPrice,
    amount: multiplyRounded(quantity, unitPrice, 2),
  };
  const poLine = set.find((p) => p.qualifier === 'PL');
  if (poLine) line.poLineNumber = lineNumber(poLine.value);
  return line;
}

/** IT1 elements the standard leaves conditional but matching needs: a warning, and 0 in their place. */
function missing(at: At, n: number, what: string, f: Findings): string {
  if (!el(at.segment, n)) f.warning(at, 'LINE_VALUE_MISSING', `${ref(at, n)} (${what}) is missing: taken as 0 / empty`, n);
  return '0';
}

function readSac(at: At, f: Findings): AllowanceCharge | undefined {
  const s = at.segment;
  const kind = el(s, 1) === 'A' ? 'allowance' : el(s, 1) === 'C' ? 'charge' : undefined;
  if (!kind) return undefined;
  const amount = impliedDecimal(el(s, 5), 2);
  if (amount === undefined) {
    f.warning(at, 'AMOUNT_MISSING', `${ref(at, 5)} "${el(s, 5)}" gives no amount: the ${kind} is left out of the invoice`, 5);
    return undefined;
  }
  const out: AllowanceCharge = { kind, amount };
  if (el(s, 2)) out.code = el(s, 2);
  if (el(s, 15)) out.description = el(s, 15);
  return out;
}

function readTax(at: At, f: Findings): Tax | undefined {
  const amount = f.decimal(at, 2);
  if (amount === undefined) return undefined;
  const tax: Tax = { amount };
  if (el(at.segment, 1)) tax.type = el(at.segment, 1);
  const percent = f.decimal(at, 3);
  if (percent !== undefined) tax.percent = percent;
  return tax;
}

/** lines + charges − allowances + taxes, rounded to cents. */
function computedTotal(invoice: Pick<Invoice, 'lines' | 'allowancesCharges' | 'taxes'>): string {
  const lines = sumDecimals(invoice.lines.map((l) => l.amount));
  const charges = sumDecimals(invoice.allowancesCharges.filter((a) => a.kind === 'charge').map((a) => a.amount));
  const allowances = sumDecimals(invoice.allowancesCharges.filter((a) => a.kind === 'allowance').map((a) => a.amount));
  const taxes = sumDecimals(invoice.taxes.map((t) => t.amount));
  return roundDecimal(addDecimal(subtractDecimal(addDecimal(lines, charges), allowances), taxes), 2);
}

/** 810 → canonical invoice. */
export const translate810 = withHooks('810', map810);
