/**
 * 855 Purchase Order Acknowledgment → canonical order-ack.
 * BAK02: AD/AK/AP/AT/NA → accepted, AC/AE/AH → accepted-with-changes, RD/RF/RJ/RO → rejected (ZZ or
 * an unknown code: from the lines). BAK03 PO number; ack date BAK09, else the interchange date, else
 * BAK04; supplier order number BAK08, else REF*VN/CO; the PO revision acknowledged from REF*PP. Each PO1 line takes the status of its most severe
 * ACK (rejected > backordered > changed > accepted; no ACK = accepted) with that ACK01 as statusCode;
 * quantity = the sum of the non-rejecting ACK02s (when no ACK has one: 0 for a rejected line, else PO102); scheduled date from ACK05,
 * else DTM 067/068/017/002/010 of the line, else the earliest SCH06.
 */
import type { AckLineStatus, AckType, OrderAck, OrderAckLine } from '../../types.ts';
import type { PartnerProfile } from '../../profile.ts';
import { x12Date } from '../../common/dates.ts';
import { addDecimal } from '../../common/decimal.ts';
import { uomFromPartner } from '../../common/uom.ts';
import { el } from '../segments.ts';
import type { TransactionInput, TransactionResult } from '../transaction.ts';
import { withHooks } from '../hooks.ts';
import { envelopeFields } from './envelope-fields.ts';
import { Findings, lineNumber, positioned, type At } from './findings.ts';
import { readPairs } from './item-ids.ts';

const ACK_TYPES: Readonly<Record<string, AckType>> = {
  AD: 'accepted', AK: 'accepted', AP: 'accepted', AT: 'accepted', NA: 'accepted',
  AC: 'accepted-with-changes', AE: 'accepted-with-changes', AH: 'accepted-with-changes',
  RD: 'rejected', RF: 'rejected', RJ: 'rejected', RO: 'rejected',
};

/** ACK01 → line status; IF/IH/IW (on hold) count as backordered: nothing ships yet. */
const LINE_STATUSES: Readonly<Record<string, AckLineStatus>> = {
  IA: 'accepted', AC: 'accepted', AR: 'accepted',
  IB: 'backordered', BP: 'backordered', IF: 'backordered', IH: 'backordered', IW: 'backordered',
  IC: 'changed', IP: 'changed', IQ: 'changed', IS: 'changed', DR: 'changed', SP: 'changed', IE: 'changed',
  IR: 'rejected', ID: 'rejected', R1: 'rejected', R2: 'rejected', R3: 'rejected', R4: 'rejected', R5: 'rejected', R6: 'rejected', R7: 'rejected', R8: 'rejected',
};
const SEVERITY: readonly AckLineStatus[] = ['accepted', 'changed', 'backordered', 'rejected'];
const SCHEDULE_QUALIFIERS: readonly string[] = ['067', '068', '017', '002', '010'];

interface LineState {
  line: OrderAckLine;
  orderedQuantity?: string;
  ackQuantity?: string;
  ackDate?: string;
  dtmDate?: string;
  schDate?: string;
}

function map855(input: TransactionInput, profile?: PartnerProfile): TransactionResult<OrderAck> {
  const f = new Findings();
  const ack: Partial<OrderAck> & { lines: OrderAckLine[] } = { type: 'order-ack', ...envelopeFields(input, profile), lines: [] };
  const states: LineState[] = [];
  let current: LineState | undefined;
  let bak: At | undefined;
  let ackTypeCode = '';
  let poDate: string | undefined;
  let ackDate: string | undefined;

  for (const at of positioned(input.segments)) {
    const s = at.segment;
    switch (s.id) {
      case 'BAK': {
        bak = at;
        ackTypeCode = el(s, 2);
        const po = f.required(at, 3, 'purchase order number');
        if (po) ack.poNumber = po;
        poDate = f.date(at, 4);
        ackDate = f.date(at, 9);
        if (el(s, 8)) ack.supplierOrderNumber = el(s, 8);
        break;
      }
      case 'REF':
        if (!current && (el(s, 1) === 'VN' || el(s, 1) === 'CO') && el(s, 2)) ack.supplierOrderNumber ??= el(s, 2);
        if (!current && el(s, 1) === 'PP' && el(s, 2)) ack.revision = el(s, 2);
        break;
      case 'PO1': {
        const line: OrderAckLine = {
          lineNumber: el(s, 1) ? lineNumber(el(s, 1)) : String(states.length + 1),
          status: 'accepted',
        };
        const uom = el(s, 3);
        if (uom) line.uom = uomFromPartner(uom, profile);
        const price = f.decimal(at, 4);
        if (price !== undefined) line.unitPrice = price;
        const { itemIds } = readPairs(at, 6, f);
        if (Object.keys(itemIds).length > 0) line.itemIds = itemIds;
        current = { line };
        const ordered = f.decimal(at, 2);
        if (ordered !== undefined) current.orderedQuantity = ordered;
        states.push(current);
        break;
      }
      case 'ACK':
        if (current) readAck(current, at, f);
        break;
      case 'DTM':
        if (current && SCHEDULE_QUALIFIERS.includes(el(s, 1))) current.dtmDate ??= f.date(at, 2);
        break;
      case 'SCH': {
        const date = current && f.date(at, 6);
        if (current && date && (!current.schDate || date < current.schDate)) current.schDate = date;
        break;
      }
    }
  }

  for (const state of states) {
    const { line } = state;
    const quantity = state.ackQuantity ?? (line.status === 'rejected' ? '0' : state.orderedQuantity);
    if (quantity !== undefined) line.quantity = quantity;
    const scheduled = state.ackDate ?? state.dtmDate ?? state.schDate;
    if (scheduled) line.scheduledDate = scheduled;
    ack.lines.push(line);
  }
  if (!bak) return { errors: f.errors, warnings: f.warnings };
  const fromHeader = ACK_TYPES[ackTypeCode];
  if (!fromHeader && ackTypeCode !== 'ZZ') f.warning(bak, 'ACK_TYPE_UNKNOWN', `BAK02 "${ackTypeCode}" is not an acknowledgment type we know: taken from the lines`, 2);
  ack.ackType = fromHeader ?? typeFromLines(ack.lines);
  const date = ackDate ?? x12Date(input.interchange.date) ?? poDate;
  if (date) ack.ackDate = date;
  if (!ack.poNumber || !ack.ackDate || f.errors.length > 0) return { errors: f.errors, warnings: f.warnings };
  return { document: ack as OrderAck, errors: f.errors, warnings: f.warnings };
}

function readAck(state: LineState, at: At, f: Findings): void {
  const code = el(at.segment, 1);
  const status = LINE_STATUSES[code];
  if (!status) {
    f.warning(at, 'ACK_STATUS_UNKNOWN', `ACK01 "${code}" is not a line status we know: the line is left as it was`, 1);
    return;
  }
  const { line } = state;
  if (line.statusCode === undefined || SEVERITY.indexOf(status) > SEVERITY.indexOf(line.status)) {
    line.status = status;
    line.statusCode = code;
  }
  const quantity = f.decimal(at, 2);
  if (quantity !== undefined && status !== 'rejected') state.ackQuantity = state.ackQuantity ? addDecimal(state.ackQuantity, quantity) : quantity;
  if (el(at.segment, 5)) state.ackDate ??= f.date(at, 5);
  const { itemIds } = readPairs(at, 7, f);
  if (Object.keys(itemIds).length > 0) line.itemIds = { ...line.itemIds, ...itemIds };
}

function typeFromLines(lines: readonly OrderAckLine[]): AckType {
  if (lines.length > 0 && lines.every((l) => l.status === 'rejected')) return 'rejected';
  return lines.every((l) => l.status === 'accepted') ? 'accepted' : 'accepted-with-changes';
}

/** 855 → canonical order-ack. */
export const translate855 = withHooks('855', map855);
