/**
 * The answer to a quarantined X12 file: when its ISA header is readable and the partner's profile
 * does not say `ta1: never`, a TA1 with note code 023 (premature end of interchange) is stored and
 * queued for delivery in the same transaction that quarantines the file. A file without a readable
 * ISA (empty, not X12) cannot be answered: its exception is all there is.
 */
import type PgBoss from 'pg-boss';
import type { OurIdentity } from '../../../translators/profile.ts';
import { acknowledgeInterchange } from '../../../translators/x12/acknowledge.ts';
import { readIsa } from '../../../translators/x12/isa.ts';
import type { InterchangeReport } from '../../../translators/x12/process.ts';
import { nextControlNumber } from '../../store/control-numbers.ts';
import { storeOutbound } from '../../pipeline/outbound.ts';
import type { QuarantineListener } from './ingest-file.ts';

export function ta1OnQuarantine(ours: OurIdentity, boss: PgBoss): QuarantineListener {
  return async ({ client, profile, documentId, correlationId, reason, raw }) => {
    if (profile.x12?.ta1 === 'never') return;
    const text = raw.toString('latin1');
    const start = text.indexOf('ISA');
    if (start < 0 || start > 16) return;
    const isa = readIsa(text, start);
    if (!('info' in isa)) return;
    const report: InterchangeReport = {
      info: isa.info, delimiters: isa.delimiters, offset: start, partnerId: profile.id,
      errors: [{ segment: 'IEA', code: '023', message: reason }], warnings: [], accepted: false, groups: [], ta1s: [],
    };
    const isa13 = await nextControlNumber(client, `${profile.id}/interchange`);
    const ta1 = acknowledgeInterchange(report, profile, { ours, controlNumbers: () => isa13 });
    if (!ta1) return;
    await storeOutbound(boss, client, {
      partner: profile, partnerId: profile.id, format: 'x12', docType: 'TA1', raw: Buffer.from(ta1, 'latin1'), correlationId,
      parentId: documentId, childKey: 'ack/quarantine', interchangeControl: isa13, test: isa.info.test,
      fileName: `TA1_${profile.id}_${isa13}.edi`,
    });
  };
}
