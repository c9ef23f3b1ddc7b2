/**
 * Canonical order → a whole 850 interchange (ISA..IEA), 004010 or 005010, by plain string building.
 * Delimiters, version, ISA qualifiers/ids, item-id qualifier order and unit map come from the profile.
 * BEG01 00 new / 01 cancel / 05 change (a change is sent as a complete replacement order, BEG01=05,
 * which every 850 reader understands; the 860 is not used), BEG02 SA; REF*PP revision, REF*CT contract;
 * N1 BY/ST/BT/VN with N3/N4/PER (a party's first id only); DTM*002 requested delivery; ITD; N9*L1 + MSG
 * notes; PO1 with the ids in profile order, PID*F description, line DTM*002; CTT with the quantity hash.
 * Free text loses delimiter characters (replaced by a space); an id or code containing one is refused.
 */
import type { Order, OrderLine, Party, PaymentTerms } from '../types.ts';
import type { OurIdentity, PartnerProfile } from '../profile.ts';
import { TranslationError } from '../errors.ts';
import { toX12Date, x12Stamp } from '../common/dates.ts';
import { isDecimal, minimalDecimal, sumDecimals } from '../common/decimal.ts';
import { qualifiedFromItemIds } from '../common/item-ids.ts';
import { uomToPartner } from '../common/uom.ts';

export interface Render850Options {
  profile: PartnerProfile;
  ours: OurIdentity;
  controlNumbers: { interchange: string; group: string; transaction: string };
  version?: '004010' | '005010';
  date?: Date;
}

const DEFAULT_ITEM_ID_QUALIFIERS = ['VN', 'BP', 'UK', 'N4', 'HI'];
const BEG_PURPOSE = { new: '00', cancel: '01', change: '05' } as const;
const PARTY_CODES: ReadonlyArray<[keyof Order, string]> = [['buyer', 'BY'], ['shipTo', 'ST'], ['billTo', 'BT'], ['vendor', 'VN']];

class SegmentWriter {
  readonly out: string[] = [];
  count = 0;
  private readonly forbidden: RegExp;

  constructor(private readonly e: string, private readonly terminator: string, delimiters: string[]) {
    this.forbidden = new RegExp(`[${delimiters.map((d) => `\\x${d.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}]`, 'g');
  }

  /** Writes a segment, dropping trailing empty elements. */
  seg(...elements: string[]): void {
    let end = elements.length;
    while (end > 1 && elements[end - 1] === '') end--;
    this.out.push(elements.slice(0, end).join(this.e) + this.terminator);
    this.count++;
  }

  /** Free text with delimiter characters replaced by a space. */
  text(value: string | undefined): string {
    return (value ?? '').replace(this.forbidden, ' ').trim();
  }

  /** An identifier or code: refused when it contains a delimiter. */
  id(value: string | undefined, what: string): string {
    const v = value ?? '';
    this.forbidden.lastIndex = 0;
    if (this.forbidden.test(v)) throw new TranslationError('X12_DELIMITER_IN_DATA', `${what} "${v}" contains an X12 delimiter of this partner`);
    this.forbidden.lastIndex = 0;
    return v;
  }
}

function digits(value: string, width: number, what: string): string {
  if (!/^\d+$/.test(value) || value.length > width) throw new TranslationError('CONTROL_NUMBER_INVALID', `${what} "${value}" must be 1 to ${width} digits`);
  return value.padStart(width, '0');
}

function amount(value: string, what: string): string {
  if (!isDecimal(value)) throw new TranslationError('ORDER_INVALID', `${what} "${value}" is not a decimal`);
  return minimalDecimal(value);
}

function checkOrder(order: Order): void {
  if (order.type !== 'order' || !order.poNumber || !/^\d{4}-\d{2}-\d{2}$/.test(order.orderDate ?? '') || !order.lines?.length) {
    throw new TranslationError('ORDER_INVALID', 'an order needs type "order", a poNumber, an orderDate (YYYY-MM-DD) and at least one line');
  }
}

/** The 850 interchange for `order`, ready to send. */
export function render850(order: Order, options: Render850Options): string {
  checkOrder(order);
  const { profile, ours } = options;
  const x12 = profile.x12;
  if (!x12) throw new TranslationError('PROFILE_NOT_X12', `partner ${profile.id} has no x12 settings`);
  const version = options.version ?? x12.version ?? '004010';
  const d = { element: '*', component: ':', repetition: '^', segment: '~', lineBreak: true, ...x12.delimiters };
  const is5010 = version === '005010';
  const w = new SegmentWriter(d.element, d.segment + (d.lineBreak ? '\n' : ''), [d.element, d.component, d.segment, ...(is5010 ? [d.repetition] : [])]);
  const stamp = x12Stamp(options.date ?? new Date());
  const isaControl = digits(options.controlNumbers.interchange, 9, 'interchange control number');
  const groupControl = digits(options.controlNumbers.group, 9, 'group control number').replace(/^0+(?=\d)/, '');
  const stControl = digits(options.controlNumbers.transaction, 9, 'transaction control number').replace(/^0+(?=\d)/, '').padStart(4, '0');
  const ourQualifier = x12.ourIsaQualifier ?? ours.isaQualifier;
  const ourId = x12.ourIsaId ?? ours.isaId;
  const ourGs = x12.ourGsId ?? ours.gsId;

  const isa = [
    'ISA', '00', ' '.repeat(10), '00', ' '.repeat(10),
    w.id(ourQualifier, 'ISA05'), w.id(ourId, 'ISA06').padEnd(15), w.id(x12.isaQualifier, 'ISA07'), w.id(x12.isaId, 'ISA08').padEnd(15),
    stamp.yymmdd, stamp.hhmm, is5010 ? d.repetition : 'U', is5010 ? '00501' : '00401', isaControl,
    x12.requestTa1 ? '1' : '0', x12.usageIndicator ?? 'P', d.component,
  ];
  const head = [isa.join(d.element) + d.segment + (d.lineBreak ? '\n' : '')];
  head.push(['GS', 'PO', w.id(ourGs, 'GS02'), w.id(x12.gsId, 'GS03'), stamp.ccyymmdd, stamp.hhmm, groupControl, 'X', version].join(d.element) + d.segment + (d.lineBreak ? '\n' : ''));

  w.seg('ST', '850', stControl);
  w.seg('BEG', BEG_PURPOSE[order.purpose ?? 'new'], 'SA', w.id(order.poNumber, 'poNumber'), '', toX12Date(order.orderDate));
  if (order.currency) w.seg('CUR', 'BY', w.id(order.currency, 'currency'));
  if (order.revision) w.seg('REF', 'PP', w.id(order.revision, 'revision'));
  if (order.contractNumber) w.seg('REF', 'CT', w.id(order.contractNumber, 'contractNumber'));
  if (order.paymentTerms) writeTerms(w, order.paymentTerms);
  if (order.requestedDeliveryDate) w.seg('DTM', '002', toX12Date(order.requestedDeliveryDate));
  if (order.notes?.length) {
    w.seg('N9', 'L1', 'NOTES');
    for (const note of order.notes) w.seg('MSG', w.text(note).slice(0, 264));
  }
  for (const [key, code] of PARTY_CODES) {
    const party = order[key] as Party | undefined;
    if (party) writeParty(w, code, party);
  }
  const qualifiers = x12.itemIdQualifiers ?? DEFAULT_ITEM_ID_QUALIFIERS;
  for (const line of order.lines) writeLine(w, line, qualifiers, profile);
  w.seg('CTT', String(order.lines.length), minimalDecimal(sumDecimals(order.lines.map((l) => amount(l.quantity, `line ${l.lineNumber} quantity`)))));
  w.seg('SE', String(w.count + 1), stControl);
  const tail = [`GE${d.element}1${d.element}${groupControl}`, `IEA${d.element}1${d.element}${isaControl}`].map((s) => s + d.segment + (d.lineBreak ? '\n' : ''));
  return head.join('') + w.out.join('') + tail.join('');
}

function writeTerms(w: SegmentWriter, terms: PaymentTerms): void {
  const pct = terms.discountPercent ? amount(terms.discountPercent, 'discountPercent') : '';
  w.seg('ITD', pct ? '08' : '01', '3', pct, '', terms.discountDays ?? '', '', terms.netDays ?? '', '', '', '', '', w.text(terms.description).slice(0, 80));
}

function writeParty(w: SegmentWriter, code: string, party: Party): void {
  const id = party.ids[0];
  w.seg('N1', code, w.text(party.name).slice(0, 60), id ? w.id(id.qualifier, 'party id qualifier') : '', id ? w.id(id.value, 'party id') : '');
  const lines = party.address?.lines.map((l) => w.text(l)) ?? [];
  for (let i = 0; i < Math.min(lines.length, 4); i += 2) w.seg('N3', lines[i]!.slice(0, 55), (lines[i + 1] ?? '').slice(0, 55));
  const a = party.address;
  if (a && (a.city || a.state || a.postalCode || a.country)) w.seg('N4', w.text(a.city), w.id(a.state, 'state'), w.id(a.postalCode, 'postal code'), w.id(a.country, 'country'));
  const c = party.contact;
  if (c && (c.name || c.phone || c.email)) {
    const comm = [...(c.phone ? ['TE', w.text(c.phone)] : []), ...(c.email ? ['EM', w.id(c.email, 'email')] : [])];
    w.seg('PER', 'BD', w.text(c.name), ...comm);
  }
}

function writeLine(w: SegmentWriter, line: OrderLine, qualifiers: readonly string[], profile: PartnerProfile): void {
  const ids = qualifiedFromItemIds(line.itemIds, qualifiers).slice(0, 10).flatMap((q) => [q.qualifier, w.id(q.value, `line ${line.lineNumber} ${q.qualifier}`)]);
  const price = line.unitPrice !== undefined ? amount(line.unitPrice, `line ${line.lineNumber} unitPrice`) : '';
  w.seg('PO1', w.id(line.lineNumber, 'lineNumber'), amount(line.quantity, `line ${line.lineNumber} quantity`), w.id(uomToPartner(line.uom, profile), 'uom'), price, price ? 'PE' : '', ...ids);
  if (line.description) w.seg('PID', 'F', '', '', '', w.text(line.description).slice(0, 80));
  if (line.requestedDeliveryDate) w.seg('DTM', '002', toX12Date(line.requestedDeliveryDate));
}
