/**
 * The body shared by the 997 and the 999: per transaction set an AK2, one AK3/IK3 per segment in error
 * followed by its AK4/IK4 element errors, an AK5/IK5; then AK9 for the group, all with the exact codes.
 */
import type { DocumentError } from '../types.ts';
import type { GroupReport, TransactionReport } from './process.ts';
import { cleanData, type OutboundSettings, type SegmentElements } from './render.ts';

const MAX_ELEMENT_ERRORS = 99;
const MAX_CODES = 5;

export interface AckFlavour {
  segmentTag: 'AK3' | 'IK3';
  elementTag: 'AK4' | 'IK4';
  setTag: 'AK5' | 'IK5';
  /** extra segments after an IK3/IK4 (the 999's CTX) */
  context?: (error: DocumentError, settings: OutboundSettings) => SegmentElements[];
}

const isElementError = (error: DocumentError) => error.element !== undefined;

/** AK3/AK4 (or IK3/IK4) for a transaction's errors, grouped by segment position. */
function errorSegments(report: TransactionReport, flavour: AckFlavour, settings: OutboundSettings): SegmentElements[] {
  const byPosition = new Map<number, DocumentError[]>();
  for (const error of report.errors) {
    const position = error.position ?? 0;
    const list = byPosition.get(position) ?? [];
    list.push(error);
    byPosition.set(position, list);
  }
  const out: SegmentElements[] = [];
  for (const position of [...byPosition.keys()].sort((a, b) => a - b)) {
    const errors = byPosition.get(position)!;
    const segmentErrors = errors.filter((e) => !isElementError(e));
    const elementErrors = errors.filter(isElementError);
    for (const error of segmentErrors) {
      out.push([flavour.segmentTag, (error.segment ?? '').slice(0, 3), String(position), '', error.code]);
      out.push(...(flavour.context?.(error, settings) ?? []));
    }
    if (elementErrors.length === 0) continue;
    if (segmentErrors.length === 0) {
      out.push([flavour.segmentTag, (elementErrors[0]!.segment ?? '').slice(0, 3), String(position), '', '8']);
    }
    for (const error of elementErrors.slice(0, MAX_ELEMENT_ERRORS)) {
      const where = error.component !== undefined ? `${error.element}${settings.component}${error.component}` : String(error.element);
      const data = ['1', '2'].includes(error.code) ? '' : cleanData(badValue(error), settings, 99);
      out.push([flavour.elementTag, where, '', error.code, data]);
      out.push(...(flavour.context?.(error, settings) ?? []));
    }
  }
  return out;
}

/** The offending value, as the validator quotes it in its message ("BEG05 \"2026130\": ..."). */
function badValue(error: DocumentError): string {
  const match = /^\S+ ("(?:[^"\\]|\\.)*")/.exec(error.message);
  if (!match) return '';
  try {
    return JSON.parse(match[1]!) as string;
  } catch {
    return '';
  }
}

export function transactionAck(report: TransactionReport, flavour: AckFlavour, settings: OutboundSettings, withVersion?: string): SegmentElements[] {
  const out: SegmentElements[] = [['AK2', report.setId, report.controlNumber, ...(withVersion ? [withVersion] : [])]];
  out.push(...errorSegments(report, flavour, settings));
  const codes = [...new Set(report.setErrors.map((e) => e.code))].slice(0, MAX_CODES);
  out.push([flavour.setTag, report.accepted ? 'A' : 'R', ...(report.accepted ? [] : codes)]);
  return out;
}

export function groupTrailer(group: GroupReport): SegmentElements {
  const received = group.transactions.length;
  const declared = /^\d{1,6}$/.test(group.declaredCount ?? '') ? String(Number(group.declaredCount)) : String(received);
  const codes = [...new Set(group.errors.map((e) => e.code))].slice(0, MAX_CODES);
  return ['AK9', group.status, declared, String(received), String(group.acceptedCount), ...codes];
}

/** The group answered by this functional acknowledgement: AK1 with the group's GS01/GS06 (and GS08 in 005010). */
export function groupHeader(group: GroupReport, settings: OutboundSettings): SegmentElements {
  return ['AK1', group.info.functionalId, group.info.controlNumber, ...(settings.version === '005010' ? [group.info.version] : [])];
}
