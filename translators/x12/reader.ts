/**
 * The envelope reader: walks a file of one or more interchanges and yields one event per interchange,
 * group and transaction set, so a huge interchange is handled one transaction at a time (only the current
 * transaction's segments are held). Every envelope problem is reported with its TA1 note code (interchange),
 * AK9 code (group) or AK5 code (transaction set); control numbers stay raw strings.
 */
import type { DocumentError } from '../types.ts';
import { TranslationError } from '../errors.ts';
import type { Segment } from './segments.ts';
import { el } from './segments.ts';
import type { GroupInfo, TransactionInput } from './transaction.ts';
import { readIsa, type IsaHeader, type UnreadableIsa } from './isa.ts';
import { SegmentScanner, decodeX12, skipBlanks } from './scanner.ts';

export interface GroupHeader {
  info: GroupInfo;
  segment: Segment;
  /** 1-based position of the group within its interchange */
  index: number;
}

export interface RawTransaction {
  input: TransactionInput;
  offset: number;
  group: GroupHeader;
  /** AK5/IK5 codes found in the ST/SE envelope (segment 'ST' or 'SE') */
  setErrors: DocumentError[];
}

export interface GroupTrailer {
  group: GroupHeader;
  /** transaction sets read in the group */
  transactionCount: number;
  /** GE01 as sent, undefined when GE is missing */
  declaredCount?: string;
  /** AK9 codes (segment 'GS' or 'GE') */
  errors: DocumentError[];
}

export interface InterchangeTrailer {
  header: IsaHeader;
  groupCount: number;
  /** TA1 note codes: the header's and the structure's; empty when the envelope is sound */
  errors: DocumentError[];
  warnings: DocumentError[];
  /** offset just after the interchange (after IEA, or where it was cut off) */
  end: number;
}

export type X12Event =
  | { type: 'junk'; offset: number; length: number; preview: string }
  | { type: 'unreadable'; isa: UnreadableIsa }
  | { type: 'interchange'; header: IsaHeader }
  | { type: 'group'; group: GroupHeader }
  | { type: 'transaction'; transaction: RawTransaction }
  | { type: 'group-end'; trailer: GroupTrailer }
  | { type: 'ta1'; segment: Segment; header: IsaHeader }
  | { type: 'interchange-end'; trailer: InterchangeTrailer };

const ENVELOPE_IDS = new Set(['ISA', 'IEA', 'GS', 'GE', 'ST']);

/** The start of the next thing that looks like an ISA header at or after `from`, or -1. */
export function findIsa(text: string, from: number): number {
  let p = text.indexOf('ISA', from);
  while (p >= 0) {
    const sep = text[p + 3];
    if (sep !== undefined && !/[A-Za-z0-9\s]/.test(sep) && text.indexOf(sep, p + 4) - p < 40) return p;
    p = text.indexOf('ISA', p + 1);
  }
  return -1;
}

/**
 * Walks every interchange in `raw`. Throws TranslationError('not-x12') when no ISA header is found at all.
 * Text before the first ISA or between interchanges is yielded as 'junk'.
 */
export function* readX12(raw: Uint8Array | string): Generator<X12Event> {
  const text = decodeX12(raw);
  let p = skipBlanks(text, 0);
  if (!text.startsWith('ISA', p)) {
    const found = findIsa(text, p);
    if (found < 0) throw new TranslationError('not-x12', p >= text.length ? 'the input is empty' : 'the input does not start with an ISA interchange header and contains none');
  }
  const seen = new Set<string>();
  while (p < text.length) {
    if (!text.startsWith('ISA', p)) {
      const found = findIsa(text, p);
      const end = found < 0 ? text.length : found;
      yield { type: 'junk', offset: p, length: end - p, preview: text.slice(p, Math.min(end, p + 60)) };
      if (found < 0) return;
      p = found;
    }
    const isa = readIsa(text, p);
    if (!('info' in isa)) {
      yield { type: 'unreadable', isa };
      const next = findIsa(text, p + 3);
      p = next < 0 ? text.length : next;
      continue;
    }
    const key = `${isa.info.senderQualifier}/${isa.info.senderId}/${isa.info.controlNumber}`;
    if (seen.has(key)) isa.errors.push({ segment: 'ISA', position: 1, element: 13, code: '025', message: `interchange control number ${isa.info.controlNumber} from this sender appears twice in the file` });
    seen.add(key);
    p = yield* readInterchange(text, isa);
    p = skipBlanks(text, p);
  }
}

function* readInterchange(text: string, header: IsaHeader): Generator<X12Event, number> {
  yield { type: 'interchange', header };
  const { delimiters, info } = header;
  const errors = [...header.errors];
  const warnings = [...header.warnings];
  const structure = (code: string, segment: Segment | undefined, message: string) =>
    errors.push({ ...(segment ? { segment: segment.id } : {}), code, message });
  const scanner = new SegmentScanner(text, delimiters, header.end);
  const groupIds = new Set<string>();
  let group: { header: GroupHeader; count: number; setIds: Set<string> } | undefined;
  let groupCount = 0;
  let strayRun = false;

  function* closeGroup(ge: Segment | undefined): Generator<X12Event> {
    if (!group) return;
    const groupErrors: DocumentError[] = [];
    const gs06 = group.header.info.controlNumber;
    if (!ge) {
      groupErrors.push({ segment: 'GE', code: '3', message: `functional group ${gs06} has no GE trailer` });
    } else {
      const ge01 = el(ge, 1);
      const ge02 = el(ge, 2);
      if (ge01 !== String(group.count) && !(/^\d+$/.test(ge01) && Number(ge01) === group.count)) {
        groupErrors.push({ segment: 'GE', element: 1, code: '5', message: `GE01 says ${ge01 || 'nothing'} transaction sets, the group holds ${group.count}` });
      }
      if (!sameControlNumber(ge02, gs06)) {
        groupErrors.push({ segment: 'GE', element: 2, code: '4', message: `GE02 ${ge02 || '(empty)'} does not match GS06 ${gs06}` });
      }
    }
    if (!/^\d{1,9}$/.test(gs06)) groupErrors.unshift({ segment: 'GS', element: 6, code: '6', message: `GS06 ${JSON.stringify(gs06)} is not a 1-9 digit number` });
    else if (groupIds.has(gs06)) groupErrors.unshift({ segment: 'GS', element: 6, code: '19', message: `group control number ${gs06} appears twice in the interchange` });
    groupIds.add(gs06);
    yield { type: 'group-end', trailer: { group: group.header, transactionCount: group.count, ...(ge ? { declaredCount: el(ge, 1) } : {}), errors: groupErrors } };
    group = undefined;
  }

  for (;;) {
    const segment = scanner.next();
    if (!segment || segment.id === 'ISA') {
      if (segment) scanner.pos = segment.offset;
      yield* closeGroup(undefined);
      structure('023', segment, segment ? 'a new ISA starts before this interchange\'s IEA' : 'the file ends before the IEA trailer');
      yield { type: 'interchange-end', trailer: { header, groupCount, errors, warnings, end: segment ? segment.offset : text.length } };
      return segment ? segment.offset : text.length;
    }
    if (segment.id !== 'ST' && ENVELOPE_IDS.has(segment.id) || segment.id === 'TA1') strayRun = false;
    switch (segment.id) {
      case 'IEA': {
        if (group) yield* closeGroup(undefined);
        const iea01 = el(segment, 1);
        const iea02 = el(segment, 2);
        if (!(/^\d{1,5}$/.test(iea01) && Number(iea01) === groupCount)) structure('021', segment, `IEA01 says ${iea01 || 'nothing'} functional groups, the interchange holds ${groupCount}`);
        if (!sameControlNumber(iea02, info.controlNumber)) structure('001', segment, `IEA02 ${iea02 || '(empty)'} does not match ISA13 ${info.controlNumber}`);
        else if (iea02 !== info.controlNumber) warnings.push({ segment: 'IEA', element: 2, code: 'control-number-padding', message: `IEA02 ${iea02} matches ISA13 ${info.controlNumber} only as a number` });
        if (scanner.unterminated) warnings.push({ segment: 'IEA', code: 'unterminated', message: 'the IEA segment has no segment terminator' });
        yield { type: 'interchange-end', trailer: { header, groupCount, errors, warnings, end: scanner.pos } };
        return scanner.pos;
      }
      case 'GS': {
        if (group) yield* closeGroup(undefined);
        groupCount++;
        const gs08 = el(segment, 8);
        if (segment.elements.length < 9) structure('024', segment, `the GS segment has ${segment.elements.length - 1} elements instead of 8`);
        if (gs08.endsWith(delimiters.component)) structure('027', segment, `GS08 ends with the ISA16 component separator ${JSON.stringify(delimiters.component)}: ISA16 is probably missing`);
        const groupHeader: GroupHeader = {
          segment,
          index: groupCount,
          info: { functionalId: el(segment, 1), senderCode: el(segment, 2).trim(), receiverCode: el(segment, 3).trim(), controlNumber: el(segment, 6), version: gs08 },
        };
        group = { header: groupHeader, count: 0, setIds: new Set() };
        yield { type: 'group', group: groupHeader };
        break;
      }
      case 'GE':
        if (!group) structure('022', segment, 'GE without a GS');
        else yield* closeGroup(segment);
        break;
      case 'ST': {
        const transaction = readTransaction(scanner, segment, header, group?.header);
        if (!group) {
          structure('022', segment, `transaction set ${el(segment, 2)} is outside a functional group`);
          break;
        }
        group.count++;
        const st02 = transaction.input.controlNumber;
        if (group.setIds.has(st02)) transaction.setErrors.push({ segment: 'ST', position: 1, element: 2, code: '23', message: `transaction set control number ${st02} appears twice in the group` });
        group.setIds.add(st02);
        yield { type: 'transaction', transaction };
        break;
      }
      case 'TA1':
        if (group) structure('022', segment, 'TA1 inside a functional group');
        else yield { type: 'ta1', segment, header };
        break;
      default:
        if (!strayRun) structure('024', segment, `segment ${segment.id.slice(0, 3)} is outside any transaction set`);
        strayRun = true;
    }
  }
}

function readTransaction(scanner: SegmentScanner, st: Segment, header: { info: IsaHeader['info']; delimiters: IsaHeader['delimiters'] }, group: GroupHeader | undefined): RawTransaction {
  const segments: Segment[] = [st];
  const setErrors: DocumentError[] = [];
  const st01 = el(st, 1);
  const st02 = el(st, 2);
  let se: Segment | undefined;
  for (;;) {
    const segment = scanner.next();
    if (!segment) break;
    if (segment.id === 'SE') {
      segments.push(segment);
      se = segment;
      break;
    }
    if (ENVELOPE_IDS.has(segment.id)) {
      scanner.pos = segment.offset;
      break;
    }
    segments.push(segment);
  }
  if (!/^\d{3}$/.test(st01)) setErrors.push({ segment: 'ST', position: 1, element: 1, code: '6', message: `ST01 ${JSON.stringify(st01)} is not a transaction set identifier` });
  if (!/^[\x21-\x7e]{4,9}$/.test(st02)) setErrors.push({ segment: 'ST', position: 1, element: 2, code: '7', message: `ST02 ${JSON.stringify(st02)} is not a 4-9 character control number` });
  if (!se) {
    setErrors.push({ segment: 'SE', position: segments.length + 1, code: '2', message: `transaction set ${st02} has no SE trailer` });
  } else {
    const se01 = el(se, 1);
    if (!(/^\d{1,10}$/.test(se01) && Number(se01) === segments.length)) setErrors.push({ segment: 'SE', position: segments.length, element: 1, code: '4', message: `SE01 says ${se01 || 'nothing'} segments, the transaction set has ${segments.length}` });
    if (el(se, 2) !== st02) setErrors.push({ segment: 'SE', position: segments.length, element: 2, code: '3', message: `SE02 ${el(se, 2) || '(empty)'} does not match ST02 ${st02}` });
  }
  const groupHeader = group ?? { info: { functionalId: '', senderCode: '', receiverCode: '', controlNumber: '', version: '' }, segment: st, index: 0 };
  return {
    input: { segments, delimiters: header.delimiters, interchange: header.info, group: groupHeader.info, setId: st01, controlNumber: st02 },
    offset: st.offset,
    group: groupHeader,
    setErrors,
  };
}

/** Control numbers match when identical, or when both are numbers of equal value (IEA02 '3438' for ISA13 '000003438'). */
export function sameControlNumber(trailer: string, header: string): boolean {
  if (trailer === header) return true;
  return /^\d{1,9}$/.test(trailer) && /^\d{1,9}$/.test(header) && Number(trailer) === Number(header);
}
