/**
 * The 999 Implementation Acknowledgment (005010X231A1) we send for one inbound functional group:
 * IK3/IK4/IK5 instead of AK3/AK4/AK5, and a CTX naming the triggering element of relational errors.
 */
import type { DocumentError } from '../types.ts';
import type { GroupReport } from './process.ts';
import type { OutboundSettings, SegmentElements } from './render.ts';
import { groupHeader, groupTrailer, transactionAck, type AckFlavour } from './ack-body.ts';

export const ST03_999 = '005010X231A1';

/** CTX*SITUATIONAL TRIGGER for syntax-rule errors (codes 2 and 10): the segment and element that required it. */
function situationalContext(error: DocumentError, settings: OutboundSettings): SegmentElements[] {
  if (error.element === undefined || (error.code !== '2' && error.code !== '10') || !error.segment) return [];
  return [['CTX', 'SITUATIONAL TRIGGER', error.segment, String(error.position ?? ''), '', String(error.element)]].map((s) => s.map((v) => v.replaceAll(settings.element, '')));
}

const FLAVOUR_999: AckFlavour = { segmentTag: 'IK3', elementTag: 'IK4', setTag: 'IK5', context: situationalContext };

/** The 999 body (AK1 .. AK9) for `group`; ST/SE come from the group envelope. */
export function render999(group: GroupReport, settings: OutboundSettings): SegmentElements[] {
  return [
    groupHeader(group, { ...settings, version: '005010' }),
    ...group.transactions.flatMap((t) => transactionAck(t, FLAVOUR_999, settings)),
    groupTrailer(group),
  ];
}
