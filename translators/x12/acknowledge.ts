/**
 * What we send back for an inbound file: per interchange, one interchange holding a TA1 (when asked for
 * by ISA14, by the profile, or when the envelope is broken) and one FA group with a 997 (or 999) per
 * inbound functional group. Acknowledgements (997/999/TA1) are never acknowledged; a rejected interchange
 * gets its TA1 only.
 */
import type { OurIdentity, PartnerProfile } from '../profile.ts';
import type { InterchangeReport } from './process.ts';
import { groupEnvelope, interchangeEnvelope, outboundSettings, writeSegments, type SegmentElements } from './render.ts';
import { render997 } from './ack997.ts';
import { render999, ST03_999 } from './ack999.ts';
import { renderTa1 } from './ta1.ts';

export interface AckOptions {
  ours: OurIdentity;
  /** the next 9-digit control number (allocated by the caller, e.g. from Postgres); called for ISA13 and GS06 */
  controlNumbers: () => string;
  /** answer with 999 instead of what the profile says */
  use999?: boolean;
  /** the clock for ISA09/ISA10 and GS04/GS05 (UTC); defaults to now */
  now?: Date;
}

export function acknowledgeInterchange(interchange: InterchangeReport, profile: PartnerProfile | undefined, options: AckOptions): string | undefined {
  const info = interchange.info;
  if (!info) return undefined;
  const policy = profile?.x12?.ta1 ?? 'on-request';
  const wantsTa1 = policy !== 'never' && (policy === 'always' || !interchange.accepted || info.ackRequested);
  const kind = options.use999 ? '999' : profile?.x12?.functionalAck ?? '997';
  const groups = interchange.accepted && kind !== 'none'
    ? interchange.groups.filter((g) => g.info.functionalId !== 'FA' && !g.transactions.every((t) => t.isAcknowledgement && g.transactions.length > 0))
    : [];
  const ta1 = wantsTa1 ? renderTa1(interchange) : undefined;
  if (!ta1 && groups.length === 0) return undefined;
  const inboundVersion = info.version >= '00501' ? '005010' : '004010';
  const firstGroup = interchange.groups[0]?.info;
  const settings = outboundSettings(
    options.ours,
    profile,
    { qualifier: info.senderQualifier, id: info.senderId, gsId: firstGroup?.senderCode || info.senderId },
    kind === '999' ? '005010' : inboundVersion,
    info.test ? 'T' : 'P',
  );
  if (kind === '999') settings.version = '005010';
  const now = options.now ?? new Date();
  const isa13 = options.controlNumbers();
  const inner: SegmentElements[] = ta1 ? [ta1] : [];
  if (groups.length > 0) {
    const transactions = groups.map((group) => kind === '999'
      ? { setId: '999', st03: ST03_999, body: render999(group, settings) }
      : { setId: '997', body: render997(group, settings) });
    const gs08 = kind === '999' ? ST03_999 : settings.version;
    inner.push(...groupEnvelope({ ...settings, receiver: { ...settings.receiver, gsId: groups[0]!.info.senderCode || settings.receiver.gsId } }, 'FA', options.controlNumbers(), now, gs08, transactions));
  }
  return writeSegments(interchangeEnvelope(settings, isa13, now, inner, groups.length > 0 ? 1 : 0), settings);
}
