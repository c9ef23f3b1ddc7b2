/**
 * Plain string building of outbound interchanges: ISA/GS/ST envelopes around segment arrays, with the
 * partner profile's delimiters and version. Control numbers and the clock are parameters, never invented.
 */
import type { OurIdentity, PartnerProfile } from '../profile.ts';

export interface OutboundSettings {
  element: string;
  component: string;
  repetition: string;
  segment: string;
  lineBreak: boolean;
  version: '004010' | '005010';
  usage: 'P' | 'T';
  sender: { qualifier: string; id: string; gsId: string };
  receiver: { qualifier: string; id: string; gsId: string };
}

/** A segment as its elements: ['AK1', 'PO', '1234']. Trailing empty elements are dropped when written. */
export type SegmentElements = string[];

/** Our identity towards a partner and the delimiters/version the profile asks for (defaults: * : ^ ~ and a line break). */
export function outboundSettings(ours: OurIdentity, profile: PartnerProfile | undefined, receiver: OutboundSettings['receiver'], fallbackVersion: '004010' | '005010', usage: 'P' | 'T'): OutboundSettings {
  const x12 = profile?.x12;
  const d = x12?.delimiters ?? {};
  return {
    element: d.element ?? '*',
    component: d.component ?? ':',
    repetition: d.repetition ?? '^',
    segment: d.segment ?? '~',
    lineBreak: d.lineBreak ?? true,
    version: x12?.version ?? fallbackVersion,
    usage,
    sender: { qualifier: x12?.ourIsaQualifier ?? ours.isaQualifier, id: x12?.ourIsaId ?? ours.isaId, gsId: x12?.ourGsId ?? ours.gsId },
    receiver,
  };
}

function pad(value: string, width: number): string {
  return value.length >= width ? value.slice(0, width) : value + ' '.repeat(width - value.length);
}

const two = (n: number) => String(n).padStart(2, '0');

export function stamp(now: Date): { date8: string; date6: string; time: string } {
  const date8 = `${now.getUTCFullYear()}${two(now.getUTCMonth() + 1)}${two(now.getUTCDate())}`;
  return { date8, date6: date8.slice(2), time: `${two(now.getUTCHours())}${two(now.getUTCMinutes())}` };
}

/** Removes our delimiters and anything outside the X12 basic/extended sets from copied data (AK404, IK404). */
export function cleanData(value: string, settings: OutboundSettings, max: number): string {
  const delimiters = new Set([settings.element, settings.component, settings.segment, settings.version === '005010' ? settings.repetition : '']);
  let out = '';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (code >= 0x20 && code <= 0x7e && !delimiters.has(ch)) out += ch;
  }
  return out.trim().slice(0, max);
}

export function writeSegments(segments: readonly SegmentElements[], settings: OutboundSettings): string {
  const end = settings.segment + (settings.lineBreak ? '\n' : '');
  let out = '';
  for (const elements of segments) {
    let last = elements.length;
    while (last > 1 && elements[last - 1] === '') last--;
    out += elements.slice(0, last).join(settings.element) + end;
  }
  return out;
}

/** ISA + `inner` (TA1 segments, groups) + IEA. */
export function interchangeEnvelope(settings: OutboundSettings, controlNumber: string, now: Date, inner: readonly SegmentElements[], groupCount: number): SegmentElements[] {
  const { date6, time } = stamp(now);
  const v5 = settings.version === '005010';
  const isa: SegmentElements = [
    'ISA', '00', pad('', 10), '00', pad('', 10),
    settings.sender.qualifier, pad(settings.sender.id, 15),
    settings.receiver.qualifier, pad(settings.receiver.id, 15),
    date6, time, v5 ? settings.repetition : 'U', v5 ? '00501' : '00401', controlNumber, '0', settings.usage, settings.component,
  ];
  return [isa, ...inner, ['IEA', String(groupCount), controlNumber]];
}

/** GS + transaction sets + GE; each transaction is ST..SE built from its body segments. */
export function groupEnvelope(settings: OutboundSettings, functionalId: string, controlNumber: string, now: Date, gs08: string, transactions: ReadonlyArray<{ setId: string; st03?: string; body: readonly SegmentElements[] }>): SegmentElements[] {
  const { date8, time } = stamp(now);
  const out: SegmentElements[] = [['GS', functionalId, settings.sender.gsId, settings.receiver.gsId, date8, time, controlNumber, 'X', gs08]];
  transactions.forEach((transaction, i) => {
    const st02 = String(i + 1).padStart(4, '0');
    out.push(['ST', transaction.setId, st02, ...(transaction.st03 ? [transaction.st03] : [])], ...transaction.body, ['SE', String(transaction.body.length + 2), st02]);
  });
  out.push(['GE', String(transactions.length), controlNumber]);
  return out;
}
