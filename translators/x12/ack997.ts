/** The 997 Functional Acknowledgment we send for one inbound functional group. */
import type { GroupReport } from './process.ts';
import type { OutboundSettings, SegmentElements } from './render.ts';
import { groupHeader, groupTrailer, transactionAck, type AckFlavour } from './ack-body.ts';

const FLAVOUR_997: AckFlavour = { segmentTag: 'AK3', elementTag: 'AK4', setTag: 'AK5' };

/** The 997 body (AK1 .. AK9) for `group`; ST/SE come from the group envelope. */
export function render997(group: GroupReport, settings: OutboundSettings): SegmentElements[] {
  return [
    groupHeader(group, settings),
    ...group.transactions.flatMap((t) => transactionAck(t, FLAVOUR_997, settings)),
    groupTrailer(group),
  ];
}
