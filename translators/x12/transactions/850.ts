/**
 * 850 Purchase Order → canonical order. BEG01 00 → new, 01 → cancel, 04/05 → change (others: new);
 * BEG03 PO number, BEG05 date, BEG06 or REF*CT contract, REF*PP revision; CUR02 currency (USD when
 * absent); N1 ST/BY/BT/VN|SE|SU parties with N3/N4/PER; DTM*002 requested delivery (header and line);
 * ITD terms; MSG/NTE notes; PO1 lines with item ids, PID*F description.
 */
import type { Order, OrderLine, Party } from '../../types.ts';
import type { PartnerProfile } from '../../profile.ts';
import { uomFromPartner } from '../../common/uom.ts';
import { el } from '../segments.ts';
import type { TransactionInput, TransactionResult } from '../transaction.ts';
import { withHooks } from '../hooks.ts';
import { envelopeFields } from './envelope-fields.ts';
import { Findings, lineNumber, positioned, type At } from './findings.ts';
import { readPairs } from './item-ids.ts';
import { addToParty, PARTY_MEMBERS, startParty } from './parties.ts';
import { readTerms } from './terms.ts';

const PURPOSES: Readonly<Record<string, Order['purpose']>> = { '00': 'new', '01': 'cancel', '04': 'change', '05': 'change' };
const PARTY_ROLES: Readonly<Record<string, 'shipTo' | 'buyer' | 'billTo' | 'vendor'>> = { ST: 'shipTo', BY: 'buyer', BT: 'billTo', VN: 'vendor', SE: 'vendor', SU: 'vendor' };

function map850(input: TransactionInput, profile?: PartnerProfile): TransactionResult<Order> {
  const f = new Findings();
  const order: Partial<Order> & { lines: OrderLine[] } = { type: 'order', ...envelopeFields(input, profile), lines: [] };
  const notes: string[] = [];
  let party: Party | undefined;
  let line: OrderLine | undefined;
  let beg: At | undefined;

  for (const at of positioned(input.segments)) {
    const s = at.segment;
    if (party && !PARTY_MEMBERS.has(s.id)) party = undefined;
    if (party) {
      addToParty(party, at);
      continue;
    }
    switch (s.id) {
      case 'BEG': {
        beg = at;
        order.purpose = PURPOSES[el(s, 1)] ?? 'new';
        const po = f.required(at, 3, 'purchase order number');
        if (po) order.poNumber = po;
        const date = f.date(at, 5);
        if (date) order.orderDate = date;
        if (el(s, 6)) order.contractNumber = el(s, 6);
        break;
      }
      case 'CUR':
        if (!line && el(s, 2)) order.currency = el(s, 2);
        break;
      case 'REF':
        if (line) break;
        if (el(s, 1) === 'CT' && el(s, 2)) order.contractNumber = el(s, 2);
        if (el(s, 1) === 'PP' && el(s, 2)) order.revision = el(s, 2);
        break;
      case 'ITD':
        if (!line && !order.paymentTerms) order.paymentTerms = readTerms(at, f);
        break;
      case 'DTM':
        if (el(s, 1) === '002') {
          const date = f.date(at, 2);
          if (date && line) line.requestedDeliveryDate = date;
          else if (date) order.requestedDeliveryDate = date;
        }
        break;
      case 'MSG':
        if (!line && el(s, 1)) notes.push(el(s, 1));
        break;
      case 'NTE':
        if (!line && el(s, 2)) notes.push(el(s, 2));
        break;
      case 'N1': {
        const role = PARTY_ROLES[el(s, 1)];
        party = startParty(at);
        if (!line && role && !order[role]) order[role] = party;
        break;
      }
      case 'PO1':
        line = readLine(at, order.lines.length + 1, f, profile);
        order.lines.push(line);
        break;
      case 'PID':
        if (line && el(s, 1) === 'F' && el(s, 5)) line.description = line.description ? `${line.description} ${el(s, 5)}` : el(s, 5);
        break;
      case 'CTT':
        if (el(s, 1) && Number(el(s, 1)) !== order.lines.length) {
          f.warning(at, 'LINE_COUNT_MISMATCH', `CTT01 says ${el(s, 1)} line items, the order has ${order.lines.length}`, 1);
        }
        break;
    }
  }
  if (notes.length > 0) order.notes = notes;
  order.currency ??= 'USD';
  if (!beg) return { errors: f.errors, warnings: f.warnings };
  if (!order.poNumber || !order.orderDate || f.errors.length > 0) return { errors: f.errors, warnings: f.warnings };
  return { document: order as Order, errors: f.errors, warnings: f.warnings };
}

function readLine(at: At, sequence: number, f: Findings, profile?: PartnerProfile): OrderLine {
  const quantity = f.decimal(at, 2) ?? (f.required(at, 2, 'quantity'), '0');
  const uom = f.required(at, 3, 'unit of measure') ?? '';
  const line: OrderLine = {
    lineNumber: el(at.segment, 1) ? lineNumber(el(at.segment, 1)) : String(sequence),
    quantity,
    uom: uomFromPartner(uom, profile),
    itemIds: readPairs(at, 6, f).itemIds,
  };
  const price = f.decimal(at, 4);
  if (price !== undefined) line.unitPrice = price;
  return line;
}

/** 850 → canonical order (needed for the corpus and to read back what we render). */
export const translate850 = withHooks('850', map850);
